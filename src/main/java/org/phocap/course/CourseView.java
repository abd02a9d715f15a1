package org.phocap.course;

import java.time.Instant;
import java.util.List;

/** A course version's outline as learners and staff see it: never the quiz answers. */
public record CourseView(
        long id,
        String code,
        int version,
        String title,
        String language,
        List<ModuleView> modules,
        List<QuizView> quizzes,
        Instant publishedAt) {

    public record ModuleView(String code, String title, List<LessonView> lessons) {}

    public record LessonView(
            long id, String code, String title, String kind, int durationSec, boolean hasMedia, double minCoverage) {}

    public record QuizView(
            long id,
            String code,
            String title,
            int questionsPerAttempt,
            int timeLimitSec,
            int maxAttempts,
            int passScore,
            int questionCount) {}
}
