package org.phocap.integrity;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.phocap.campaign.CampaignAccess;
import org.phocap.locality.Scope;
import org.phocap.platform.Overload;
import org.phocap.platform.Page;
import org.phocap.platform.ProblemException;
import org.phocap.quiz.QuizPassed;

/**
 * Integrity flags: kept once per learner, campaign and kind ({@code integrity_flag}); a sign seen
 * again updates the evidence and the time. Today: FAST_QUIZ, from each pass as it is graded.
 * Counted per kind in {@code phocap_integrity_flags_total{kind}} when a flag is first raised.
 */
@ApplicationScoped
public class IntegrityFlags {
    private static final Logger LOG = Logger.getLogger(IntegrityFlags.class);
    static final List<String> KINDS = List.of("SHARED_DEVICE", "CONCURRENT_DEVICES", "IMPLAUSIBLE_PACE", "FAST_QUIZ");

    private final Pool pool;
    private final CampaignAccess access;
    private final MeterRegistry metrics;
    private final int fastQuizSecondsPerQuestion;

    public IntegrityFlags(Pool pool, CampaignAccess access, MeterRegistry metrics,
                          @ConfigProperty(name = "phocap.integrity.fast-quiz-seconds-per-question") int fastQuizSecondsPerQuestion) {
        this.pool = pool;
        this.access = access;
        this.metrics = metrics;
        this.fastQuizSecondsPerQuestion = fastQuizSecondsPerQuestion;
        KINDS.forEach(kind -> metrics.counter("phocap.integrity.flags", "kind", kind));
    }

    /** A pass faster than the threshold raises FAST_QUIZ in the campaign that teaches the course. */
    void onPass(@Observes QuizPassed pass) {
        if (!IntegrityRules.fastQuiz(pass.questions(), pass.timeUsedSec(), fastQuizSecondsPerQuestion, pass.gradedBy())) {
            return;
        }
        Map<String, Object> evidence = Map.of("attemptId", pass.attemptId(), "quizId", pass.quizId(), "questions", pass.questions(),
                "timeUsedSec", pass.timeUsedSec(), "thresholdSec", pass.questions() * fastQuizSecondsPerQuestion);
        Overload.orSkipped(raise(pass.learnerId(), pass.courseId(), "FAST_QUIZ", "LOW", evidence), LOG, "A FAST_QUIZ flag")
                .subscribe().with(done -> {}, e -> LOG.warn("A FAST_QUIZ flag was not stored: " + e.getClass().getSimpleName()));
    }

    /** Stores the flag (once per learner, campaign and kind), in the learner's newest campaign teaching the course. */
    Uni<Void> raise(long learnerId, long courseId, String kind, String severity, Map<String, Object> evidence) {
        return pool.preparedQuery("""
                        INSERT INTO integrity_flag (campaign_id, learner_id, kind, severity, evidence)
                        SELECT e.campaign_id, $1, $3, $4, $5 FROM enrolment e JOIN campaign c ON c.id = e.campaign_id
                        WHERE e.learner_id = $1 AND $2 = ANY (c.course_ids)
                        ORDER BY e.campaign_id DESC LIMIT 1
                        ON CONFLICT (campaign_id, learner_id, kind) DO UPDATE
                            SET evidence = EXCLUDED.evidence, last_seen_at = now()
                        RETURNING (xmax = 0) AS raised""")
                .execute(Tuple.of(learnerId, courseId, kind, severity, new JsonObject(evidence)))
                .invoke(rows -> {
                    if (rows.size() > 0 && rows.iterator().next().getBoolean("raised")) {
                        metrics.counter("phocap.integrity.flags", "kind", kind).increment();
                    }
                })
                .replaceWithVoid();
    }

    public record FlagView(long id, long learnerId, String fullName, String localityCode, String locality, String kind,
                           String severity, String status, Map<String, Object> evidence, Instant firstSeenAt,
                           Instant lastSeenAt) {
        static FlagView of(Row r) {
            return new FlagView(r.getLong("id"), r.getLong("learner_id"), r.getString("full_name"), r.getString("locality_code"),
                    r.getString("locality"), r.getString("kind"), r.getString("severity"), r.getString("status"),
                    r.getJsonObject("evidence").getMap(), r.getOffsetDateTime("first_seen_at").toInstant(),
                    r.getOffsetDateTime("last_seen_at").toInstant());
        }
    }

    /** A campaign's flags in the caller's scope (404 for a campaign outside it), newest first. */
    public Uni<Page<FlagView>> list(long campaignId, Scope scope, String kind, String status, String localityCode, int page,
                                    int size) {
        if (kind != null && !KINDS.contains(kind)) {
            throw ProblemException.invalid("kind", "one of " + String.join(", ", KINDS));
        }
        if (status != null && !List.of("OPEN", "CLEARED", "CONFIRMED").contains(status)) {
            throw ProblemException.invalid("status", "one of OPEN, CLEARED, CONFIRMED");
        }
        return access.require(campaignId, scope).flatMap(ok -> pool.preparedQuery("""
                        SELECT f.*, le.full_name, le.locality_code, l.name AS locality, count(*) OVER () AS total
                        FROM integrity_flag f JOIN learner le ON le.id = f.learner_id JOIN locality l ON l.code = le.locality_code
                        WHERE f.campaign_id = $1 AND l.path LIKE ANY($2)
                          AND ($3::varchar IS NULL OR f.kind = $3) AND ($4::varchar IS NULL OR f.status = $4)
                          AND ($5::varchar IS NULL OR starts_with(l.path, (SELECT path FROM locality WHERE code = $5)))
                        ORDER BY f.last_seen_at DESC, f.id DESC LIMIT $6 OFFSET $7""")
                .execute(Tuple.from(new Object[] {campaignId, scope.patterns(), kind, status, localityCode, size, (long) page * size}))
                .map(rows -> Page.of(rows, FlagView::of, page, size)));
    }
}
