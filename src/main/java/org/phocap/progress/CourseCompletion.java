package org.phocap.progress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.phocap.certificate.Certificate;
import org.phocap.certificate.CertificateLinks;
import org.phocap.certificate.CertificateStore;
import org.phocap.course.stream.StreamEvents;

/**
 * Decides when a learner has completed a course: every lesson of the newest version completed,
 * plus a pass in each quiz the package names. Lesson completion, quiz grading and the learner's
 * certificate list call {@link #check}. The completion belongs to the campaign whose wave the
 * learner most recently began (last year's completion is not this year's) and is recorded once per
 * learner, course and campaign, together with its certificate in the same transaction; then the
 * learner's stream gets {@code course-completed} and {@code certificate-issued}.
 */
// Created at start so that its meter exists before the first completion (the dashboard reads it).
@Startup
@ApplicationScoped
public class CourseCompletion {
    private final Pool pool;
    private final Counter completed;
    private final StreamEvents events;

    private final CertificateStore certificates;
    private final CertificateLinks links;

    public CourseCompletion(Pool pool, StreamEvents events,
                            CertificateStore certificates, CertificateLinks links,
                            MeterRegistry metrics) {
        this.pool = pool;
        this.completed = Counter.builder("phocap.courses.completed")
                .description("Course completions recorded (each with its certificate)").register(metrics);
        this.events = events;
        this.certificates = certificates;
        this.links = links;
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
                                    END)) AS quizzes,
                               (SELECT e.campaign_id FROM enrolment e JOIN campaign c ON c.id = e.campaign_id
                                JOIN wave w ON w.id = e.wave_id
                                WHERE e.learner_id = $2 AND $1 = ANY (c.course_ids) AND w.opens_at <= $3
                                ORDER BY w.opens_at DESC, e.campaign_id DESC LIMIT 1) AS campaign_id
                        FROM v""")
                .execute(Tuple.of(courseId, learnerId, at.atOffset(ZoneOffset.UTC)))
                .flatMap(rows -> {
                    var row = rows.iterator().next();
                    boolean done = row.getLong("remaining") == 0 && row.getLong("quizzes") == 0;
                    Long campaignId = row.getLong("campaign_id");
                    return done && campaignId != null ? record(learnerId, courseId, campaignId, at)
                            : Uni.createFrom().item(false);
                });
    }

    /** Marks the enrolment completed once every course of the campaign is (the report counters follow by trigger). */
    private static Uni<?> campaignCompleted(SqlConnection conn, long campaignId, long learnerId,
                                            Instant at) {
        return conn.preparedQuery("""
                        UPDATE enrolment e SET completed_at = $3, started_at = coalesce(e.started_at, $3) FROM campaign c
                        WHERE e.campaign_id = $1 AND e.learner_id = $2 AND c.id = e.campaign_id AND e.completed_at IS NULL
                          AND (SELECT count(*) FROM course_completion cc WHERE cc.campaign_id = $1 AND cc.learner_id = $2)
                              >= cardinality(c.course_ids)""")
                .execute(Tuple.of(campaignId, learnerId, at.atOffset(ZoneOffset.UTC)));
    }

    private Uni<Boolean> record(long learnerId, long courseId, long campaignId, Instant at) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                                INSERT INTO course_completion (campaign_id, learner_id, course_id, completed_at) VALUES ($1, $2, $3, $4)
                                ON CONFLICT DO NOTHING RETURNING completed_at""")
                        .execute(Tuple.of(campaignId, learnerId, courseId, at.atOffset(ZoneOffset.UTC)))
                        // Only the transaction that recorded the completion issues: a racing one waits on the
                        // key, finds it taken and does nothing.
                        .flatMap(rows -> rows.size() == 0 ? Uni.createFrom().<Certificate>nullItem()
                                : certificates.issue(conn, campaignId, learnerId, courseId, at)
                                        .call(issued -> campaignCompleted(conn, campaignId, learnerId, at))))
                .flatMap(certificate -> {
                    if (certificate == null) {
                        return Uni.createFrom().item(true);
                    }
                    completed.increment();
                    return events.publishAll(List.of(
                                    new StreamEvents.Outgoing(courseId, learnerId, "course-completed", Map.of(
                                            "courseId", courseId, "campaignId", campaignId, "completedAt", at.toString())),
                                    new StreamEvents.Outgoing(courseId, learnerId, "certificate-issued", Map.of(
                                            "serial", certificate.serial(), "courseId", courseId, "campaignId", campaignId,
                                            "issuedAt", certificate.issuedAt().toString(),
                                            "pdfUrl", CertificateLinks.pdfPath(certificate.serial()),
                                            "verifyUrl", links.verifyUrl(certificate)))))
                            .replaceWith(true);
                });
    }
}
