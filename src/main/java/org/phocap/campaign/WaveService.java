package org.phocap.campaign;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phocap.audit.AuditLog;
import org.phocap.auth.Subject;
import org.phocap.campaign.CampaignDtos.AssignLearners;
import org.phocap.campaign.CampaignDtos.AssignResult;
import org.phocap.campaign.CampaignDtos.CreateWave;
import org.phocap.campaign.CampaignDtos.WaveView;
import org.phocap.locality.Scope;
import org.phocap.platform.ProblemException;

/** Waves: windows of days in which a group of learners studies, and who is in which. */
@ApplicationScoped
public class WaveService {
    private final Pool pool;
    private final CampaignAccess access;
    private final AuditLog audit;

    public WaveService(Pool pool, CampaignAccess access, AuditLog audit) {
        this.audit = audit;
        this.pool = pool;
        this.access = access;
    }

    public Uni<WaveView> create(long campaignId, CreateWave request, Scope scope) {
        if (!request.closesAt().isAfter(request.opensAt())) {
            throw ProblemException.invalid("closesAt", "must be after opensAt");
        }
        return access.requireWhole(campaignId, scope)
                .flatMap(ok -> Panache.withTransaction(() -> {
                    Wave wave = new Wave();
                    wave.campaignId = campaignId;
                    wave.name = request.name().strip();
                    wave.opensAt = request.opensAt();
                    wave.closesAt = request.closesAt();
                    wave.capacity = request.capacity();
                    wave.graceMinutes = request.graceMinutes() == null ? 0 : request.graceMinutes();
                    return wave.<Wave>persist();
                }))
                .map(wave -> new WaveView(
                        wave.id,
                        campaignId,
                        wave.name,
                        wave.opensAt,
                        wave.closesAt,
                        wave.capacity,
                        wave.graceMinutes,
                        0));
    }

    private static final String WAVES = """
            SELECT w.*, (SELECT count(*) FROM enrolment e WHERE e.wave_id = w.id) AS assigned
            FROM wave w WHERE w.campaign_id = $1 AND ($2::bigint IS NULL OR w.id = $2) ORDER BY w.opens_at, w.id""";

    public Uni<List<WaveView>> list(long campaignId, Scope scope) {
        return access.require(campaignId, scope).flatMap(ok -> waves(campaignId, null));
    }

    public Uni<WaveView> get(long campaignId, long waveId, Scope scope) {
        return access.require(campaignId, scope)
                .flatMap(ok -> waves(campaignId, waveId))
                .map(found -> {
                    if (found.isEmpty()) {
                        throw ProblemException.notFound("No wave " + waveId + " in campaign " + campaignId + ".");
                    }
                    return found.get(0);
                });
    }

    private Uni<List<WaveView>> waves(long campaignId, Long waveId) {
        return pool.preparedQuery(WAVES).execute(Tuple.of(campaignId, waveId)).map(rows -> {
            List<WaveView> waves = new ArrayList<>();
            rows.forEach(row -> waves.add(toView(row)));
            return waves;
        });
    }

    /**
     * Moves the campaign's enrolled learners that match every given filter (and lie in the
     * caller's scope) into the wave. Refused with 409, changing nothing, if the wave would overflow.
     */
    public Uni<AssignResult> assign(long campaignId, long waveId, AssignLearners request, Scope scope, Subject staff) {
        boolean noFilter = (request.localityCodes() == null
                        || request.localityCodes().isEmpty())
                && (request.learnerIds() == null || request.learnerIds().isEmpty())
                && (request.nominatedBy() == null || request.nominatedBy().isBlank());
        if (noFilter) {
            throw ProblemException.badRequest("Give at least one of localityCodes, learnerIds or nominatedBy.");
        }
        String nominatedBy = null;
        if (request.nominatedBy() != null && !request.nominatedBy().isBlank()) {
            nominatedBy = NominatingBody.parse(request.nominatedBy())
                    .orElseThrow(() -> ProblemException.invalid("nominatedBy", "unknown nominating body"))
                    .name();
        }
        String[] localityCodes =
                request.localityCodes() == null ? null : request.localityCodes().toArray(String[]::new);
        Long[] learnerIds = request.learnerIds() == null || request.learnerIds().isEmpty()
                ? null
                : request.learnerIds().toArray(Long[]::new);
        String body = nominatedBy;
        return access.require(campaignId, scope)
                .flatMap(ok -> pool.withTransaction(conn -> conn.preparedQuery(
                                "SELECT capacity FROM wave WHERE id = $1 AND campaign_id = $2 FOR UPDATE")
                        .execute(Tuple.of(waveId, campaignId))
                        .flatMap(waves -> {
                            if (waves.size() == 0) {
                                throw ProblemException.notFound(
                                        "No wave " + waveId + " in campaign " + campaignId + ".");
                            }
                            int capacity = waves.iterator().next().getInteger(0);
                            return conn.preparedQuery("""
                                    UPDATE enrolment e SET wave_id = $1
                                    FROM learner_view le JOIN locality_view l ON l.code = le.locality_code
                                    WHERE e.learner_id = le.id AND e.campaign_id = $2
                                      AND l.path LIKE ANY($3)
                                      AND ($4::varchar[] IS NULL OR EXISTS (SELECT 1 FROM locality_view f
                                           WHERE f.code = ANY($4) AND starts_with(l.path, f.path)))
                                      AND ($5::bigint[] IS NULL OR e.learner_id = ANY($5))
                                      AND ($6::varchar IS NULL OR e.nominated_by = $6)""")
                                    .execute(Tuple.from(new Object[] {
                                        waveId, campaignId, scope.patterns(), localityCodes, learnerIds, body
                                    }))
                                    .flatMap(updated -> conn.preparedQuery(
                                                    "SELECT count(*) FROM enrolment WHERE wave_id = $1")
                                            .execute(Tuple.of(waveId))
                                            .map(count -> {
                                                long total =
                                                        count.iterator().next().getLong(0);
                                                if (total > capacity) {
                                                    throw ProblemException.conflict(
                                                            "wave-full",
                                                            "The wave holds " + capacity + " learners; this would make "
                                                                    + total + ". Nothing was changed.");
                                                }
                                                return new AssignResult(updated.rowCount(), total, capacity);
                                            })
                                            .call(result -> audit.record(
                                                    conn,
                                                    staff,
                                                    new AuditLog.Entry(
                                                            "learners-moved-to-wave",
                                                            null,
                                                            campaignId,
                                                            null,
                                                            auditDetail(waveId, request, result)))));
                        })));
    }

    private static Map<String, Object> auditDetail(long waveId, AssignLearners request, AssignResult result) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("waveId", waveId);
        detail.put("assigned", result.assigned());
        if (request.localityCodes() != null && !request.localityCodes().isEmpty()) {
            detail.put("localityCodes", request.localityCodes());
        }
        if (request.learnerIds() != null && !request.learnerIds().isEmpty()) {
            // The first hundred: an entry stays small however many were moved.
            detail.put("learnerIds", request.learnerIds().stream().limit(100).toList());
        }
        if (request.nominatedBy() != null && !request.nominatedBy().isBlank()) {
            detail.put("nominatedBy", request.nominatedBy());
        }
        return detail;
    }

    /**
     * Whether the learner may study at this instant: inside the window (plus grace) of a wave they
     * are assigned to. The window rule as one query, asked at chosen instants by the campaign tests;
     * progress, quizzes and lesson streams use {@code progress.LearnerAccess}, which caches each
     * learner's windows and also asks whether the wave's campaign teaches the course.
     */
    public Uni<Boolean> isOpenFor(long learnerId, Instant at) {
        return pool.preparedQuery("""
                        SELECT EXISTS (SELECT 1 FROM enrolment e JOIN wave w ON w.id = e.wave_id
                                       WHERE e.learner_id = $1 AND w.opens_at <= $2
                                         AND $2 < w.closes_at + make_interval(mins => w.grace_minutes))""")
                .execute(Tuple.of(learnerId, at.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getBoolean(0));
    }

    private static WaveView toView(Row row) {
        return new WaveView(
                row.getLong("id"),
                row.getLong("campaign_id"),
                row.getString("name"),
                row.getOffsetDateTime("opens_at").toInstant(),
                row.getOffsetDateTime("closes_at").toInstant(),
                row.getInteger("capacity"),
                row.getInteger("grace_minutes"),
                row.getLong("assigned"));
    }
}
