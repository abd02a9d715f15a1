package org.phocap.progress;

import java.time.Instant;

/** What a learner's player reports every 10–20 s while a lesson is open. */
public record Heartbeat(
        Long lessonId, String sessionId, Long seq, Double positionSec, Boolean playing, Instant sentAt) {}
