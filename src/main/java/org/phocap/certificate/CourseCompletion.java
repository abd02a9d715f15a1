package org.phocap.certificate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.phocap.campaign.CampaignStore;
import org.phocap.integrity.CertificatePolicy;
import org.phocap.integrity.FlagReviewed;
import org.phocap.integrity.IntegrityConfig;
import org.phocap.integrity.IntegrityFlags;
import org.phocap.integrity.IntegritySignal;
import org.phocap.stream.StreamEvents;

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
    private final CampaignStore campaigns;
    private final CertificateLinks links;
    private final IntegrityFlags flags;
    private final IntegrityConfig limits;
    private final Counter held;

    public CourseCompletion(
            Pool pool,
            StreamEvents events,
            CertificateStore certificates,
            CampaignStore campaigns,
            CertificateLinks links,
            IntegrityFlags flags,
            IntegrityConfig limits,
            MeterRegistry metrics) {
        this.pool = pool;
        this.flags = flags;
        this.limits = limits;
        this.held = Counter.builder("phocap.completions.unobserved")
                .description("Course completions refused because the server saw too little of the study happen")
                .register(metrics);
        this.completed = Counter.builder("phocap.courses.completed")
                .description("Course completions recorded (each with its certificate)")
                .register(metrics);
        this.events = events;
        this.certificates = certificates;
        this.campaigns = campaigns;
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
                        WITH v AS (SELECT id, package FROM course_version_view WHERE course_id = $1 ORDER BY version DESC LIMIT 1),
                        required AS (SELECT q.code, q.score_policy FROM v
                                     JOIN course_version_quiz_view cvq ON cvq.version_id = v.id JOIN quiz_view q ON q.id = cvq.quiz_id
                                     WHERE q.code IN (SELECT jsonb_array_elements_text(
                                         CASE jsonb_typeof(v.package -> 'completion' -> 'quizzes')
                                              WHEN 'array' THEN v.package -> 'completion' -> 'quizzes' ELSE '[]'::jsonb END)))
                        SELECT (SELECT count(*) FROM course_version_lesson_view cvl
                                LEFT JOIN lesson_progress_view lp ON lp.lesson_id = cvl.lesson_id AND lp.learner_id = $2
                                WHERE cvl.version_id = v.id AND lp.completed_at IS NULL) AS remaining,
                               (SELECT count(*) FROM required r WHERE NOT (
                                    CASE WHEN r.score_policy = 'LAST' THEN coalesce((SELECT a.passed FROM quiz_attempt_view a JOIN quiz_view q ON q.id = a.quiz_id
                                                   WHERE q.course_id = $1 AND q.code = r.code AND a.learner_id = $2
                                                     AND a.submitted_at IS NOT NULL
                                                   ORDER BY a.submitted_at DESC, a.id DESC LIMIT 1), false)
                                         ELSE EXISTS (SELECT 1 FROM quiz_attempt_view a JOIN quiz_view q ON q.id = a.quiz_id
                                                   WHERE q.course_id = $1 AND q.code = r.code AND a.learner_id = $2 AND a.passed)
                                    END)) AS quizzes,
                               (SELECT e.campaign_id FROM enrolment_view e JOIN campaign_view c ON c.id = e.campaign_id
                                JOIN wave_view w ON w.id = e.wave_id
                                WHERE e.learner_id = $2 AND $1 = ANY (c.course_ids) AND w.opens_at <= $3
                                ORDER BY w.opens_at DESC, e.campaign_id DESC LIMIT 1) AS campaign_id,
                               (SELECT coalesce(sum(l.duration_sec * l.min_coverage), 0) FROM course_version_lesson_view cvl
                                JOIN lesson_view l ON l.id = cvl.lesson_id WHERE cvl.version_id = v.id) AS required_sec,
                               (SELECT coalesce(sum(coalesce(lp.observed_sec, lp.credited_sec)), 0) FROM course_version_lesson_view cvl
                                JOIN lesson_progress_view lp ON lp.lesson_id = cvl.lesson_id AND lp.learner_id = $2
                                WHERE cvl.version_id = v.id) AS observed_sec,
                               (SELECT coalesce(sum(lp.credited_sec), 0) FROM course_version_lesson_view cvl
                                JOIN lesson_progress_view lp ON lp.lesson_id = cvl.lesson_id AND lp.learner_id = $2
                                WHERE cvl.version_id = v.id) AS credited_sec
                        FROM v""")
                .execute(Tuple.of(courseId, learnerId, at.atOffset(ZoneOffset.UTC)))
                .flatMap(rows -> {
                    var row = rows.iterator().next();
                    boolean done = row.getLong("remaining") == 0 && row.getLong("quizzes") == 0;
                    Long campaignId = row.getLong("campaign_id");
                    if (!done || campaignId == null) {
                        return Uni.createFrom().item(false);
                    }
                    double required = row.getDouble("required_sec");
                    double observed = row.getDouble("observed_sec");
                    if (observed < limits.minObservedFraction() * required - 1e-9) {
                        // Everything is done on paper, but the server did not see enough of it happen:
                        // no completion, and the sign for supporters. More study seen later completes it.
                        return unobserved(
                                        learnerId,
                                        courseId,
                                        campaignId,
                                        required,
                                        observed,
                                        row.getDouble("credited_sec"),
                                        at)
                                .replaceWith(false);
                    }
                    return record(learnerId, courseId, campaignId, at);
                });
    }

    private Uni<Void> unobserved(
            long learnerId,
            long courseId,
            long campaignId,
            double required,
            double observed,
            double credited,
            Instant at) {
        IntegritySignal signal = new IntegritySignal(
                learnerId,
                campaignId,
                courseId,
                "IMPLAUSIBLE_PACE",
                "HIGH",
                "course-" + courseId,
                Map.of(
                        "courseId",
                        courseId,
                        "requiredSec",
                        Math.round(required),
                        "observedSec",
                        Math.round(observed),
                        "creditedSec",
                        Math.round(credited),
                        "minObservedSec",
                        Math.round(limits.minObservedFraction() * required),
                        "at",
                        at.toString()));
        held.increment();
        return pool.preparedQuery(IntegrityFlags.RAISE_SQL)
                .execute(IntegrityFlags.raiseParameters(signal))
                .invoke(rows -> flags.counted(signal.kind(), rows))
                .replaceWithVoid();
    }

    /** What recording a completion did: nothing (already recorded), or recorded with its certificate or held. */
    private record Recorded(boolean recorded, Certificate certificate) {}

    private Uni<Boolean> record(long learnerId, long courseId, long campaignId, Instant at) {
        return pool.withTransaction(conn -> conn.preparedQuery(
                                """
                                INSERT INTO course_completion (campaign_id, learner_id, course_id, completed_at) VALUES ($1, $2, $3, $4)
                                ON CONFLICT DO NOTHING RETURNING completed_at,""" + " " + CertificatePolicy.HOLDING_SQL.formatted("$2", "$1") + " AS held")
                        .execute(Tuple.of(campaignId, learnerId, courseId, at.atOffset(ZoneOffset.UTC)))
                        // Only the transaction that recorded the completion issues: a racing one waits on the
                        // key, finds it taken and does nothing. A flag the campaign's policy holds for keeps
                        // the certificate back until a supporter clears it.
                        .flatMap(rows -> {
                            if (rows.size() == 0) {
                                return Uni.createFrom().item(new Recorded(false, null));
                            }
                            Uni<Certificate> issued = rows.iterator().next().getBoolean("held")
                                    ? Uni.createFrom().nullItem()
                                    : certificates.issue(conn, campaignId, learnerId, courseId, at);
                            return issued.call(
                                            c -> campaigns.completeWhenAllCoursesAre(conn, campaignId, learnerId, at))
                                    .map(c -> new Recorded(true, c));
                        }))
                .flatMap(recorded -> {
                    if (!recorded.recorded()) {
                        return Uni.createFrom().item(true);
                    }
                    completed.increment();
                    List<StreamEvents.Outgoing> outgoing = new ArrayList<>();
                    outgoing.add(new StreamEvents.Outgoing(
                            courseId,
                            learnerId,
                            "course-completed",
                            Map.of("courseId", courseId, "campaignId", campaignId, "completedAt", at.toString())));
                    outgoing.add(
                            recorded.certificate() == null
                                    ? held(learnerId, courseId, campaignId)
                                    : issued(learnerId, courseId, campaignId, recorded.certificate()));
                    return events.publishAll(outgoing).replaceWith(true);
                });
    }

    private StreamEvents.Outgoing issued(long learnerId, long courseId, long campaignId, Certificate certificate) {
        return new StreamEvents.Outgoing(
                courseId,
                learnerId,
                "certificate-issued",
                Map.of(
                        "serial",
                        certificate.serial(),
                        "courseId",
                        courseId,
                        "campaignId",
                        campaignId,
                        "issuedAt",
                        certificate.issuedAt().toString(),
                        "pdfUrl",
                        CertificateLinks.pdfPath(certificate.serial()),
                        "verifyUrl",
                        links.verifyUrl(certificate)));
    }

    private static StreamEvents.Outgoing held(long learnerId, long courseId, long campaignId) {
        return new StreamEvents.Outgoing(
                courseId,
                learnerId,
                "certificate-held",
                Map.of(
                        "courseId",
                        courseId,
                        "campaignId",
                        campaignId,
                        "status",
                        HeldCertificate.UNDER_REVIEW,
                        "message",
                        HeldCertificate.MESSAGE,
                        "supportUrl",
                        HeldCertificate.SUPPORT_URL));
    }

    /**
     * A supporter reviewed a flag: the learner's held certificates in that campaign are issued now
     * if no flag holds them any more (a confirmed flag still does). Runs before the review answers.
     */
    void onReview(@Observes FlagReviewed review) {
        review.work().add(issueHeld(review.learnerId(), review.campaignId()));
    }

    Uni<Void> issueHeld(long learnerId, long campaignId) {
        Instant now = Instant.now();
        return pool.withTransaction(conn -> conn.preparedQuery(
                                """
                                SELECT cc.course_id, cc.completed_at FROM course_completion cc
                                WHERE cc.campaign_id = $1 AND cc.learner_id = $2 AND NOT""" + " " + CertificatePolicy.HOLDING_SQL.formatted("$2", "$1") + """
                                  AND NOT EXISTS (SELECT 1 FROM certificate c WHERE c.campaign_id = $1 AND c.learner_id = $2
                                                  AND c.course_id = cc.course_id)
                                ORDER BY cc.course_id FOR UPDATE OF cc""")
                        .execute(Tuple.of(campaignId, learnerId))
                        .flatMap(rows -> {
                            Uni<List<Certificate>> issued = Uni.createFrom().item(new ArrayList<>());
                            for (Row row : rows) {
                                long courseId = row.getLong("course_id");
                                issued = issued.flatMap(list -> certificates
                                        .issue(conn, campaignId, learnerId, courseId, now)
                                        .map(c -> {
                                            list.add(c);
                                            return list;
                                        }));
                            }
                            return issued;
                        }))
                .flatMap(issued -> issued.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : events.publishAll(issued.stream()
                                        .map(c -> issued(learnerId, c.courseId(), campaignId, c))
                                        .toList())
                                .replaceWithVoid());
    }

    /**
     * The learner's completions whose certificate is held, for their certificate list. One that no
     * flag holds any more (a review cleared it, but the instance died or the database went away
     * before the certificate was issued) is issued here first, as the review would have.
     */
    public Uni<List<HeldCertificate>> held(long learnerId) {
        return pool.preparedQuery("""
                        SELECT cc.campaign_id, cc.course_id, cc.completed_at,""" + " " + CertificatePolicy.HOLDING_SQL.formatted("$1", "cc.campaign_id") + """
                         AS holding
                        FROM course_completion cc
                        WHERE cc.learner_id = $1 AND NOT EXISTS (SELECT 1 FROM certificate c WHERE c.campaign_id = cc.campaign_id
                              AND c.learner_id = $1 AND c.course_id = cc.course_id)
                        ORDER BY cc.completed_at DESC""")
                .execute(Tuple.of(learnerId))
                .flatMap(rows -> {
                    List<HeldCertificate> held = new ArrayList<>();
                    java.util.Set<Long> released = new java.util.TreeSet<>();
                    for (Row r : rows) {
                        if (r.getBoolean("holding")) {
                            held.add(new HeldCertificate(
                                    r.getLong("campaign_id"),
                                    r.getLong("course_id"),
                                    r.getOffsetDateTime("completed_at").toInstant()));
                        } else {
                            released.add(r.getLong("campaign_id"));
                        }
                    }
                    Uni<Void> issued = Uni.createFrom().voidItem();
                    for (long campaignId : released) {
                        issued = issued.chain(() -> issueHeld(learnerId, campaignId));
                    }
                    return issued.replaceWith(held);
                });
    }
}
