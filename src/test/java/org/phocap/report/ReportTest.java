package org.phocap.report;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.SseReader;
import org.phocap.platform.TestDatabase;

/**
 * Reports on a province built so the answers are known: 2 districts of 5 communes, 1,000 learners
 * in each commune; commune k (0-9) has 940 - 10k completions (8,950 in all), 20 more started than
 * completed and 10 more activated than started.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ReportTest {
    static final String P = "RP";
    static long campaign;

    /** The test's own connection: the fixtures are built in SQL, in-process and in ReportIT alike. */
    final Pool pool = TestDatabase.pool();

    @TestHTTPResource("/")
    URL base;

    static String commune(int k) {
        return P + (k < 5 ? "1" : "2") + "-" + (k % 5 + 1);
    }

    static long completed(int k) {
        return 940 - 10L * k;
    }

    @BeforeEach
    void province() {
        if (campaign != 0) {
            return;
        }
        StringBuilder tree = new StringBuilder("code,name,level,parent_code\n" + P + ",Tỉnh Báo Cáo,1,\n" + P
                + "1,Huyện Một,2," + P + "\n" + P + "2,Huyện Hai,2," + P + "\n");
        for (int k = 0; k < 10; k++) {
            tree.append(commune(k))
                    .append(",Xã Số ")
                    .append(k)
                    .append(",3,")
                    .append(P)
                    .append(k < 5 ? "1" : "2")
                    .append('\n');
        }
        as(admin())
                .contentType("text/csv; charset=UTF-8")
                .body(tree.toString())
                .put("/api/v1/localities")
                .then()
                .statusCode(200);
        campaign = as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Báo cáo",
                        "year",
                        2026,
                        "localityCode",
                        P,
                        "courseIds",
                        List.of(),
                        "targetLearners",
                        10_000))
                .post("/api/v1/campaigns")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        // Two imports of 5,000 (the test limit per file): districts one and two.
        for (int half = 0; half < 2; half++) {
            StringBuilder csv = new StringBuilder(Api.ROSTER_HEADER);
            for (int k = half * 5; k < half * 5 + 5; k++) {
                for (int i = 0; i < 1000; i++) {
                    int n = k * 1000 + i;
                    csv.append("Người Học ")
                            .append(n)
                            .append(',')
                            .append(String.format("09%02d%06d", 90 + k / 5, n))
                            .append(",1980,")
                            .append(i % 2 == 0 ? "Nữ" : "Nam")
                            .append(",Kinh,")
                            .append(commune(k))
                            .append(',')
                            .append(i % 3 == 0 ? "WOMENS_UNION" : "VILLAGE")
                            .append(",\n");
                }
            }
            long importId = Api.upload(admin(), campaign, csv.toString().getBytes(StandardCharsets.UTF_8), "text/csv");
            assertEquals(5000, Api.finished(admin(), importId).getInt("created"));
        }
        // The states by construction, set in three statements (the counters follow by trigger). The
        // tables grew by 10,000 rows a moment ago: without fresh statistics the planner may re-run the
        // ranking per row (seen: 155 s instead of about 1 s).
        pool.query("ANALYZE learner, enrolment").execute().await().indefinitely();
        String ranked = """
                SELECT e.learner_id, le.locality_code,
                       row_number() OVER (PARTITION BY le.locality_code ORDER BY e.learner_id) - 1 AS i,
                       substr(le.locality_code, length($2) + 1, 1)::int AS d, split_part(le.locality_code, '-', 2)::int AS c
                FROM enrolment e JOIN learner le ON le.id = e.learner_id WHERE e.campaign_id = $1""";
        String limit = "(940 - 10 * ((r.d - 1) * 5 + r.c - 1))";
        sql("UPDATE learner le SET activated_at = now() FROM (" + ranked + ") r WHERE le.id = r.learner_id AND r.i < "
                + limit + " + 30");
        sql("UPDATE enrolment e SET started_at = now() FROM (" + ranked
                + ") r WHERE e.campaign_id = $1 AND e.learner_id = r.learner_id AND r.i < " + limit + " + 20");
        sql("UPDATE enrolment e SET completed_at = now() FROM (" + ranked
                + ") r WHERE e.campaign_id = $1 AND e.learner_id = r.learner_id AND r.i < " + limit);
    }

    private void sql(String statement) {
        pool.preparedQuery(statement).execute(Tuple.of(campaign, P)).await().indefinitely();
    }

    @Test
    void totalsAndCommuneFiguresAreTheOnesBuilt() {
        JsonPath report = as(admin())
                .get("/api/v1/campaigns/" + campaign + "/report?groupBy=locality&level=2")
                .then()
                .statusCode(200)
                .body("rows", hasSize(10))
                .extract()
                .jsonPath();
        assertEquals(10_000, report.getLong("totals.enrolled"));
        assertEquals(8_950, report.getLong("totals.completed"));
        assertEquals(0.895, report.getDouble("totals.completionRate"));
        assertEquals(8_950 + 200, report.getLong("totals.started"));
        assertEquals(8_950 + 300, report.getLong("totals.activated"));
        for (int k = 0; k < 10; k++) {
            String path = "rows.find { it.key == '" + commune(k) + "' }.";
            assertEquals("Xã Số " + k, report.getString(path + "name"));
            assertEquals(1000, report.getLong(path + "enrolled"));
            assertEquals(completed(k), report.getLong(path + "completed"));
            assertEquals(completed(k) / 1000.0, report.getDouble(path + "completionRate"), 1e-9);
        }
        JsonPath districts = as(admin())
                .get("/api/v1/campaigns/" + campaign + "/report")
                .then()
                .statusCode(200)
                .body("rows", hasSize(2))
                .extract()
                .jsonPath();
        assertEquals(940 + 930 + 920 + 910 + 900, districts.getLong("rows.find { it.key == 'RP1' }.completed"));
        assertEquals(0.92, districts.getDouble("rows.find { it.key == 'RP1' }.completionRate"));
        assertEquals(0.87, districts.getDouble("rows.find { it.key == 'RP2' }.completionRate"));
    }

    @Test
    void otherGroupingsAddUpToTheSameTotals() {
        for (String groupBy : List.of("gender", "nominatedBy", "targetGroup", "wave", "ethnicity")) {
            JsonPath report = as(admin())
                    .get("/api/v1/campaigns/" + campaign + "/report?groupBy=" + groupBy)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertEquals(10_000, report.getLong("totals.enrolled"), groupBy);
            assertEquals(8_950, report.getLong("totals.completed"), groupBy);
        }
        as(admin())
                .get("/api/v1/campaigns/" + campaign + "/report?groupBy=gender")
                .then()
                .body("rows.find { it.key == 'FEMALE' }.enrolled", equalTo(5000))
                .body("rows.find { it.key == 'FEMALE' }.name", equalTo("Nữ"));
        as(admin())
                .get("/api/v1/campaigns/" + campaign + "/report?groupBy=nominatedBy")
                .then()
                .body("rows.find { it.key == 'WOMENS_UNION' }.enrolled", equalTo(3340))
                .body("rows.find { it.key == 'WOMENS_UNION' }.name", equalTo("Hội liên hiệp phụ nữ"));
        as(admin())
                .get("/api/v1/campaigns/" + campaign + "/report?groupBy=colour")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("groupBy"));
        as(admin())
                .get("/api/v1/campaigns/" + campaign + "/report?level=0")
                .then()
                .statusCode(400);
        as(admin()).get("/api/v1/campaigns/99999999/report").then().statusCode(404);
    }

    @Test
    void aDistrictSupporterSeesOnlyTheirDistrictAndTheCsvMatchesTheJson() {
        String token = Api.supporter("rp-sup-d2", P + "2");
        JsonPath report = as(token)
                .get("/api/v1/campaigns/" + campaign + "/report?level=2")
                .then()
                .statusCode(200)
                .body("rows", hasSize(5))
                .extract()
                .jsonPath();
        assertTrue(report.getList("rows.key", String.class).stream().allMatch(k -> k.startsWith(P + "2-")));
        assertEquals(5000, report.getLong("totals.enrolled"));
        assertEquals(890 + 880 + 870 + 860 + 850, report.getLong("totals.completed"));
        as(token)
                .get("/api/v1/campaigns/" + campaign + "/report")
                .then()
                .body("rows", hasSize(1))
                .body("rows[0].key", equalTo(P + "2"));

        String csv = as(token)
                .accept("text/csv")
                .get("/api/v1/campaigns/" + campaign + "/report?level=2")
                .then()
                .statusCode(200)
                .contentType("text/csv;charset=UTF-8")
                .extract()
                .asString();
        List<String> lines = csv.lines().toList();
        assertEquals(
                "key,name,enrolled,activated,started,completed,completion_rate,open_flags,flagged_completed,"
                        + "completion_rate_unflagged",
                lines.get(0));
        assertEquals(7, lines.size());
        List<Map<String, Object>> rows = report.getList("rows");
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> r = rows.get(i);
            assertEquals(
                    r.get("key") + "," + r.get("name") + "," + r.get("enrolled") + "," + r.get("activated") + ","
                            + r.get("started") + "," + r.get("completed") + "," + r.get("completionRate") + ","
                            + r.get("openFlags")
                            + "," + r.get("flaggedCompleted") + "," + r.get("completionRateUnflagged"),
                    lines.get(i + 1));
        }
        assertEquals(
                "TOTAL,Tổng cộng,5000," + report.getLong("totals.activated") + "," + report.getLong("totals.started")
                        + "," + report.getLong("totals.completed") + "," + report.getDouble("totals.completionRate")
                        + ","
                        + report.getLong("openFlags") + ",,",
                lines.get(6));
    }

    @Test
    void theLeaderboardRanksByRateThenCount() {
        as(admin())
                .get("/api/v1/campaigns/" + campaign + "/leaderboard?level=2")
                .then()
                .statusCode(200)
                .body("rows", hasSize(10))
                .body("rows[0].key", equalTo(commune(0)))
                .body("rows[0].rank", equalTo(1))
                .body("rows[9].key", equalTo(commune(9)))
                .body("rows[9].completionRate", equalTo(0.85f));
    }

    @Test
    void countersFollowEveryChangeExactly() throws Exception {
        // A move between waves, an attribute change and a completion: the counters equal a fresh count.
        long wave = as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name",
                        "Đợt A",
                        "opensAt",
                        "2026-01-01T00:00:00Z",
                        "closesAt",
                        "2026-01-08T00:00:00Z",
                        "capacity",
                        10_000))
                .post("/api/v1/campaigns/" + campaign + "/waves")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of("localityCodes", List.of(P + "1")))
                .post("/api/v1/campaigns/" + campaign + "/waves/" + wave + "/learners")
                .then()
                .statusCode(200);
        as(admin())
                .get("/api/v1/campaigns/" + campaign + "/report?groupBy=wave")
                .then()
                .body("rows.find { it.key == '" + wave + "' }.enrolled", equalTo(5000))
                .body("rows.find { it.key == '" + wave + "' }.name", equalTo("Đợt A"));
        try (SseReader live = SseReader.open(base, "api/v1/campaigns/" + campaign + "/live", admin(), null)) {
            SseReader.Event first = live.next();
            assertEquals("counters", first.name());
            assertTrue(first.data().contains("\"completed\":8950"), first.data());
            pool.preparedQuery("""
                    UPDATE enrolment SET completed_at = now(), started_at = coalesce(started_at, now())
                    WHERE campaign_id = $1 AND completed_at IS NULL AND learner_id = (
                        SELECT min(learner_id) FROM enrolment WHERE campaign_id = $1 AND completed_at IS NULL)""").execute(Tuple.of(campaign)).await().indefinitely();
            SseReader.Event next = live.next();
            assertTrue(next.data().contains("\"completed\":8951"), next.data());
        }
        pool.preparedQuery(
                        "UPDATE learner SET gender = 'OTHER' WHERE id = (SELECT min(learner_id) FROM enrolment WHERE campaign_id = $1)")
                .execute(Tuple.of(campaign))
                .await()
                .indefinitely();
        // A re-import changes two learners' gender and nominating body, and adds one learner.
        String again = Api.ROSTER_HEADER + "Người Học 1,0990000001,1980,Nữ,Kinh," + commune(0) + ",YOUTH_UNION,\n"
                + "Người Học 2,0990000002,1980,Nam,Kinh," + commune(0) + ",FARMERS_ASSOCIATION,\n"
                + "Người Mới,0992999999,1990,Nữ,Tày," + commune(9) + ",VILLAGE,Nông dân\n";
        long reimport = Api.upload(admin(), campaign, again.getBytes(StandardCharsets.UTF_8), "text/csv");
        assertEquals(1, Api.finished(admin(), reimport).getInt("created"));
        as(admin()).get("/api/v1/campaigns/" + campaign + "/report").then().body("totals.enrolled", equalTo(10_001));
        var stored = pool.preparedQuery("""
                        SELECT dimension, value, sum(enrolled), sum(activated), sum(started), sum(completed)
                        FROM report_counter WHERE campaign_id = $1 GROUP BY 1, 2 HAVING sum(enrolled) <> 0 ORDER BY 1, 2""").execute(Tuple.of(campaign)).await().indefinitely();
        var counted =
                pool.preparedQuery("""
                        SELECT k.dimension, k.value, count(*), count(le.activated_at), count(e.started_at), count(e.completed_at)
                        FROM enrolment e JOIN learner le ON le.id = e.learner_id
                        CROSS JOIN LATERAL report_keys(e.wave_id, e.nominated_by, e.target_group, le.gender, le.ethnicity) k
                        WHERE e.campaign_id = $1 GROUP BY 1, 2 ORDER BY 1, 2""").execute(Tuple.of(campaign)).await().indefinitely();
        assertEquals(rows(counted), rows(stored));
    }

    private static List<String> rows(io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> rows) {
        List<String> out = new java.util.ArrayList<>();
        for (var r : rows) {
            out.add(r.getString(0) + "|" + r.getString(1) + "|" + r.getLong(2) + "|" + r.getLong(3) + "|" + r.getLong(4)
                    + "|" + r.getLong(5));
        }
        return out;
    }
}
