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

    /**
     * One page of a report; its totals and row count cover every row. Grouped by locality, names are
     * read for the page's rows only (a province has thousands of villages).
     */
    public Uni<Report> report(long campaignId, String groupBy, int level, Scope scope, int page, int size) {
        return rows(campaignId, groupBy, level, scope).flatMap(list -> {
            Report one = new Report(
                            campaignId,
                            groupBy,
                            "locality".equals(groupBy) ? level : null,
                            total(list),
                            "locality".equals(groupBy)
                                    ? list.stream()
                                            .mapToLong(r -> r.openFlags() == null ? 0 : r.openFlags())
                                            .sum()
                                    : null,
                            list,
                            0,
                            list.size(),
                            list.size())
                    .page(page, size);
            return named(one.rows()).map(one::withRows);
        });
    }

    /**
     * One page of the localities at {@code level} below the campaign's, ranked by completion rate,
     * then completions; equal ones share a rank and are listed by locality code.
     */
    public Uni<Leaderboard> leaderboard(long campaignId, int level, Scope scope, int page, int size) {
        return rows(campaignId, "locality", level, scope).flatMap(rows -> {
            List<ReportRow> sorted = new ArrayList<>(
                    rows.stream().filter(r -> !r.key().isEmpty()).toList());
            sorted.sort(Comparator.comparingDouble(ReportRow::completionRate)
                    .reversed()
                    .thenComparing(
                            Comparator.comparingLong(ReportRow::completed).reversed())
                    .thenComparing(ReportRow::key));
            int[] ranks = new int[sorted.size()];
            for (int i = 0; i < sorted.size(); i++) {
                ReportRow r = sorted.get(i);
                ReportRow previous = i == 0 ? null : sorted.get(i - 1);
                // Equal rate and count share a rank (1, 2, 2, 4).
                ranks[i] = previous != null
                                && previous.completionRate() == r.completionRate()
                                && previous.completed() == r.completed()
                        ? ranks[i - 1]
                        : i + 1;
            }
            long from = Math.min((long) page * size, sorted.size());
            int to = (int) Math.min(sorted.size(), from + size);
            List<ReportRow> shown = sorted.subList((int) from, to);
            return named(shown).map(named -> {
                List<LeaderboardRow> ranked = new ArrayList<>(named.size());
                for (int i = 0; i < named.size(); i++) {
                    ReportRow r = named.get(i);
                    ranked.add(new LeaderboardRow(
                            ranks[(int) from + i],
                            r.key(),
                            r.name(),
                            r.enrolled(),
                            r.completed(),
                            r.completionRate(),
                            r.openFlags(),
                            r.flaggedCompleted(),
                            r.completionRateUnflagged()));
                }
                return new Leaderboard(campaignId, level, ranked, page, size, sorted.size());
            });
        });
    }

    /** Every row of a report, without locality names (reused for phocap.report.cache-ttl). */
    private Uni<List<ReportRow>> rows(long campaignId, String groupBy, int level, Scope scope) {
        if (!GROUPS.contains(groupBy)) {
            throw ProblemException.invalid(
                    "groupBy",
                    "one of " + String.join(", ", GROUPS.stream().sorted().toList()));
        }
        if (level < 1 || level > MAX_LEVEL) {
            throw ProblemException.invalid("level", "between 1 and " + MAX_LEVEL);
        }
        return access.requirePath(campaignId, scope)
                .flatMap(path -> cached(
                        campaignId + "|" + groupBy + "|" + level + "|" + String.join(",", scope.patterns()),
                        () -> "locality".equals(groupBy)
                                ? byLocality(campaignId, path, level, scope)
                                : byValue(campaignId, path, groupBy, scope)));
    }

    /** The rows with the names of their localities filled in where they have none yet. */
    private Uni<List<ReportRow>> named(List<ReportRow> rows) {
        String[] codes =
                rows.stream().filter(r -> r.name() == null).map(ReportRow::key).toArray(String[]::new);
        if (codes.length == 0) {
            return Uni.createFrom().item(rows);
        }
        return pool.preparedQuery("SELECT code, name FROM locality_view WHERE code = ANY($1)")
                .execute(Tuple.of((Object) codes))
                .map(found -> {
                    Map<String, String> names = new HashMap<>();
                    found.forEach(r -> names.put(r.getString(0), r.getString(1)));
                    return rows.stream()
                            .map(r -> r.name() == null ? r.withName(names.get(r.key())) : r)
                            .toList();
                });
    }

    private Uni<List<ReportRow>> cached(String key, java.util.function.Supplier<Uni<List<ReportRow>>> load) {
        return cache.get(key, k -> load.get());
    }

    /** Fails with 404 unless the campaign is visible in the scope. */
    public Uni<Void> visible(long campaignId, Scope scope) {
        return access.require(campaignId, scope);
    }

    /**
     * The subtrees a live stream sums, read once when it opens: its ticks then cost one query. Root
     * codes stay the same when localities move, so they stay right for the stream's life.
     */
    public Uni<ReportRoots> roots(long campaignId, Scope scope) {
        return access.path(campaignId).map(path -> ReportRoots.of(path, scope.paths()));
    }

    /** The campaign's totals in the roots: their roll-up rows. */
    public Uni<Counts> totals(long campaignId, ReportRoots roots) {
        return pool.preparedQuery(ROOTS_SQL)
                .execute(Tuple.of(campaignId, "locality", roots.codes()))
                .map(rows -> {
                    long[] sum = new long[4];
                    rows.forEach(r -> add(sum, r));
                    return Counts.of(sum[0], sum[1], sum[2], sum[3]);
                });
    }

    /**
     * Roll-up rows of one campaign and dimension ($1, $2) that meet a condition, and the changes not
     * folded in yet: one statement, so one snapshot, so exact (V23__report_rollup.sql). A locality may
     * come more than once (its roll-up row and its changes): callers add up rows per key.
     */
    private static final String ROLLED_UP = """
            SELECT %1$s, enrolled, activated, started, completed
            FROM report_rollup WHERE campaign_id = $1 AND dimension = $2 AND (%2$s)
            UNION ALL
            SELECT %1$s, enrolled, activated, started, completed
            FROM report_rollup_delta WHERE campaign_id = $1 AND dimension = $2 AND (%2$s)""";

    /** The roots' rows ($3: their codes). */
    private static final String ROOTS_SQL = ROLLED_UP.formatted("locality_code", "locality_code = ANY($3)");
    /** The roots' rows per value of the dimension. */
    private static final String VALUES_SQL = ROLLED_UP.formatted("value", "locality_code = ANY($3)");
    /**
     * The roots' rows and the rows at depth $4 inside the roots above it ($5: their LIKE patterns);
     * the path only where a root lies below the level (a few rows): less to decode.
     */
    private static final String LEVEL_SQL = ROLLED_UP.formatted(
            "locality_code, depth, CASE WHEN depth > $4 THEN path END",
            "locality_code = ANY($3) OR (depth = $4 AND path LIKE ANY($5))");

    /** Adds a row's counts, its last four columns. */
    private static void add(long[] sum, Row r) {
        int n = r.size();
        sum[0] += r.getInteger(n - 4);
        sum[1] += r.getInteger(n - 3);
        sum[2] += r.getInteger(n - 2);
        sum[3] += r.getInteger(n - 1);
    }

    /**
     * One row per locality at {@code level} below the campaign's, from the roll-ups: the level's rows
     * inside the roots, a root deeper than the level under its ancestor's key, and the learners
     * registered above the level (key "") as what the roots hold beyond those rows.
     */
    private Uni<List<ReportRow>> byLocality(long campaignId, String campaignPath, int level, Scope scope) {
        ReportRoots roots = ReportRoots.of(campaignPath, scope.paths());
        int depth = ReportRoots.depth(campaignPath) + level;
        Uni<RowSet<Row>> counts = pool.preparedQuery(LEVEL_SQL)
                .execute(Tuple.of(campaignId, "locality", roots.codes(), depth, roots.patternsAbove(depth)));
        // The flag counts are read at the same time, on another connection: no added latency.
        return Uni.combine()
                .all()
                .unis(counts, flagsByLocality(campaignId, level, scope))
                .asTuple()
                .map(both -> {
                    Set<String> rootCodes = Set.of(roots.codes());
                    long[] inRoots = new long[4];
                    // In the order PostgreSQL returns them: the roll-ups are written in key order, so the
                    // sort below finds them nearly sorted.
                    Map<String, long[]> byKey = new java.util.LinkedHashMap<>();
                    for (Row r : both.getItem1()) {
                        String code = r.getString(0);
                        int rowDepth = r.getInteger(1);
                        boolean root = rootCodes.contains(code);
                        if (root) {
                            add(inRoots, r);
                        }
                        // A level's own row, or a root below the level counted under its ancestor there.
                        String key = rowDepth == depth
                                ? code
                                : root && rowDepth > depth ? ReportRoots.codeAt(r.getString(2), depth) : null;
                        if (key != null) {
                            add(byKey.computeIfAbsent(key, k -> new long[4]), r);
                        }
                    }
                    long[] above = inRoots.clone();
                    Map<String, long[]> flags = both.getItem2();
                    List<ReportRow> list = new ArrayList<>(byKey.size() + 1);
                    byKey.forEach((key, c) -> {
                        for (int i = 0; i < 4; i++) {
                            above[i] -= c[i];
                        }
                        if (c[0] > 0) {
                            // Names are read for the rows shown (named()).
                            list.add(row(key, null, c, flags));
                        }
                    });
                    list.sort(Comparator.comparing(ReportRow::key));
                    if (above[0] > 0) {
                        // Learners registered above this level (say, at a commune when villages are asked for).
                        list.add(0, row("", "(ở cấp trên)", above, flags));
                    }
                    return list;
                });
    }

    private static ReportRow row(String key, String name, long[] c, Map<String, long[]> flags) {
        long[] f = flags.getOrDefault(key, new long[2]);
        return ReportRow.of(key, name, Counts.of(c[0], c[1], c[2], c[3])).withFlags(f[0], f[1]);
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

    /** One row per value of the dimension: the roll-up rows of the roots, summed per value. */
    private Uni<List<ReportRow>> byValue(long campaignId, String campaignPath, String dimension, Scope scope) {
        ReportRoots roots = ReportRoots.of(campaignPath, scope.paths());
        return pool.preparedQuery(VALUES_SQL)
                .execute(Tuple.of(campaignId, dimension, roots.codes()))
                .flatMap(rows -> names(campaignId, dimension).map(names -> {
                    Map<String, long[]> byValue = new java.util.TreeMap<>();
                    rows.forEach(r -> add(byValue.computeIfAbsent(r.getString(0), k -> new long[4]), r));
                    List<ReportRow> list = new ArrayList<>();
                    byValue.forEach((key, c) -> {
                        if (c[0] > 0) {
                            String name = key.isEmpty() ? "(chưa rõ)" : names.getOrDefault(key, key);
                            list.add(ReportRow.of(key, name, Counts.of(c[0], c[1], c[2], c[3])));
                        }
                    });
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
