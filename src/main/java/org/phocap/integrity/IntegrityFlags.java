package org.phocap.integrity;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.phocap.audit.AuditLog;
import org.phocap.auth.Subject;
import org.phocap.campaign.CampaignAccess;
import org.phocap.locality.Scope;
import org.phocap.platform.CsvExport;
import org.phocap.platform.CsvLines;
import org.phocap.platform.Overload;
import org.phocap.platform.Page;
import org.phocap.platform.ProblemException;

/**
 * Integrity flags: kept once per learner, campaign and kind ({@code integrity_flag}); a sign seen
 * again updates the evidence and the time. Today: FAST_QUIZ, from each pass as it is graded.
 * Counted per kind in {@code phocap_integrity_flags_total{kind}} when a flag is first raised.
 */
@ApplicationScoped
public class IntegrityFlags {
    private static final Logger LOG = Logger.getLogger(IntegrityFlags.class);
    static final List<String> KINDS = CertificatePolicy.KINDS;

    private final Pool pool;
    private final DeviceSignals devices;
    private final CampaignAccess access;
    private final MeterRegistry metrics;
    private final int fastQuizSecondsPerQuestion;
    private final AuditLog audit;
    private final Event<FlagReviewed> reviewedEvents;
    static final int MAX_NOTE = 1000;

    public IntegrityFlags(
            Pool pool,
            DeviceSignals devices,
            CampaignAccess access,
            MeterRegistry metrics,
            AuditLog audit,
            Event<FlagReviewed> reviewedEvents,
            IntegrityConfig integrityConfig) {
        int fastQuizSecondsPerQuestion = integrityConfig.fastQuizSecondsPerQuestion();
        this.pool = pool;
        this.devices = devices;
        this.audit = audit;
        this.reviewedEvents = reviewedEvents;
        this.access = access;
        this.metrics = metrics;
        this.fastQuizSecondsPerQuestion = fastQuizSecondsPerQuestion;
        KINDS.forEach(kind -> metrics.counter("phocap.integrity.flags", "kind", kind));
    }

    /** A pass faster than the threshold raises FAST_QUIZ in the campaign that teaches the course. */
    void onPass(@Observes QuizPassed pass) {
        if (!IntegrityRules.fastQuiz(
                pass.questions(), pass.timeUsedSec(), fastQuizSecondsPerQuestion, pass.gradedBy())) {
            return;
        }
        Map<String, Object> evidence = Map.of(
                "attemptId",
                pass.attemptId(),
                "quizId",
                pass.quizId(),
                "questions",
                pass.questions(),
                "timeUsedSec",
                pass.timeUsedSec(),
                "thresholdSec",
                pass.questions() * fastQuizSecondsPerQuestion);
        pass.work()
                .add(stored(
                        raise(new IntegritySignal(
                                pass.learnerId(),
                                pass.courseId(),
                                "FAST_QUIZ",
                                "LOW",
                                "attempt-" + pass.attemptId(),
                                evidence)),
                        "A FAST_QUIZ flag"));
    }

    /** Signs and device moments from committed heartbeats; stored after, never holding a heartbeat's answer. */
    void onHeartbeats(@Observes HeartbeatsObserved observed) {
        Uni<Void> work = Uni.createFrom().voidItem();
        for (IntegritySignal signal : observed.signals()) {
            work = work.chain(() -> raise(signal));
        }
        if (!observed.devices().isEmpty()) {
            work = work.chain(() -> devices.seen(observed.devices()))
                    .chain(found -> found.stream()
                            .map(this::raise)
                            .reduce(Uni.createFrom().voidItem(), (a, b) -> a.chain(() -> b)));
        }
        stored(work, "Heartbeat integrity signals").subscribe().with(done -> {}, e -> {});
    }

    /** The work, or nothing when the database is busy (a sign lost then is logged, not retried). */
    private static Uni<Void> stored(Uni<Void> work, String what) {
        return Overload.orSkipped(work, LOG, what).onFailure().recoverWithItem(e -> {
            LOG.warn(what + " not stored: " + e.getClass().getSimpleName());
            return null;
        });
    }

    /**
     * Stores a sign as the learner's flag of its kind in the newest campaign teaching the course
     * (any campaign of theirs when {@code $2} is null), once per learner, campaign and kind: a sign
     * seen again merges its evidence under its reason and updates the time; evidence for a new
     * reason reopens a reviewed flag. Parameters: learner, course, kind, severity, evidence (an
     * object keyed by reason), reason, campaign (null: the newest that fits). Answers whether a flag was raised (not just updated).
     */
    public static final String RAISE_SQL = """
            INSERT INTO integrity_flag (campaign_id, learner_id, kind, severity, evidence)
            SELECT e.campaign_id, $1, $3, $4, $5 FROM enrolment_view e JOIN campaign_view c ON c.id = e.campaign_id
            WHERE e.learner_id = $1 AND ($2::bigint IS NULL OR $2 = ANY (c.course_ids))
              AND ($7::bigint IS NULL OR e.campaign_id = $7)
            ORDER BY e.campaign_id DESC LIMIT 1
            ON CONFLICT (campaign_id, learner_id, kind) DO UPDATE
                SET evidence = integrity_flag.evidence || EXCLUDED.evidence, last_seen_at = now(),
                    status = CASE WHEN integrity_flag.evidence ? $6 THEN integrity_flag.status ELSE 'OPEN' END
            RETURNING (xmax = 0) AS raised""";

    /** The parameters of {@link #RAISE_SQL} for a sign. */
    public static Tuple raiseParameters(IntegritySignal signal) {
        return Tuple.from(new Object[] {
            signal.learnerId(),
            signal.courseId() == 0 ? null : signal.courseId(),
            signal.kind(),
            signal.severity(),
            new JsonObject().put(signal.reason(), new JsonObject(signal.evidence())),
            signal.reason(),
            signal.campaignId() == 0 ? null : signal.campaignId()
        });
    }

    Uni<Void> raise(IntegritySignal signal) {
        return pool.preparedQuery(RAISE_SQL)
                .execute(raiseParameters(signal))
                .invoke(rows -> counted(signal.kind(), rows))
                .replaceWithVoid();
    }

    /** Counts a flag first raised (the counter is per kind). */
    public void counted(String kind, RowSet<Row> rows) {
        if (rows.size() > 0 && rows.iterator().next().getBoolean("raised")) {
            metrics.counter("phocap.integrity.flags", "kind", kind).increment();
        }
    }

    /**
     * A flag as supporters see it; {@code at} is when it was last seen (the contract's field),
     * {@code firstSeenAt} when it was raised; the review fields are null until a review.
     */
    public record FlagView(
            long id,
            long campaignId,
            long learnerId,
            String fullName,
            String localityCode,
            String locality,
            String kind,
            String severity,
            String status,
            Map<String, Object> evidence,
            Instant at,
            Instant firstSeenAt,
            Instant lastSeenAt,
            Instant reviewedAt,
            String reviewedBy,
            String reviewNote) {
        static FlagView of(Row r) {
            OffsetDateTime reviewed = r.getOffsetDateTime("reviewed_at");
            Instant last = r.getOffsetDateTime("last_seen_at").toInstant();
            return new FlagView(
                    r.getLong("id"),
                    r.getLong("campaign_id"),
                    r.getLong("learner_id"),
                    r.getString("full_name"),
                    r.getString("locality_code"),
                    r.getString("locality"),
                    r.getString("kind"),
                    r.getString("severity"),
                    r.getString("status"),
                    r.getJsonObject("evidence").getMap(),
                    last,
                    r.getOffsetDateTime("first_seen_at").toInstant(),
                    last,
                    reviewed == null ? null : reviewed.toInstant(),
                    r.getString("reviewer"),
                    r.getString("review_note"));
        }
    }

    /** The columns of {@link FlagView}, from {@code integrity_flag f}, {@code learner le}, {@code locality l}. */
    private static final String VIEW_COLUMNS = """
            f.*, le.full_name, le.locality_code, l.name AS locality,
            (SELECT s.username FROM staff_account_view s WHERE s.id = f.reviewed_by) AS reviewer""";

    public record Review(String decision, String note) {}

    /**
     * A supporter's decision on a flag in their scope (404 otherwise): CLEARED (not what it looked
     * like; held certificates are issued if nothing else holds them) or CONFIRMED (certificates stay
     * held). Stored with who and when, and audited in the same transaction; may be changed by a
     * later review.
     */
    public Uni<FlagView> review(long flagId, Review review, Subject staff, Scope scope) {
        if (review == null
                || review.decision() == null
                || !List.of("CLEARED", "CONFIRMED").contains(review.decision())) {
            throw ProblemException.invalid("decision", "CLEARED or CONFIRMED");
        }
        String note = review.note() == null ? "" : review.note().strip();
        if (note.length() > MAX_NOTE || note.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            throw ProblemException.invalid(
                    "note", "at most " + MAX_NOTE + " characters, no control characters but line breaks");
        }
        return pool.withTransaction(conn -> conn.preparedQuery("""
                                UPDATE integrity_flag f SET status = $3, reviewed_by = $4, reviewed_at = now(), review_note = $5
                                FROM learner_view le JOIN locality_view l ON l.code = le.locality_code
                                WHERE f.id = $1 AND le.id = f.learner_id AND l.path LIKE ANY($2)
                                RETURNING f.id, f.learner_id, f.campaign_id, f.kind, le.locality_code""")
                        .execute(Tuple.from(new Object[] {
                            flagId, scope.patterns(), review.decision(), staff.id(), note.isEmpty() ? null : note
                        }))
                        .flatMap(rows -> {
                            if (rows.size() == 0) {
                                throw ProblemException.notFound("No integrity flag " + flagId + " in your scope.");
                            }
                            Row r = rows.iterator().next();
                            return audit.record(
                                            conn,
                                            staff,
                                            new AuditLog.Entry(
                                                    "integrity-flag-reviewed",
                                                    r.getLong("learner_id"),
                                                    r.getLong("campaign_id"),
                                                    r.getString("locality_code"),
                                                    Map.of(
                                                            "flagId",
                                                            flagId,
                                                            "kind",
                                                            r.getString("kind"),
                                                            "decision",
                                                            review.decision())))
                                    .replaceWith(new FlagReviewed(
                                            flagId,
                                            r.getLong("learner_id"),
                                            r.getLong("campaign_id"),
                                            review.decision()));
                        }))
                .flatMap(reviewed -> {
                    reviewedEvents.fire(reviewed);
                    return reviewed.observed();
                })
                .chain(() -> pool.preparedQuery("SELECT " + VIEW_COLUMNS + """
                                 FROM integrity_flag f JOIN learner_view le ON le.id = f.learner_id
                                JOIN locality_view l ON l.code = le.locality_code WHERE f.id = $1""").execute(Tuple.of(flagId)))
                .map(rows -> FlagView.of(rows.iterator().next()));
    }

    /** A campaign's flags in the caller's scope (404 for a campaign outside it), newest first. */
    public Uni<Page<FlagView>> list(long campaignId, Scope scope, Filter filter, int page, int size) {
        filter.check();
        return access.require(campaignId, scope)
                .flatMap(ok -> query(
                        campaignId,
                        scope,
                        filter,
                        "ORDER BY f.last_seen_at DESC, f.id DESC LIMIT $6 OFFSET $7",
                        size,
                        (long) page * size))
                .map(rows -> Page.of(rows, FlagView::of, page, size));
    }

    /** What a list may be narrowed to; null: any. */
    public record Filter(String kind, String status, String localityCode) {
        void check() {
            if (kind != null && !KINDS.contains(kind)) {
                throw ProblemException.invalid("kind", "one of " + String.join(", ", KINDS));
            }
            if (status != null && !List.of("OPEN", "CLEARED", "CONFIRMED").contains(status)) {
                throw ProblemException.invalid("status", "one of OPEN, CLEARED, CONFIRMED");
            }
        }
    }

    static final int CSV_CHUNK = 500;
    static final String CSV_HEADER = CsvLines.line(
            "flag_id",
            "learner_id",
            "full_name",
            "locality_code",
            "locality",
            "kind",
            "severity",
            "status",
            "first_seen_at",
            "last_seen_at",
            "reviewed_at",
            "reviewed_by",
            "review_note",
            "evidence");

    /** The same flags as CSV, oldest first, read a chunk at a time (keyset on the id). */
    public Multi<String> csv(long campaignId, Scope scope, Filter filter) {
        filter.check();
        long[] after = {0};
        Multi<String> csv = CsvExport.stream(
                CSV_HEADER,
                () -> query(campaignId, scope, filter, "AND f.id > $7 ORDER BY f.id LIMIT $6", CSV_CHUNK, after[0])
                        .map(rows -> {
                            List<FlagView> chunk = new ArrayList<>();
                            rows.forEach(r -> chunk.add(FlagView.of(r)));
                            if (!chunk.isEmpty()) {
                                after[0] = chunk.get(chunk.size() - 1).id();
                            }
                            return chunk;
                        }),
                CSV_CHUNK,
                f -> CsvLines.line(
                        String.valueOf(f.id()),
                        String.valueOf(f.learnerId()),
                        f.fullName(),
                        f.localityCode(),
                        f.locality(),
                        f.kind(),
                        f.severity(),
                        f.status(),
                        f.firstSeenAt().toString(),
                        f.lastSeenAt().toString(),
                        f.reviewedAt() == null ? "" : f.reviewedAt().toString(),
                        f.reviewedBy(),
                        f.reviewNote(),
                        new JsonObject(f.evidence()).encode()));
        return access.require(campaignId, scope).onItem().transformToMulti(ok -> csv);
    }

    /** Parameters: campaign, scope patterns, kind, status, locality, then $6 and $7 for the tail. */
    private Uni<RowSet<Row>> query(long campaignId, Scope scope, Filter filter, String tail, int limit, long sixth) {
        return pool.preparedQuery("SELECT " + VIEW_COLUMNS + """
                        , count(*) OVER () AS total
                        FROM integrity_flag f JOIN learner_view le ON le.id = f.learner_id JOIN locality_view l ON l.code = le.locality_code
                        WHERE f.campaign_id = $1 AND l.path LIKE ANY($2)
                          AND ($3::varchar IS NULL OR f.kind = $3) AND ($4::varchar IS NULL OR f.status = $4)
                          AND ($5::varchar IS NULL OR starts_with(l.path, (SELECT path FROM locality_view WHERE code = $5)))
                        """ + tail).execute(Tuple.from(new Object[] {
            campaignId, scope.patterns(), filter.kind(), filter.status(), filter.localityCode(), limit, sixth
        }));
    }
}
