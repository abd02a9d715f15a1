package org.phocap.report;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.TestDatabase;

/**
 * Reports read per-locality roll-ups (V23__report_rollup.sql). A small province with learners
 * registered at every depth: 2 in village RQ1-1-A, 3 in its commune RQ1-1, 1 in district RQ1 and 4
 * in commune RQ2-1; commune RQ1-2 has none.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ReportRollupTest {
    static final String P = "RQ";

    final Pool pool = TestDatabase.pool();

    @jakarta.inject.Inject
    org.phocap.platform.Caches caches;

    static long campaign;

    @BeforeEach
    void province() {
        if (campaign != 0) {
            return;
        }
        Api.putLocalities("code,name,level,parent_code\nRQ,Tỉnh Cuộn,1,\nRQ1,Huyện Một,2,RQ\nRQ2,Huyện Hai,2,RQ\n"
                + "RQ1-1,Xã Một,3,RQ1\nRQ1-2,Xã Hai,3,RQ1\nRQ2-1,Xã Ba,3,RQ2\nRQ1-1-A,Thôn A,4,RQ1-1\n");
        campaign = Api.campaign(P);
        StringBuilder roster = new StringBuilder(Api.ROSTER_HEADER);
        String[] places = {"RQ1-1-A", "RQ1-1-A", "RQ1-1", "RQ1-1", "RQ1-1", "RQ1", "RQ2-1", "RQ2-1", "RQ2-1", "RQ2-1"};
        for (int i = 0; i < places.length; i++) {
            roster.append("Người Cuộn ")
                    .append(i)
                    .append(",09770000")
                    .append(String.format("%02d", i))
                    .append(",1990,Nữ,Kinh,")
                    .append(places[i])
                    .append(",VILLAGE,\n");
        }
        long importId = Api.upload(admin(), campaign, roster.toString().getBytes(StandardCharsets.UTF_8), "text/csv");
        assertEquals(10, Api.finished(admin(), importId).getInt("created"));
        pool.preparedQuery("UPDATE enrolment SET started_at = now(), completed_at = now() WHERE campaign_id = $1"
                        + " AND learner_id IN (SELECT id FROM learner WHERE locality_code = 'RQ2-1')")
                .execute(Tuple.of(campaign))
                .await()
                .indefinitely();
    }

    @Test
    void levelsScopesPagesAndMovesAreExactFoldedOrNot() {
        for (boolean folded : new boolean[] {false, true}) {
            if (folded) {
                pool.query("SELECT report_rollup_fold()").execute().await().indefinitely();
                assertEquals(
                        0L,
                        pool.preparedQuery("SELECT count(*) FROM report_rollup_delta WHERE campaign_id = $1")
                                .execute(Tuple.of(campaign))
                                .await()
                                .indefinitely()
                                .iterator()
                                .next()
                                .getLong(0));
            }
            // Communes: the district's own learner is above the level.
            assertRows(campaign, "report?level=2", admin(), "|1|0", "RQ1-1|5|0", "RQ2-1|4|4");
            // Villages: everyone but the village's two is above it.
            assertRows(campaign, "report?level=3", admin(), "|8|4", "RQ1-1-A|2|0");
            assertRows(campaign, "report?level=1", admin(), "RQ1|6|0", "RQ2|4|4");
            assertEquals(rollupsCounted(campaign), rollupsStored(campaign), "folded " + folded);
        }

        // A commune supporter asking for districts sees their commune under its district, and only it.
        String commune = Api.supporter("rq-sup-c11", "RQ1-1");
        assertRows(campaign, "report?level=1", commune, "RQ1|5|0");
        assertRows(campaign, "report?level=3", commune, "|3|0", "RQ1-1-A|2|0");
        as(commune)
                .get("/api/v1/campaigns/" + campaign + "/report?groupBy=gender")
                .then()
                .statusCode(200)
                .body("totals.enrolled", equalTo(5))
                .body("rows", hasSize(1));

        // Pages: the rows of one page, the totals and the row count of all of them.
        as(admin())
                .get("/api/v1/campaigns/" + campaign + "/report?level=2&page=1&size=2")
                .then()
                .statusCode(200)
                .body("rows", hasSize(1))
                .body("rows[0].key", equalTo("RQ2-1"))
                .body("page", equalTo(1))
                .body("size", equalTo(2))
                .body("total", equalTo(3))
                .body("totals.enrolled", equalTo(10));
        as(admin())
                .get("/api/v1/campaigns/" + campaign + "/leaderboard?level=2&size=1&page=0")
                .then()
                .statusCode(200)
                .body("rows", hasSize(1))
                .body("rows[0].key", equalTo("RQ2-1"))
                .body("rows[0].rank", equalTo(1))
                .body("total", equalTo(2));
        for (String bad : List.of("size=0", "size=501", "page=-1", "size=x")) {
            as(admin())
                    .get("/api/v1/campaigns/" + campaign + "/report?level=2&" + bad)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
        // The CSV export has every row, not a page.
        String csv = as(admin())
                .accept("text/csv")
                .get("/api/v1/campaigns/" + campaign + "/report?level=2&size=1")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertEquals(5, csv.lines().count(), csv);

        // While a long transaction holds the counters (a roster import counting), a move waits at most
        // 2 s, then is refused 503 and changes nothing; counting transactions queued behind it go on.
        var importing = pool.getConnection().await().indefinitely();
        try {
            importing.query("BEGIN").execute().await().indefinitely();
            importing
                    .query("LOCK TABLE report_counter IN ROW EXCLUSIVE MODE")
                    .execute()
                    .await()
                    .indefinitely();
            long started = System.nanoTime();
            as(admin())
                    .contentType("text/csv; charset=UTF-8")
                    .body("code,name,level,parent_code\nRQ2-1,Xã Ba,3,RQ1\n")
                    .put("/api/v1/localities")
                    .then()
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                    .body("type", org.hamcrest.Matchers.endsWith("busy"));
            long waitedMs = (System.nanoTime() - started) / 1_000_000;
            org.junit.jupiter.api.Assertions.assertTrue(waitedMs < 10_000, "waited " + waitedMs + " ms");
        } finally {
            importing.query("ROLLBACK").execute().await().indefinitely();
            importing.close().await().indefinitely();
        }
        assertRows(campaign, "report?level=1", admin(), "RQ1|6|0", "RQ2|4|4");

        // A commune moved to the other district takes its learners with it, in every report.
        Api.putLocalities("code,name,level,parent_code\nRQ2-1,Xã Ba,3,RQ1\n");
        assertRows(campaign, "report?level=1", admin(), "RQ1|10|4");
        assertRows(campaign, "report?level=2", admin(), "|1|0", "RQ1-1|5|0", "RQ2-1|4|4");
        assertEquals(rollupsCounted(campaign), rollupsStored(campaign), "after the move");
        // A change after the move counts under the new ancestors.
        pool.preparedQuery("UPDATE enrolment SET completed_at = now() WHERE campaign_id = $1"
                        + " AND learner_id IN (SELECT id FROM learner WHERE locality_code = 'RQ1')")
                .execute(Tuple.of(campaign))
                .await()
                .indefinitely();
        assertRows(campaign, "report?level=1", admin(), "RQ1|10|5");
        assertEquals(rollupsCounted(campaign), rollupsStored(campaign), "a change after the move");
    }

    @Test
    void aLevelKeptBetweenCallsFollowsEveryChange() {
        // Whatever the other tests left: the communes' rows, then the same with RQ1-1's own three
        // learners completed (the other two of its five live in its village).
        List<String> before = rows(campaign, "report?level=2", admin());
        List<String> completed = before.stream()
                .map(r -> r.startsWith("RQ1-1|") && r.endsWith("|0") ? r.substring(0, r.length() - 1) + "3" : r)
                .toList();
        org.junit.jupiter.api.Assertions.assertNotEquals(before, completed, "RQ1-1 has no completion yet");
        assertEquals(before, rows(campaign, "report?level=2", admin()));
        org.junit.jupiter.api.Assertions.assertTrue(
                caches.named("report-levels").size() > 0, "a level is kept");
        // Nothing left to fold: the roll-ups and their version stay.
        pool.query("SELECT report_rollup_fold()").execute().await().indefinitely();
        String version = version();
        pool.query("SELECT report_rollup_fold()").execute().await().indefinitely();
        assertEquals(version, version());
        String completeCommune = "UPDATE enrolment SET started_at = %1$s, completed_at = %1$s WHERE campaign_id = $1"
                + " AND learner_id IN (SELECT id FROM learner WHERE locality_code = 'RQ1-1')";
        try {
            // Changes not folded yet are added to the kept counts...
            pool.preparedQuery(completeCommune.formatted("now()"))
                    .execute(Tuple.of(campaign))
                    .await()
                    .indefinitely();
            assertEquals(completed, rows(campaign, "report?level=2", admin()));
            // ...and once folded, the roll-ups have a new version and are summed again.
            pool.query("SELECT report_rollup_fold()").execute().await().indefinitely();
            org.junit.jupiter.api.Assertions.assertNotEquals(version, version());
            assertEquals(completed, rows(campaign, "report?level=2", admin()));
            assertEquals(completed, rows(campaign, "report?level=2", admin()));
        } finally {
            pool.preparedQuery(completeCommune.formatted("NULL"))
                    .execute(Tuple.of(campaign))
                    .await()
                    .indefinitely();
        }
        assertEquals(before, rows(campaign, "report?level=2", admin()));
        assertEquals(rollupsCounted(campaign), rollupsStored(campaign));
    }

    private String version() {
        return TestDatabase.first(pool, "SELECT version::text FROM report_rollup_state")
                .getString(0);
    }

    @Test
    void countingTransactionsAndFoldsAtOnceLoseNothing() {
        // 40 transactions turning completions on and off, with folds among them: nothing lost or
        // counted twice, folded or not.
        List<Uni<Void>> work = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int offset = i % 10;
            work.add(pool.withTransaction(c -> c.preparedQuery("""
                            UPDATE enrolment SET completed_at = CASE WHEN completed_at IS NULL THEN now() END,
                                   started_at = coalesce(started_at, now())
                            WHERE campaign_id = $1 AND learner_id = (SELECT learner_id FROM enrolment WHERE campaign_id = $1
                                                                    ORDER BY learner_id OFFSET $2 LIMIT 1)""").execute(Tuple.of(campaign, offset)))
                    .replaceWithVoid());
            if (i % 4 == 0) {
                work.add(pool.query("SELECT report_rollup_fold()").execute().replaceWithVoid());
            }
        }
        Uni.join().all(work).andFailFast().await().atMost(Duration.ofSeconds(60));
        assertEquals(rollupsCounted(campaign), rollupsStored(campaign), "with changes not folded");
        pool.query("SELECT report_rollup_fold()").execute().await().indefinitely();
        assertEquals(rollupsCounted(campaign), rollupsStored(campaign), "all folded");
    }

    /** The report's rows as key|enrolled|completed, in order. */
    private static void assertRows(long campaign, String query, String token, String... expected) {
        assertEquals(List.of(expected), rows(campaign, query, token), query);
    }

    private static List<String> rows(long campaign, String query, String token) {
        JsonPath report = as(token)
                .get("/api/v1/campaigns/" + campaign + "/" + query)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<String> rows = new ArrayList<>();
        for (Map<String, Object> r : report.<Map<String, Object>>getList("rows")) {
            rows.add(r.get("key") + "|" + r.get("enrolled") + "|" + r.get("completed"));
        }
        return rows;
    }

    /** Every ancestor's counts per dimension and value, counted afresh from the learners. */
    private List<String> rollupsCounted(long campaign) {
        return lines(pool.preparedQuery("""
                        SELECT k.dimension, k.value, a.code, count(*), count(le.activated_at), count(e.started_at),
                               count(e.completed_at)
                        FROM enrolment e JOIN learner le ON le.id = e.learner_id
                        JOIN locality l ON l.code = le.locality_code
                        CROSS JOIN LATERAL locality_lineage(l.path) a
                        CROSS JOIN LATERAL report_keys(e.wave_id, e.nominated_by, e.target_group, le.gender, le.ethnicity) k
                        WHERE e.campaign_id = $1 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""").execute(Tuple.of(campaign)).await().indefinitely());
    }

    /** The same from the roll-ups and the changes not folded yet. */
    private List<String> rollupsStored(long campaign) {
        return lines(pool.preparedQuery("""
                        SELECT dimension, value, locality_code, sum(enrolled), sum(activated), sum(started), sum(completed)
                        FROM (SELECT * FROM report_rollup WHERE campaign_id = $1
                              UNION ALL SELECT * FROM report_rollup_delta WHERE campaign_id = $1) x
                        GROUP BY 1, 2, 3 HAVING sum(enrolled) <> 0 ORDER BY 1, 2, 3""").execute(Tuple.of(campaign)).await().indefinitely());
    }

    private static List<String> lines(io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> rows) {
        List<String> out = new ArrayList<>();
        for (var r : rows) {
            out.add(r.getString(0) + "|" + r.getString(1) + "|" + r.getString(2) + "|" + r.getLong(3) + "|"
                    + r.getLong(4) + "|" + r.getLong(5) + "|" + r.getLong(6));
        }
        // Sorted here: the two queries' ORDER BY would sort under different collations.
        out.sort(null);
        return out;
    }
}
