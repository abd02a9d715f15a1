package org.phocap.quiz;

/**
 * A learner passed a quiz (fired after the grade is stored): for features that react to passes
 * without the quiz knowing them (integrity signals). {@code gradedBy} is LEARNER for a submission,
 * EXPIRY for saved answers graded when time ran out.
 */
public record QuizPassed(long learnerId, long courseId, long quizId, long attemptId, int questions, int timeUsedSec,
                         String gradedBy) {}
