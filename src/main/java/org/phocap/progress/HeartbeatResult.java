package org.phocap.progress;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The learner's state on a lesson after a heartbeat. {@code creditedSec} and {@code coveredSec}
 * are totals; {@code addedSec} is what this heartbeat added (0 for a repeat).
 */
// Read and written by HeartbeatRoute's own ObjectMapper calls, which Quarkus REST does not see:
// registered for the native image by hand.
@RegisterForReflection
public record HeartbeatResult(
        long lessonId,
        double creditedSec,
        int coveredSec,
        double coverage,
        boolean completed,
        double addedSec,
        boolean duplicate) {}
