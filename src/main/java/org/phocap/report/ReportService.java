package org.phocap.report;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
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
    private final SyncCache<String, Grouped> cache;
    /**
     * What each locality level (per campaign, depth and roots) summed from the roll-ups, with their
     * version (phocap.cache."report-levels"; {@link #byLocality}).
     */
    private final SyncCache<String, Kept> levels;

    private final ReportConfig config;

    public ReportService(Pool pool, CampaignAccess access, Caches caches, ReportConfig config) {
        this.pool = pool;
        this.access = access;
        this.cache = caches.named("reports");
        this.levels = caches.named("report-levels");
        this.config = config;
    }

    /**
     * One page of a report; its totals and row count cover every row. Grouped by locality, names are
     * read for the page's rows only (a province has thousands of villages).
     */
    public Uni<Report> report(long campaignId, String groupBy, int level, Scope scope, int page, int size) {
        return rows(campaignId, groupBy, level, scope).flatMap(grouped -> {
            List<ReportRow> list = grouped.rows();
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
        return rows(campaignId, "locality", level, scope).flatMap(grouped -> {
            LevelCounts.Ranking ranking = grouped.level().ranking();
            List<ReportRow> sorted = ranking.rows();
            long from = Math.min((long) page * size, sorted.size());
            int to = (int) Math.min(sorted.size(), from + size);
            // Flags do not change the ranking: they are added to the page's rows only.
            List<ReportRow> shown = sorted.subList((int) from, to).stream()
                    .map(r -> {
                        long[] f = grouped.flags().get(r.key());
                        return f == null ? r : r.withFlags(f[0], f[1]);
                    })
                    .toList();
            return named(shown).map(named -> {
                List<LeaderboardRow> ranked = new ArrayList<>(named.size());
                for (int i = 0; i < named.size(); i++) {
                    ReportRow r = named.get(i);
                    ranked.add(new LeaderboardRow(
                            ranking.ranks()[(int) from + i],
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

    /**
     * Every row of a report, without locality names; grouped by locality, also the level they were
     * summed in and the flags per group. Reused for phocap.report.cache-ttl.
     */
    private Uni<Grouped> rows(long campaignId, String groupBy, int level, Scope scope) {
        if (!GROUPS.contains(groupBy)) {
            throw ProblemException.invalid(
                    "groupBy",
                    "one of " + String.join(", ", GROUPS.stream().sorted().toList()));
        }
        if (level < 1 || level > MAX_LEVEL) {
            throw ProblemException.invalid("level", "between 1 and " + MAX_LEVEL);
        }
        return access.requirePath(campaignId, scope)
                .flatMap(path -> cache.get(
                        campaignId + "|" + groupBy + "|" + level + "|" + String.join(",", scope.patterns()),
                        k -> "locality".equals(groupBy)
                                ? byLocality(campaignId, path, level, scope)
                                : byValue(campaignId, path, groupBy, scope)
                                        .map(list -> new Grouped(list, null, Map.of()))));
    }

    /** A report's rows; grouped by locality, also the level's counts and each group's flags. */
    private record Grouped(List<ReportRow> rows, LevelCounts level, Map<String, long[]> flags) {}

    /** A level's counts summed from the roll-ups at a version (report_rollup_state). */
    private record Kept(String version, LevelCounts counts) {}

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
    /** The rows a locality level sums: the roots' rows and the rows at depth $3 inside roots above it. */
    private static final String LEVEL_ROWS = "campaign_id = $1 AND dimension = 'locality'"
            + " AND (locality_code = ANY($2) OR (depth = $3 AND path LIKE ANY($4)))";
    /**
     * The roll-ups' version and a locality level's changes not folded yet (pending), in one statement,
     * so one snapshot: with what this instance kept from that version, the level is exact. The path
     * only where a root lies below the level (a few rows): less to decode.
     */
    private static final String PENDING_SQL = """
            SELECT version::text, NULL::boolean, NULL::varchar, NULL::integer, NULL::text,
                   NULL::integer, NULL::integer, NULL::integer, NULL::integer
            FROM report_rollup_state
            UNION ALL
            SELECT NULL, true, locality_code, depth, CASE WHEN depth > $3 THEN path END,
                   enrolled, activated, started, completed
            FROM report_rollup_delta WHERE %1$s""".formatted(LEVEL_ROWS);
    /**
     * The same and the level's roll-up rows, for when nothing is kept from the current version. Two
     * statements, not one with the scan skipped on a match: PostgreSQL plans such a statement afresh
     * on every call (0.3-0.6 ms), while the short one keeps its plan.
     */
    private static final String LEVEL_SQL = PENDING_SQL + """

            UNION ALL
            SELECT NULL, false, locality_code, depth, CASE WHEN depth > $3 THEN path END,
                   enrolled, activated, started, completed
            FROM report_rollup WHERE %1$s""".formatted(LEVEL_ROWS);

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
     *
     * <p>What a level sums from the roll-ups is kept per version (phocap.report.reuse-rollups): while
     * no fold has changed them, a call reads the version and the changes not folded yet, a handful of
     * rows, instead of a province's ten thousand villages, and is exact all the same.
     */
    private Uni<Grouped> byLocality(long campaignId, String campaignPath, int level, Scope scope) {
        ReportRoots roots = ReportRoots.of(campaignPath, scope.paths());
        int depth = ReportRoots.depth(campaignPath) + level;
        Set<String> rootCodes = Set.of(roots.codes());
        String key = campaignId + "|" + depth + "|" + String.join(",", roots.paths());
        Tuple args = Tuple.of(campaignId, roots.codes(), depth, roots.patternsAbove(depth));
        Kept kept = config.reuseRollups() ? levels.get(key) : null;
        Uni<LevelCounts> counts = kept == null
                ? summed(key, args, rootCodes, depth)
                : pool.preparedQuery(PENDING_SQL).execute(args).flatMap(rows -> {
                    Read read = Read.of(rows, rootCodes, depth);
                    return kept.version().equals(read.version())
                            ? Uni.createFrom()
                                    .item(kept.counts().plus(read.pending().build()))
                            : summed(key, args, rootCodes, depth);
                });
        // The flag counts are read at the same time, on another connection: no added latency.
        return Uni.combine()
                .all()
                .unis(counts, flagsByLocality(campaignId, level, scope))
                .asTuple()
                .map(both -> new Grouped(both.getItem1().rows(both.getItem2()), both.getItem1(), both.getItem2()));
    }

    /** A level summed from its roll-up rows (kept under their version) plus its changes not folded yet. */
    private Uni<LevelCounts> summed(String key, Tuple args, Set<String> rootCodes, int depth) {
        return pool.preparedQuery(LEVEL_SQL).execute(args).map(rows -> {
            Read read = Read.of(rows, rootCodes, depth);
            LevelCounts base = read.rolledUp().build();
            if (config.reuseRollups() && read.version() != null) {
                levels.put(key, new Kept(read.version(), base));
            }
            return base.plus(read.pending().build());
        });
    }

    /** PENDING_SQL's or LEVEL_SQL's rows: the version, and the rows summed apart by where they came from. */
    private record Read(String version, LevelCounts.Builder rolledUp, LevelCounts.Builder pending) {
        static Read of(RowSet<Row> rows, Set<String> rootCodes, int depth) {
            String version = null;
            LevelCounts.Builder rolledUp = new LevelCounts.Builder(rootCodes, depth);
            LevelCounts.Builder pending = new LevelCounts.Builder(rootCodes, depth);
            for (Row r : rows) {
                if (r.getValue(0) != null) {
                    version = r.getString(0);
                    continue;
                }
                (r.getBoolean(1) ? pending : rolledUp)
                        .add(
                                r.getString(2),
                                r.getInteger(3),
                                r.getString(4),
                                r.getInteger(5),
                                r.getInteger(6),
                                r.getInteger(7),
                                r.getInteger(8));
            }
            return new Read(version, rolledUp, pending);
        }
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
