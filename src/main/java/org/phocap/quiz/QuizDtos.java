package org.phocap.quiz;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the quiz endpoints take and give. No type here carries an answer key before grading. */
public final class QuizDtos {
    private QuizDtos() {}

    /** The learner's answers: question id → chosen option keys (also stored as JSON, so registered for native reflection). */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record AnswerSheet(Map<String, List<String>> answers) {}

    public record Result(
            long attemptId,
            int score,
            int maxScore,
            boolean passed,
            int correct,
            int total,
            Integer timeUsedSec,
            String gradedBy) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttemptView(
            long attemptId,
            long quizId,
            String quizTitle,
            int number,
            int maxAttempts,
            int passScore,
            Instant startedAt,
            Instant expiresAt,
            List<Paper.Question> questions,
            Map<String, List<String>> answers,
            Result result,
            List<Review> review) {}

    /** After submission, when the quiz allows review: what was right, and why. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Review(
            String questionId, List<String> correctKeys, List<String> chosen, boolean right, String explanation) {}

    /** How the paper and key are kept in the attempt row (JSON outside any REST signature: registered for native reflection). */
    @io.quarkus.runtime.annotations.RegisterForReflection
    record StoredPaper(List<Paper.Question> questions) {}

    @io.quarkus.runtime.annotations.RegisterForReflection
    record StoredKey(Map<String, List<String>> key, Map<String, String> explanations) {}
}
