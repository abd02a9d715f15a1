package org.phocap.report;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.phocap.campaign.CampaignAccess;
import org.phocap.campaign.NominatingBody;
import org.phocap.locality.Scope;
import org.phocap.platform.Caches;
import org.phocap.platform.ProblemException;
import org.phocap.platform.SyncCache;
import org.phocap.report.ReportDtos.Leaderboard;
import org.phocap.report.ReportDtos.LeaderboardRow;
import org.phocap.report.ReportDtos.Report;
import org.phocap.report.ReportDtos.ReportRow;

/**
 * Completion reports. They sum the report counters (one row per learner locality and value, kept
 * exact by database triggers), never count learners or progress rows, so a report costs the same
 * at a million learners as at a thousand: at most a row per locality (and value) in scope.
 */
@ApplicationScoped
public class ReportService {
    public static final Set<String> GROUPS =
            Set.of("locality", "nominatedBy", "targetGroup", "wave", "gender", "ethnicity");
    static final int MAX_LEVEL = 6;

    private final Pool pool;
    private final CampaignAccess access;
    /**
     * Recent answers per campaign, grouping, level and scope, kept for phocap.report.cache-ttl
     * (phocap.cache."reports"): a room of supporters refreshing one dashboard costs one
     * query, and callers arriving while it loads share it.
     */
    private final SyncCache<String, List<ReportRow>> cache;

    public ReportService(Pool pool, CampaignAccess access, Caches caches) {
        this.pool = pool;
        this.access = access;
        this.cache = caches.named("reports");
    }

    public Uni<Report> report(long campaignId, String groupBy, int level, Scope scope) {
        if (!GROUPS.contains(groupBy)) {
            throw ProblemException.invalid(
                    "groupBy",
                    "one of " + String.join(", ", GROUPS.stream().sorted().toList()));
        }
        if (level < 1 || level > MAX_LEVEL) {
            throw ProblemException.invalid("level", "between 1 and " + MAX_LEVEL);
        }
        Uni<List<ReportRow>> rows = access.require(campaignId, scope)
                .flatMap(ok -> cached(
                        campaignId + "|" + groupBy + "|" + level + "|" + String.join(",", scope.patterns()),
                        () -> "locality".equals(groupBy)
                                ? byLocality(campaignId, level, scope)
                                : byValue(campaignId, groupBy, scope)));
        return rows.map(list -> new Report(
                campaignId,
                groupBy,
                "locality".equals(groupBy) ? level : null,
                total(list),
                "locality".equals(groupBy)
                        ? list.stream()
                                .mapToLong(r -> r.openFlags() == null ? 0 : r.openFlags())
                                .sum()
                        : null,
                list));
    }

    /** Localities at {@code level} below the campaign's, ranked by completion rate, then completions, then name. */
    public Uni<Leaderboard> leaderboard(long campaignId, int level, Scope scope) {
        return report(campaignId, "locality", level, scope).map(report -> {
            List<ReportRow> sorted = new ArrayList<>(
                    report.rows().stream().filter(r -> !r.key().isEmpty()).toList());
            sorted.sort(Comparator.comparingDouble(ReportRow::completionRate)
                    .reversed()
                    .thenComparing(
                            Comparator.comparingLong(ReportRow::completed).reversed())
                    .thenComparing(ReportRow::name));
            List<LeaderboardRow> ranked = new ArrayList<>();
            for (int i = 0; i < sorted.size(); i++) {
                ReportRow r = sorted.get(i);
                ReportRow previous = i == 0 ? null : sorted.get(i - 1);
                // Equal rate and count share a rank (1, 2, 2, 4).
                int rank = previous != null
                                && previous.completionRate() == r.completionRate()
                                && previous.completed() == r.completed()
                        ? ranked.get(i - 1).rank()
                        : i + 1;
                ranked.add(new LeaderboardRow(
                        rank,
                        r.key(),
                        r.name(),
                        r.enrolled(),
                        r.completed(),
                        r.completionRate(),
                        r.openFlags(),
                        r.flaggedCompleted(),
                        r.completionRateUnflagged()));
            }
            return new Leaderboard(campaignId, level, ranked);
        });
    }

    private Uni<List<ReportRow>> cached(String key, java.util.function.Supplier<Uni<List<ReportRow>>> load) {
        return cache.get(key, k -> load.get());
    }

    /** Fails with 404 unless the campaign is visible in the scope. */
    public Uni<Void> visible(long campaignId, Scope scope) {
        return access.require(campaignId, scope);
    }

    /** The campaign's totals in the scope. */
    public Uni<Counts> totals(long campaignId, Scope scope) {
        return pool.preparedQuery("""
                        SELECT coalesce(sum(rc.enrolled), 0) AS enrolled, coalesce(sum(rc.activated), 0) AS activated,
                               coalesce(sum(rc.started), 0) AS started, coalesce(sum(rc.completed), 0) AS completed
                        FROM report_counter rc JOIN locality_view l ON l.code = rc.locality_code
                        WHERE rc.campaign_id = $1 AND rc.dimension = 'locality' AND l.path LIKE ANY($2)""")
                .execute(Tuple.of(campaignId, scope.patterns()))
                .map(rows -> Counts.of(rows.iterator().next()));
    }

    private Uni<List<ReportRow>> byLocality(long campaignId, int level, Scope scope) {
        Uni<RowSet<Row>> counts = pool.preparedQuery("""
                        WITH c AS (SELECT l.path FROM campaign_view c JOIN locality_view l ON l.code = c.locality_code WHERE c.id = $1),
                        sums AS (
                            SELECT split_part(l.path, '/', cardinality(string_to_array(trim(BOTH '/' FROM c.path), '/')) + $3 + 1) AS key,
                                   sum(rc.enrolled) AS enrolled, sum(rc.activated) AS activated, sum(rc.started) AS started,
                                   sum(rc.completed) AS completed
                            FROM c, report_counter rc JOIN locality_view l ON l.code = rc.locality_code
                            WHERE rc.campaign_id = $1 AND rc.dimension = 'locality' AND l.path LIKE ANY($2)
                            GROUP BY 1 HAVING sum(rc.enrolled) > 0)
                        SELECT s.*, n.name FROM sums s LEFT JOIN locality_view n ON n.code = s.key ORDER BY s.key""").execute(Tuple.of(campaignId, scope.patterns(), level));
        // The flag counts are read at the same time, on another connection: no added latency.
        return Uni.combine()
                .all()
                .unis(counts, flagsByLocality(campaignId, level, scope))
                .asTuple()
                .map(both -> {
                    RowSet<Row> rows = both.getItem1();
                    Map<String, long[]> flags = both.getItem2();
                    List<ReportRow> list = new ArrayList<>();
                    for (Row r : rows) {
                        String key = r.getString("key");
                        // Learners registered above this level (say, at a commune when villages are asked for).
                        String name = key.isEmpty() ? "(ở cấp trên)" : r.getString("name");
                        long[] f = flags.getOrDefault(key, new long[2]);
                        list.add(ReportRow.of(key, name, Counts.of(r)).withFlags(f[0], f[1]));
                    }
                    return list;
                });
    }

    /**
     * Per group at the level: open flags, and completed learners with an open or confirmed flag.
     * Flags are few (an index on the campaign finds them), so this adds little to a report.
     */
    private Uni<Map<String, long[]>> flagsByLocality(long campaignId, int level, Scope scope) {
        return pool.preparedQuery("""
                        WITH c AS (SELECT l.path FROM campaign_view c JOIN locality_view l ON l.code = c.locality_code WHERE c.id = $1)
                        SELECT split_part(l.path, '/', cardinality(string_to_array(trim(BOTH '/' FROM c.path), '/')) + $3 + 1) AS key,
                               count(*) FILTER (WHERE f.status = 'OPEN') AS open_flags,
                               count(DISTINCT f.learner_id) FILTER (WHERE f.status <> 'CLEARED' AND e.completed_at IS NOT NULL)
                                   AS flagged_completed
                        FROM c, integrity_flag f JOIN learner_view le ON le.id = f.learner_id
                        JOIN locality_view l ON l.code = le.locality_code
                        LEFT JOIN enrolment_view e ON e.campaign_id = f.campaign_id AND e.learner_id = f.learner_id
                        WHERE f.campaign_id = $1 AND l.path LIKE ANY($2)
                        GROUP BY 1""")
                .execute(Tuple.of(campaignId, scope.patterns(), level))
                .map(rows -> {
                    Map<String, long[]> found = new HashMap<>();
                    for (Row r : rows) {
                        found.put(
                                r.getString("key"),
                                new long[] {r.getLong("open_flags"), r.getLong("flagged_completed")});
                    }
                    return found;
                });
    }

    private Uni<List<ReportRow>> byValue(long campaignId, String dimension, Scope scope) {
        return pool.preparedQuery("""
                        SELECT rc.value AS key, sum(rc.enrolled) AS enrolled, sum(rc.activated) AS activated,
                               sum(rc.started) AS started, sum(rc.completed) AS completed
                        FROM report_counter rc JOIN locality_view l ON l.code = rc.locality_code
                        WHERE rc.campaign_id = $1 AND rc.dimension = $2 AND l.path LIKE ANY($3)
                        GROUP BY rc.value HAVING sum(rc.enrolled) > 0 ORDER BY rc.value""")
                .execute(Tuple.of(campaignId, dimension, scope.patterns()))
                .flatMap(rows -> names(campaignId, dimension).map(names -> {
                    List<ReportRow> list = new ArrayList<>();
                    for (Row r : rows) {
                        String key = r.getString("key");
                        String name = key.isEmpty() ? "(chưa rõ)" : names.getOrDefault(key, key);
                        list.add(ReportRow.of(key, name, Counts.of(r)));
                    }
                    return list;
                }));
    }

    private static final Map<String, String> GENDERS = Map.of("MALE", "Nam", "FEMALE", "Nữ", "OTHER", "Khác");

    private Uni<Map<String, String>> names(long campaignId, String dimension) {
        if ("gender".equals(dimension)) {
            return Uni.createFrom().item(GENDERS);
        }
        if ("nominatedBy".equals(dimension)) {
            Map<String, String> names = new HashMap<>();
            for (NominatingBody body : NominatingBody.values()) {
                names.put(body.name(), body.vietnameseName());
            }
            return Uni.createFrom().item(names);
        }
        if (!"wave".equals(dimension)) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("SELECT id::text, name FROM wave_view WHERE campaign_id = $1")
                .execute(Tuple.of(campaignId))
                .map(rows -> {
                    Map<String, String> names = new HashMap<>();
                    rows.forEach(r -> names.put(r.getString(0), r.getString(1)));
                    return names;
                });
    }

    private static Counts total(List<ReportRow> rows) {
        long enrolled = 0;
        long activated = 0;
        long started = 0;
        long completed = 0;
        for (ReportRow r : rows) {
            enrolled += r.enrolled();
            activated += r.activated();
            started += r.started();
            completed += r.completed();
        }
        return Counts.of(enrolled, activated, started, completed);
    }
}
