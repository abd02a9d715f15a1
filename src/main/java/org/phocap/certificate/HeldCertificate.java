package org.phocap.certificate;

import java.time.Instant;

/**
 * A completed course whose certificate the campaign's integrity policy holds until a supporter
 * reviews the learner's flags: shown to the learner as under review, never as an error.
 */
public record HeldCertificate(long campaignId, long courseId, Instant completedAt) {
    public static final String UNDER_REVIEW = "UNDER_REVIEW";
    public static final String MESSAGE = "You completed the course. Your certificate is being reviewed by your "
            + "support group and will appear here once they have checked your study; contact them with any question.";
    public static final String SUPPORT_URL = "/api/v1/me/support";
}
