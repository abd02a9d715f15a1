package org.phocap.campaign;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.phocap.campaign.WavePlanDtos.PlanRequest;
import org.phocap.campaign.WavePlanDtos.SupporterLoad;
import org.phocap.campaign.WavePlanDtos.UnitShare;
import org.phocap.campaign.WavePlanDtos.WavePlan;
import org.phocap.campaign.WavePlanDtos.WavePlanEntry;
import org.phocap.locality.Scope;

/**
 * Proposes waves for the campaign's learners who are not studying yet (no wave, or a wave that has
 * not opened) and applies a proposal: learners already in an opened wave are never moved.
 */
@ApplicationScoped
public class WavePlanService {
    static final int DEFAULT_UNIT_LEVEL = 3;

    private final Pool pool;
    private final CampaignAccess access;
    private final Clock clock;
    private final ZoneId zone;

    public WavePlanService(Pool pool, CampaignAccess access, Clock clock, CampaignConfig campaignConfig) {
        ZoneId zone = campaignConfig.zone();
        this.pool = pool;
        this.access = access;
        this.clock = clock;
        this.zone = zone;
    }

    private record Input(List<WavePlanner.Unit> units, Map<String, Integer> supporters, int keptStudying) {}

    public Uni<WavePlan> propose(long campaignId, PlanRequest request, Scope scope) {
        return access.requireWhole(campaignId, scope)
                .flatMap(ok -> input(campaignId, request))
                .map(input -> view(
                        campaignId,
                        request,
                        input,
                        WavePlanner.plan(input.units(), capacities(input, request), request.maxConcurrent()),
                        null));
    }

    public Uni<WavePlan> apply(long campaignId, PlanRequest request, Scope scope) {
        return access.requireWhole(campaignId, scope)
                .flatMap(ok -> input(campaignId, request))
                .flatMap(input -> {
                    WavePlanner.Plan plan =
                            WavePlanner.plan(input.units(), capacities(input, request), request.maxConcurrent());
                    return pool.withTransaction(conn -> create(conn, campaignId, request, plan)
                                    .flatMap(ids -> conn.preparedQuery("""
                                    DELETE FROM wave w WHERE w.campaign_id = $1 AND w.opens_at > $2
                                      AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.wave_id = w.id)
                                      AND NOT EXISTS (SELECT 1 FROM announcement a WHERE a.wave_id = w.id)""")
                                            .execute(Tuple.of(
                                                    campaignId, clock.instant().atOffset(ZoneOffset.UTC)))
                                            .replaceWith(ids)))
                            .map(ids -> view(campaignId, request, input, plan, ids));
                });
    }

    private Uni<List<Long>> create(SqlConnection conn, long campaignId, PlanRequest request, WavePlanner.Plan plan) {
        Uni<List<Long>> chain = Uni.createFrom().item(new ArrayList<>());
        for (WavePlanner.PlannedWave wave : plan.waves()) {
            chain = chain.flatMap(ids -> conn.preparedQuery("""
                            INSERT INTO wave (campaign_id, name, opens_at, closes_at, capacity)
                            VALUES ($1, 'Đợt ' || ((SELECT count(*) FROM wave WHERE campaign_id = $1) + 1), $2, $3, $4) RETURNING id""")
                    .execute(Tuple.of(
                            campaignId,
                            opens(request, wave.index()).atOffset(ZoneOffset.UTC),
                            closes(request, wave.index()).atOffset(ZoneOffset.UTC),
                            request.maxConcurrent()))
                    .flatMap(rows -> {
                        long id = rows.iterator().next().getLong(0);
                        Long[] learners = wave.placements().stream()
                                .flatMap(p -> p.learnerIds().stream())
                                .toArray(Long[]::new);
                        return conn.preparedQuery("""
                                        UPDATE enrolment e SET wave_id = $1 WHERE e.campaign_id = $2 AND e.learner_id = ANY($3)
                                          AND (e.wave_id IS NULL OR e.wave_id IN (SELECT id FROM wave WHERE opens_at > $4))""")
                                .execute(Tuple.of(
                                        id,
                                        campaignId,
                                        learners,
                                        clock.instant().atOffset(ZoneOffset.UTC)))
                                .map(done -> {
                                    ids.add(id);
                                    return ids;
                                });
                    }));
        }
        return chain;
    }

    private Uni<Input> input(long campaignId, PlanRequest request) {
        int unitLevel = request.unitLevel() == null ? DEFAULT_UNIT_LEVEL : request.unitLevel();
        Uni<Map<String, Integer>> supporters = request.supporters() != null
                ? Uni.createFrom().item(request.supporters())
                : pool.preparedQuery("""
                                SELECT CASE WHEN s.code = '*' THEN c.locality_code ELSE s.code END, count(*)
                                FROM staff_account_view a CROSS JOIN LATERAL unnest(a.scope) AS s(code), campaign c
                                WHERE a.role = 'SUPPORTER' AND c.id = $1 GROUP BY 1""").execute(Tuple.of(campaignId)).map(rows -> {
                    Map<String, Integer> counts = new HashMap<>();
                    rows.forEach(r -> counts.put(r.getString(0), r.getLong(1).intValue()));
                    return counts;
                });
        return supporters.flatMap(counts -> pool.preparedQuery("""
                        SELECT e.learner_id, u.code, u.name, u.path, (w.id IS NOT NULL AND w.opens_at <= $3) AS studying
                        FROM enrolment e JOIN learner_view le ON le.id = e.learner_id JOIN locality_view home ON home.code = le.locality_code
                        JOIN locality_view u ON u.code = coalesce(nullif(split_part(home.path, '/', $2 + 1), ''), home.code)
                        LEFT JOIN wave w ON w.id = e.wave_id
                        WHERE e.campaign_id = $1 ORDER BY u.code, e.learner_id""")
                .execute(Tuple.of(campaignId, unitLevel, clock.instant().atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    Map<String, List<Long>> learners = new LinkedHashMap<>();
                    Map<String, Row> units = new HashMap<>();
                    int studying = 0;
                    for (Row r : rows) {
                        if (r.getBoolean("studying")) {
                            studying++;
                            continue;
                        }
                        learners.computeIfAbsent(r.getString("code"), k -> new ArrayList<>())
                                .add(r.getLong("learner_id"));
                        units.putIfAbsent(r.getString("code"), r);
                    }
                    List<WavePlanner.Unit> list = new ArrayList<>();
                    for (var e : learners.entrySet()) {
                        Row u = units.get(e.getKey());
                        list.add(new WavePlanner.Unit(
                                e.getKey(), u.getString("name"), group(u.getString("path"), counts), e.getValue()));
                    }
                    return new Input(list, counts, studying);
                }));
    }

    /** The nearest locality up the path (the unit itself first) that has supporters. */
    private static String group(String path, Map<String, Integer> supporters) {
        String[] codes = path.replaceAll("^/|/$", "").split("/");
        for (int i = codes.length - 1; i >= 0; i--) {
            if (supporters.getOrDefault(codes[i], 0) > 0) {
                return codes[i];
            }
        }
        return null;
    }

    private static Map<String, Integer> capacities(Input input, PlanRequest request) {
        Map<String, Integer> capacity = new HashMap<>();
        input.supporters().forEach((code, n) -> capacity.put(code, n * request.learnersPerSupporter()));
        return capacity;
    }

    private Instant opens(PlanRequest request, int index) {
        int gap = request.gapDays() == null ? 0 : request.gapDays();
        return request.startsOn()
                .plusDays((long) index * (request.waveDays() + gap))
                .atStartOfDay(zone)
                .toInstant();
    }

    private Instant closes(PlanRequest request, int index) {
        return opens(request, index).atZone(zone).plusDays(request.waveDays()).toInstant();
    }

    private WavePlan view(long campaignId, PlanRequest request, Input input, WavePlanner.Plan plan, List<Long> ids) {
        List<WavePlanEntry> waves = new ArrayList<>();
        for (WavePlanner.PlannedWave w : plan.waves()) {
            List<UnitShare> units = w.placements().stream()
                    .map(p -> new UnitShare(
                            p.unit().code(), p.unit().name(), p.learnerIds().size(), p.split()))
                    .toList();
            List<SupporterLoad> load = new ArrayList<>();
            w.groupLoad().forEach((code, n) -> {
                int supporters = input.supporters().get(code);
                load.add(new SupporterLoad(
                        code, supporters, n, (n + supporters - 1) / supporters, request.learnersPerSupporter()));
            });
            waves.add(new WavePlanEntry(
                    w.index(),
                    ids == null ? null : ids.get(w.index()),
                    "Đợt kế hoạch " + (w.index() + 1),
                    opens(request, w.index()),
                    closes(request, w.index()),
                    w.learners(),
                    units,
                    load));
        }
        int learners =
                input.units().stream().mapToInt(u -> u.learnerIds().size()).sum();
        LocalDate finishes = waves.isEmpty()
                ? request.startsOn()
                : waves.get(waves.size() - 1).closesAt().atZone(zone).toLocalDate();
        List<String> unsupported = input.units().stream()
                .filter(u -> u.group() == null)
                .map(WavePlanner.Unit::code)
                .toList();
        return new WavePlan(
                campaignId, learners, input.keptStudying(), plan.lowerBound(), finishes, unsupported, waves);
    }
}
