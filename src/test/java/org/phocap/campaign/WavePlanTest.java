package org.phocap.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.PostgresResource;

/**
 * The wave planner on a generated province: 10 districts of 10 communes (100 communes), 10,000
 * learners, 150 supporters (24 in district 0, 14 in each other district), 20 learners per supporter
 * and 2,000 learners at once. Commune 0 (585 learners) is larger than its district's 480 per wave.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
// The second test opens a wave; the first needs every learner still unplanned.
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class WavePlanTest {
    static final String P = "WP";
    static final Map<String, Integer> SIZES = new HashMap<>();
    static long campaign;

    @Inject
    Pool pool;

    static String district(int d) {
        return P + d;
    }

    static String commune(int k) {
        return district(k / 10) + "-" + (k % 10);
    }

    static int size(int k) {
        return k == 0 ? 585 : 85 + 5 * (k % 5);
    }

    @BeforeEach
    void province() {
        if (campaign != 0) {
            return;
        }
        StringBuilder tree = new StringBuilder("code,name,level,parent_code\n" + P + ",Tỉnh Kế Hoạch,1,\n");
        for (int d = 0; d < 10; d++) {
            tree.append(district(d))
                    .append(",Huyện ")
                    .append(d)
                    .append(",2,")
                    .append(P)
                    .append('\n');
        }
        for (int k = 0; k < 100; k++) {
            tree.append(commune(k))
                    .append(",Xã ")
                    .append(k)
                    .append(",3,")
                    .append(district(k / 10))
                    .append('\n');
            SIZES.put(commune(k), size(k));
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
                        "Kế hoạch đợt",
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
        StringBuilder csv = new StringBuilder(Api.ROSTER_HEADER);
        int n = 0;
        for (int k = 0; k < 100; k++) {
            for (int i = 0; i < size(k); i++, n++) {
                csv.append("Học Viên ")
                        .append(n)
                        .append(',')
                        .append(String.format("09%02d%06d", 86 + n / 5000, n))
                        .append(",1985,Nữ,Kinh,")
                        .append(commune(k))
                        .append(",VILLAGE,\n");
                if (n % 5000 == 4999) {
                    upload(csv);
                    csv = new StringBuilder(Api.ROSTER_HEADER);
                }
            }
        }
        assertEquals(10_000, n);
        for (int d = 0; d < 10; d++) {
            for (int i = 0; i < (d == 0 ? 24 : 14); i++) {
                as(admin())
                        .contentType(ContentType.JSON)
                        .body(Map.of(
                                "username",
                                "wp-" + d + "-" + i,
                                "password",
                                "supporter-password",
                                "role",
                                "SUPPORTER",
                                "scope",
                                List.of(district(d)),
                                "fullName",
                                "Hỗ trợ " + d))
                        .post("/api/v1/staff")
                        .then()
                        .statusCode(201);
            }
        }
    }

    private static void upload(StringBuilder csv) {
        long importId = Api.upload(admin(), campaign, csv.toString().getBytes(StandardCharsets.UTF_8), "text/csv");
        assertEquals(5000, Api.finished(admin(), importId).getInt("created"));
    }

    static Map<String, Object> request(int maxConcurrent) {
        return Map.of(
                "startsOn", "2027-03-01", "waveDays", 6, "maxConcurrent", maxConcurrent, "learnersPerSupporter", 20);
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void planRespectsCapacityAndSupporterLoadKeepsCommunesWholeAndIsDeterministic() {
        String first = as(admin())
                .contentType(ContentType.JSON)
                .body(request(2000))
                .post("/api/v1/campaigns/" + campaign + "/wave-plan")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String again = as(admin())
                .contentType(ContentType.JSON)
                .body(request(2000))
                .post("/api/v1/campaigns/" + campaign + "/wave-plan")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertEquals(first, again, "the same input gives the same plan");
        JsonPath plan = JsonPath.from(first);
        assertEquals(10_000, plan.getInt("learners"));
        assertTrue(plan.getList("unsupportedUnits").isEmpty());
        List<Map<String, Object>> waves = plan.getList("waves");
        Map<String, Integer> placed = new HashMap<>();
        Map<String, Integer> wavesOfCommune = new HashMap<>();
        for (Map<String, Object> wave : waves) {
            int learners = (Integer) wave.get("learners");
            assertTrue(learners <= 2000, "wave over capacity: " + learners);
            for (Map<String, Object> load : (List<Map<String, Object>>) wave.get("supporterLoad")) {
                int supporters = (Integer) load.get("supporters");
                assertEquals(((String) load.get("localityCode")).equals(district(0)) ? 24 : 14, supporters);
                assertTrue((Integer) load.get("learners") <= supporters * 20, "supporter load: " + load);
                assertTrue((Integer) load.get("perSupporter") <= 20, "per supporter: " + load);
            }
            for (Map<String, Object> unit : (List<Map<String, Object>>) wave.get("units")) {
                placed.merge((String) unit.get("code"), (Integer) unit.get("learners"), Integer::sum);
                wavesOfCommune.merge((String) unit.get("code"), 1, Integer::sum);
            }
        }
        assertEquals(SIZES, placed, "every learner is placed once");
        for (var e : wavesOfCommune.entrySet()) {
            // Every commune that fits a wave of its district (480 or 280 learners) is kept whole.
            assertEquals(e.getKey().equals(commune(0)) ? 2 : 1, e.getValue(), e.getKey());
        }
        int lowerBound = plan.getInt("lowerBoundWaves");
        // First-fit decreasing is within one wave of the bound no plan can beat here.
        assertTrue(waves.size() <= lowerBound + 1, waves.size() + " waves, bound " + lowerBound);
        // Waves open at midnight in Vietnam, back to back.
        assertEquals("2027-02-28T17:00:00Z", plan.getString("waves[0].opensAt"));
        assertEquals("2027-03-06T17:00:00Z", plan.getString("waves[0].closesAt"));
        assertEquals("2027-03-06T17:00:00Z", plan.getString("waves[1].opensAt"));
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of("startsOn", "2027-03-01", "waveDays", 8, "maxConcurrent", 10, "learnersPerSupporter", 20))
                .post("/api/v1/campaigns/" + campaign + "/wave-plan")
                .then()
                .statusCode(400);
        String supporter = Api.login("wp-1-0", "supporter-password").getString("accessToken");
        as(supporter)
                .contentType(ContentType.JSON)
                .body(request(2000))
                .post("/api/v1/campaigns/" + campaign + "/wave-plan")
                .then()
                .statusCode(403);
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void applyAssignsTheWavesAndReplanningLeavesLearnersWhoStudyAlone() {
        JsonPath applied = as(admin())
                .contentType(ContentType.JSON)
                .body(request(2000))
                .post("/api/v1/campaigns/" + campaign + "/wave-plan/apply")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<Map<String, Object>> waves = applied.getList("waves");
        for (Map<String, Object> wave : waves) {
            long id = ((Number) wave.get("waveId")).longValue();
            as(admin())
                    .get("/api/v1/campaigns/" + campaign + "/waves/" + id)
                    .then()
                    .statusCode(200)
                    .body("assigned", org.hamcrest.Matchers.equalTo(wave.get("learners")));
        }
        // The first wave opens: its learners are studying now and a new plan must leave them alone.
        long first = applied.getLong("waves[0].waveId");
        Set<Long> studying = learnersOf(first);
        pool.preparedQuery(
                        "UPDATE wave SET opens_at = now() - interval '1 day', closes_at = now() + interval '5 days' WHERE id = $1")
                .execute(Tuple.of(first))
                .await()
                .indefinitely();
        JsonPath replanned = as(admin())
                .contentType(ContentType.JSON)
                .body(request(1000))
                .post("/api/v1/campaigns/" + campaign + "/wave-plan/apply")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(studying.size(), replanned.getInt("keptStudying"));
        assertEquals(10_000 - studying.size(), replanned.getInt("learners"));
        assertEquals(studying, learnersOf(first));
        for (Map<String, Object> wave : replanned.<Map<String, Object>>getList("waves")) {
            assertTrue((Integer) wave.get("learners") <= 1000);
        }
        // The waves of the first plan that are now empty are gone; the opened one stays.
        List<Long> remaining = as(admin())
                .get("/api/v1/campaigns/" + campaign + "/waves")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("id", Long.class);
        assertEquals(replanned.getList("waves").size() + 1, remaining.size());
        assertTrue(remaining.contains(first));
    }

    private Set<Long> learnersOf(long wave) {
        Set<Long> ids = new HashSet<>();
        pool.preparedQuery("SELECT learner_id FROM enrolment WHERE wave_id = $1")
                .execute(Tuple.of(wave))
                .await()
                .indefinitely()
                .forEach(r -> ids.add(r.getLong(0)));
        return ids;
    }
}
