package org.phocap.course;

/** One lesson's content for a learner (GET /lessons/{id}). */
public record LessonContent(
        long id,
        long courseId,
        String code,
        String title,
        String kind,
        int durationSec,
        String body,
        boolean hasMedia,
        double minCoverage) {}
