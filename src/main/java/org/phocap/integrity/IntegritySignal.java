package org.phocap.integrity;

import java.util.Map;

/**
 * A sign found on a write path, to be stored as (or merged into) the learner's flag of that kind in
 * the given campaign, else the newest campaign teaching the course, else the learner's newest
 * campaign (0: not given). {@code reason} names the evidence entry, so two different signs of one
 * kind are both kept.
 */
public record IntegritySignal(
        long learnerId,
        long campaignId,
        long courseId,
        String kind,
        String severity,
        String reason,
        Map<String, Object> evidence) {
    public IntegritySignal(
            long learnerId, long courseId, String kind, String severity, String reason, Map<String, Object> evidence) {
        this(learnerId, 0, courseId, kind, severity, reason, evidence);
    }
}
