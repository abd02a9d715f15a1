package org.phocap.integrity;

/** The thresholds of the integrity signals: plain rules, no I/O (IntegrityRulesTest). */
public final class IntegrityRules {
    private IntegrityRules() {}

    /**
     * FAST_QUIZ: a pass a learner submitted faster than {@code secondsPerQuestion} per question (at the
     * threshold is not fast). Passes graded at expiry are the learner's saved answers, not a rush.
     */
    public static boolean fastQuiz(int questions, int timeUsedSec, int secondsPerQuestion, String gradedBy) {
        return "LEARNER".equals(gradedBy) && questions > 0 && timeUsedSec < questions * secondsPerQuestion;
    }
}
