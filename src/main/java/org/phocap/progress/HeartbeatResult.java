package org.phocap.progress;

/**
 * The learner's state on a lesson after a heartbeat. {@code creditedSec} and {@code coveredSec}
 * are totals; {@code addedSec} is what this heartbeat added (0 for a repeat).
 */
public record HeartbeatResult(
        long lessonId,
        double creditedSec,
        int coveredSec,
        double coverage,
        boolean completed,
        double addedSec,
        boolean duplicate) {}
