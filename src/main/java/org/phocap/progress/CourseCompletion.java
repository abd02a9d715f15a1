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
 * plus a pass in each quiz the package names. Lesson completion and quiz grading both call
 * {@link #check}. The completion is recorded once; the first time, the learner's stream gets
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
     * Records the completion when every lesson of the newest version is completed and every quiz the
     * package requires is passed, as the quiz's {@code scorePolicy} says: by any attempt (BEST, the
     * default: a later failed attempt does not undo a pass) or by the latest graded attempt (LAST);
     * answers whether the course counts as completed now. A recorded completion stands.
     */
    public Uni<Boolean> check(long learnerId, long courseId, Instant at) {
        return pool.preparedQuery("""
                        WITH v AS (SELECT id, package FROM course_version WHERE course_id = $1 ORDER BY version DESC LIMIT 1),
                        required AS (SELECT q.code, q.score_policy FROM v
                                     JOIN course_version_quiz cvq ON cvq.version_id = v.id JOIN quiz q ON q.id = cvq.quiz_id
                                     WHERE q.code IN (SELECT jsonb_array_elements_text(
                                         CASE jsonb_typeof(v.package -> 'completion' -> 'quizzes')
                                              WHEN 'array' THEN v.package -> 'completion' -> 'quizzes' ELSE '[]'::jsonb END)))
                        SELECT (SELECT count(*) FROM course_version_lesson cvl
                                LEFT JOIN lesson_progress lp ON lp.lesson_id = cvl.lesson_id AND lp.learner_id = $2
                                WHERE cvl.version_id = v.id AND lp.completed_at IS NULL) AS remaining,
                               (SELECT count(*) FROM required r WHERE NOT (
                                    CASE WHEN r.score_policy = 'LAST' THEN coalesce((SELECT a.passed FROM quiz_attempt a JOIN quiz q ON q.id = a.quiz_id
                                                   WHERE q.course_id = $1 AND q.code = r.code AND a.learner_id = $2
                                                     AND a.submitted_at IS NOT NULL
                                                   ORDER BY a.submitted_at DESC, a.id DESC LIMIT 1), false)
                                         ELSE EXISTS (SELECT 1 FROM quiz_attempt a JOIN quiz q ON q.id = a.quiz_id
                                                   WHERE q.course_id = $1 AND q.code = r.code AND a.learner_id = $2 AND a.passed)
                                    END)) AS quizzes
                        FROM v""")
                .execute(Tuple.of(courseId, learnerId))
                .flatMap(rows -> {
                    var row = rows.iterator().next();
                    boolean done = row.getLong("remaining") == 0 && row.getLong("quizzes") == 0;
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
