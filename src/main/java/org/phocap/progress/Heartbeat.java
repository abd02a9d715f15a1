package org.phocap.progress;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** What a learner's player reports every 10–20 s while a lesson is open. */
// Read and written by HeartbeatRoute's own ObjectMapper calls, which Quarkus REST does not see:
// registered for the native image by hand.
@RegisterForReflection
public record Heartbeat(
        Long lessonId, String sessionId, Long seq, Double positionSec, Boolean playing, Instant sentAt) {}
