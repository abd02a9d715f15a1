package org.phocap.integrity;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;

/**
 * A learner passed a quiz (fired after the grade is stored), for the integrity signals. {@code
 * gradedBy} is LEARNER for a submission, EXPIRY for saved answers graded when time ran out.
 * Observers add the work they start to {@link #work}; the quiz waits for it before it checks the
 * course's completion, so a flag whose kind holds certificates is in place before one is issued.
 */
public record QuizPassed(
        long learnerId,
        long courseId,
        long quizId,
        long attemptId,
        int questions,
        int timeUsedSec,
        String gradedBy,
        List<Uni<Void>> work) {
    public QuizPassed(
            long learnerId,
            long courseId,
            long quizId,
            long attemptId,
            int questions,
            int timeUsedSec,
            String gradedBy) {
        this(learnerId, courseId, quizId, attemptId, questions, timeUsedSec, gradedBy, new ArrayList<>());
    }

    /** Everything the observers started, done (their failures are theirs to report). */
    public Uni<Void> observed() {
        return work.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join()
                        .all(work)
                        .andCollectFailures()
                        .replaceWithVoid()
                        .onFailure()
                        .recoverWithNull();
    }
}
