package org.phocap.progress;

import java.time.Instant;

/** Fired (CDI, synchronously, on an event-loop thread: observers must not block) when a learner completes a course. */
public record CourseCompleted(long learnerId, long courseId, long campaignId, Instant at) {}
