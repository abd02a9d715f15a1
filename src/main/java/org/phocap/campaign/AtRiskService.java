package org.phocap.campaign;

import static org.phocap.platform.Times.instant;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.phocap.locality.Scope;
import org.phocap.platform.CsvExport;
import org.phocap.platform.CsvLines;
import org.phocap.platform.Page;
import org.phocap.platform.ProblemException;

/**
 * The learners a supporter should call, from the enrolments' own milestones (indexed), the
 * learners' last presence and the wave windows; progress rows are read only for the page shown.
 * NOT_ACTIVATED: never activated, by place and name. NOT_STARTED: activated, no credited time yet,
 * longest waiting first. STALLED: started, not completed, their wave open now (with its grace), and
 * no activity for idleHours, longest silent first.
 */
@ApplicationScoped
public class AtRiskService {
    public enum Status {
        NOT_ACTIVATED,
        NOT_STARTED,
        STALLED
    }

    /** One learner to call. */
    public record AtRiskLearner(
            long learnerId,
            String fullName,
            String phone,
            String localityCode,
            String locality,
            Long waveId,
            String wave,
            Status status,
            Instant activatedAt,
            Instant startedAt,
            Instant lastActivityAt,
            int completedLessons,
            int totalLessons,
            double progress) {}

    static final String CSV_HEADER = CsvLines.line(
            "learner_id",
            "full_name",
            "phone",
            "locality_code",
            "locality",
            "wave",
            "status",
            "activated_at",
            "last_activity_at",
            "completed_lessons",
            "total_lessons",
            "progress");
    private static final int CSV_CHUNK = 1000;

    private final Pool pool;
    private final CampaignAccess access;
    private final Clock clock;

    public AtRiskService(Pool pool, CampaignAccess access, Clock clock) {
        this.pool = pool;
        this.access = access;
        this.clock = clock;
    }

    public static Status status(String text) {
        try {
            return Status.valueOf(text == null ? "" : text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("status", "one of NOT_ACTIVATED, NOT_STARTED, STALLED");
        }
    }

    public Uni<Page<AtRiskLearner>> page(
            long campaignId, Status status, int idleHours, Scope scope, int page, int size) {
        return access.require(campaignId, scope)
                .flatMap(ok -> query(campaignId, status, idleHours, scope, size, (long) page * size))
                .flatMap(rows -> withProgress(campaignId, status, rows).map(list -> {
                    long total = rows.size() == 0 ? 0 : rows.iterator().next().getLong("total");
                    return new Page<>(list, page, size, total);
                }));
    }

    /** Every learner of the list as CSV, read a chunk at a time. */
    public Multi<String> csv(long campaignId, Status status, int idleHours, Scope scope) {
        AtomicInteger chunk = new AtomicInteger();
        Multi<String> csv = CsvExport.stream(
                CSV_HEADER,
                () -> query(campaignId, status, idleHours, scope, CSV_CHUNK, (long) chunk.getAndIncrement() * CSV_CHUNK)
                        .flatMap(found -> withProgress(campaignId, status, found)),
                CSV_CHUNK,
                l -> CsvLines.line(
                        String.valueOf(l.learnerId()),
                        l.fullName(),
                        l.phone(),
                        l.localityCode(),
                        l.locality(),
                        l.wave(),
                        l.status().name(),
                        text(l.activatedAt()),
                        text(l.lastActivityAt()),
                        String.valueOf(l.completedLessons()),
                        String.valueOf(l.totalLessons()),
                        String.valueOf(l.progress())));
        return access.require(campaignId, scope).onItem().transformToMulti(ok -> csv);
    }

    private Uni<RowSet<Row>> query(long campaignId, Status status, int idleHours, Scope scope, int limit, long offset) {
        String condition = switch (status) {
            case NOT_ACTIVATED -> "le.activated_at IS NULL";
            case NOT_STARTED -> "le.activated_at IS NOT NULL AND e.started_at IS NULL";
            case STALLED -> """
                    e.started_at IS NOT NULL AND e.completed_at IS NULL
                    AND w.opens_at <= $3 AND $3 < w.closes_at + make_interval(mins => w.grace_minutes)
                    AND coalesce(p.seen_at, e.started_at) < $3 - make_interval(hours => $4)""";
        };
        String order = switch (status) {
            case NOT_ACTIVATED -> "l.path, le.full_name, le.id";
            case NOT_STARTED -> "le.activated_at, le.id";
            case STALLED -> "coalesce(p.seen_at, e.started_at), le.id";
        };
        return pool.preparedQuery("""
                        SELECT le.id, le.full_name, le.phone, le.locality_code, l.name AS locality, e.wave_id, w.name AS wave,
                               le.activated_at, e.started_at, coalesce(p.seen_at, e.started_at) AS last_activity,
                               count(*) OVER () AS total
                        FROM enrolment e JOIN learner_view le ON le.id = e.learner_id JOIN locality_view l ON l.code = le.locality_code
                        LEFT JOIN wave w ON w.id = e.wave_id LEFT JOIN learner_presence_view p ON p.learner_id = le.id
                        WHERE e.campaign_id = $1 AND l.path LIKE ANY($2) AND ($3::timestamptz IS NOT NULL) AND ($4::int IS NOT NULL)
                          AND\s""" + condition + " ORDER BY " + order + " LIMIT $5 OFFSET $6")
                .execute(Tuple.from(new Object[] {
                    campaignId, scope.patterns(), clock.instant().atOffset(ZoneOffset.UTC), idleHours, limit, offset
                }));
    }

    /** Completed lessons of the campaign's courses for the learners of one page (one grouped query). */
    private Uni<List<AtRiskLearner>> withProgress(long campaignId, Status status, RowSet<Row> rows) {
        List<Long> ids = new ArrayList<>();
        rows.forEach(r -> ids.add(r.getLong("id")));
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery("""
                        WITH c AS (SELECT course_ids FROM campaign WHERE id = $1)
                        SELECT NULL::bigint AS learner_id, (SELECT count(*) FROM c, unnest(c.course_ids) k(course_id)
                                JOIN LATERAL (SELECT id FROM course_version_view v WHERE v.course_id = k.course_id
                                              ORDER BY v.version DESC LIMIT 1) v ON true
                                JOIN course_version_lesson_view cvl ON cvl.version_id = v.id) AS n
                        UNION ALL
                        SELECT lp.learner_id, count(*) FROM lesson_progress_view lp, c
                        WHERE lp.learner_id = ANY($2) AND lp.course_id = ANY(c.course_ids) AND lp.completed_at IS NOT NULL
                        GROUP BY lp.learner_id""")
                .execute(Tuple.of(campaignId, ids.toArray(Long[]::new)))
                .map(counts -> {
                    int total = 0;
                    Map<Long, Integer> done = new HashMap<>();
                    for (Row c : counts) {
                        if (c.getLong("learner_id") == null) {
                            total = c.getLong("n").intValue();
                        } else {
                            done.put(c.getLong("learner_id"), c.getLong("n").intValue());
                        }
                    }
                    List<AtRiskLearner> list = new ArrayList<>();
                    for (Row r : rows) {
                        int completed = done.getOrDefault(r.getLong("id"), 0);
                        list.add(new AtRiskLearner(
                                r.getLong("id"),
                                r.getString("full_name"),
                                r.getString("phone"),
                                r.getString("locality_code"),
                                r.getString("locality"),
                                r.getLong("wave_id"),
                                r.getString("wave"),
                                status,
                                instant(r.getOffsetDateTime("activated_at")),
                                instant(r.getOffsetDateTime("started_at")),
                                instant(r.getOffsetDateTime("last_activity")),
                                completed,
                                total,
                                total == 0 ? 0 : Math.round(1000.0 * completed / total) / 1000.0));
                    }
                    return list;
                });
    }

    private static String text(Instant at) {
        return at == null ? "" : at.toString();
    }
}
