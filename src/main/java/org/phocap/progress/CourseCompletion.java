package org.phocap.progress;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.phocap.course.stream.StreamEvents;

/**
 * Decides when a learner has completed a course: every lesson of the newest version completed,
 * plus the quizzes the package names (checked by the quiz feature, which calls {@link #check}
 * after grading). The completion is recorded once; the first time, the learner's stream gets
 * {@code course-completed} and {@link CourseCompleted} is fired for certificates.
 */
@ApplicationScoped
public class CourseCompletion {
    private final Pool pool;
    private final StreamEvents events;
    private final Event<CourseCompleted> completed;

    public CourseCompletion(Pool pool, StreamEvents events, Event<CourseCompleted> completed) {
        this.pool = pool;
        this.events = events;
        this.completed = completed;
    }

    /**
     * Records the completion when the lessons are done and no quiz is required; answers whether the
     * course counts as completed now. {@code quizzesPassed} is true when the caller has checked them.
     */
    public Uni<Boolean> check(long learnerId, long courseId, boolean quizzesPassed, Instant at) {
        return pool.preparedQuery("""
                        WITH v AS (SELECT id, package FROM course_version WHERE course_id = $1 ORDER BY version DESC LIMIT 1)
                        SELECT (SELECT count(*) FROM course_version_lesson cvl
                                LEFT JOIN lesson_progress lp ON lp.lesson_id = cvl.lesson_id AND lp.learner_id = $2
                                WHERE cvl.version_id = v.id AND lp.completed_at IS NULL) AS remaining,
                               CASE jsonb_typeof(v.package -> 'completion' -> 'quizzes')
                                    WHEN 'array' THEN jsonb_array_length(v.package -> 'completion' -> 'quizzes') ELSE 0 END AS quizzes
                        FROM v""")
                .execute(Tuple.of(courseId, learnerId))
                .flatMap(rows -> {
                    var row = rows.iterator().next();
                    boolean done = row.getLong("remaining") == 0 && (quizzesPassed || row.getInteger("quizzes") == 0);
                    return done ? record(learnerId, courseId, at) : Uni.createFrom().item(false);
                });
    }

    private Uni<Boolean> record(long learnerId, long courseId, Instant at) {
        return pool.preparedQuery("""
                        INSERT INTO course_completion (learner_id, course_id, completed_at) VALUES ($1, $2, $3)
                        ON CONFLICT DO NOTHING RETURNING completed_at""")
                .execute(Tuple.of(learnerId, courseId, at.atOffset(ZoneOffset.UTC)))
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(true);
                    }
                    completed.fire(new CourseCompleted(learnerId, courseId, at));
                    return events.publishAll(java.util.List.of(new StreamEvents.Outgoing(courseId, learnerId,
                            "course-completed", Map.of("courseId", courseId, "completedAt", at.toString())))).replaceWith(true);
                });
    }
}
