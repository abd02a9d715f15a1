package org.phocap.course.stream;

/** One event of a lesson stream; learnerId null means every stream of the course. */
public record StreamEvent(long id, long courseId, Long learnerId, String kind, String data) {
    boolean isFor(long learner) {
        return learnerId == null || learnerId == learner;
    }
}
