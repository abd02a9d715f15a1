package org.phocap.progress;

import java.time.Instant;
import java.util.List;

/**
 * A learner's progress on a course: each lesson, and overall the share of the course's lesson
 * time covered (a completed lesson counts in full).
 */
public record CourseProgress(
        long courseId,
        int totalLessons,
        int completedLessons,
        double progress,
        boolean completed,
        Instant completedAt,
        List<LessonProgress> lessons) {

    public record LessonProgress(
            long lessonId,
            String kind,
            int durationSec,
            double creditedSec,
            int coveredSec,
            double coverage,
            double minCoverage,
            boolean completed,
            Instant completedAt) {
        static LessonProgress of(ProgressState s) {
            HeartbeatResult r = s.result(0, false);
            return new LessonProgress(
                    s.lesson.lessonId(),
                    s.lesson.kind(),
                    s.lesson.durationSec(),
                    r.creditedSec(),
                    r.coveredSec(),
                    r.coverage(),
                    s.lesson.minCoverage(),
                    r.completed(),
                    s.completedAt);
        }

        /** The lesson's share of progress: its coverage, or all of it once completed. */
        public double progress() {
            return completed ? 1.0 : coverage;
        }
    }

    static CourseProgress of(long courseId, List<LessonProgress> lessons, Instant completedAt) {
        long seconds = 0;
        double covered = 0;
        int completedLessons = 0;
        for (LessonProgress l : lessons) {
            seconds += l.durationSec();
            covered += l.progress() * l.durationSec();
            completedLessons += l.completed() ? 1 : 0;
        }
        double progress =
                seconds == 0 ? (lessons.isEmpty() ? 0 : (double) completedLessons / lessons.size()) : covered / seconds;
        return new CourseProgress(
                courseId,
                lessons.size(),
                completedLessons,
                Math.round(progress * 1000) / 1000.0,
                completedAt != null,
                completedAt,
                lessons);
    }
}
