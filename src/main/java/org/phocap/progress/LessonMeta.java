package org.phocap.progress;

/** What the credit rules need to know of a lesson. A lesson row never changes, so this is cached forever. */
record LessonMeta(long lessonId, long courseId, String kind, int durationSec, double minCoverage) {
    boolean isVideo() {
        return "VIDEO".equals(kind);
    }
}
