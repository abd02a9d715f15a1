package org.phocap.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.Secrets;

/**
 * The audit log: staff actions on learners are entries (who, what, when), readable by ADMINs in
 * their scope only, filtered by learner, campaign and time; never readable by supporters.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AuditTest {
    static final String P = "AU";

    static long id(String token) {
        return as(token)
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    @Test
    void movingLearnersToAWaveIsAnEntryFoundByCampaignAndTime() throws InterruptedException {
        Api.treeOnce(P);
        long campaign = Api.campaign(P);
        long learner = id(Api.enrolledLearner(P, campaign, Api.phone(65, 1)));
        // The roster import above is an entry before this moment; the wave move comes after it.
        Thread.sleep(20);
        Instant before = Instant.now();
        Thread.sleep(20);
        long wave = Api.openWave(campaign);
        as(Api.supporter("hotro.au", P))
                .contentType(ContentType.JSON)
                .body(Map.of("learnerIds", List.of(learner)))
                .post("/api/v1/campaigns/" + campaign + "/waves/" + wave + "/learners")
                .then()
                .statusCode(200);

        JsonPath audit = as(admin())
                .get("/api/v1/audit?campaignId=" + campaign + "&from=" + before)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(1, audit.getInt("total"), audit.prettify());
        // The roster import that enrolled the learner, before that, is an entry too.
        JsonPath imports = as(admin())
                .get("/api/v1/audit?campaignId=" + campaign + "&to=" + before)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("roster-import-started", imports.getString("items[0].action"));
        assertEquals("admin", imports.getString("items[0].staffUsername"));
        assertEquals(P, imports.getString("items[0].localityCode"));
        assertEquals("learners-moved-to-wave", audit.getString("items[0].action"));
        assertEquals("hotro.au", audit.getString("items[0].staffUsername"));
        assertEquals(wave, audit.getLong("items[0].detail.waveId"));
        assertEquals(1, audit.getInt("items[0].detail.assigned"));
        assertEquals(List.of((int) learner), audit.getList("items[0].detail.learnerIds"));
        assertEquals(P, audit.getString("items[0].localityCode"));
        // A window that ended before the move holds nothing of it.
        assertTrue(imports.getList("items.action").stream().noneMatch("learners-moved-to-wave"::equals));
    }

    @Test
    void onlyAdminsReadItAndOnlyInTheirScope() {
        Api.treeOnce(P);
        long campaign = Api.campaign(P);
        long learner = id(Api.enrolledLearner(P, campaign, Api.phone(65, 2)));
        as(admin())
                .post("/api/v1/learners/" + learner + "/activation-code")
                .then()
                .statusCode(200);
        as(Api.supporter("hotro.au", P)).get("/api/v1/audit").then().statusCode(403);
        // An ADMIN of another province sees none of it.
        Api.treeOnce("AV");
        String password = Secrets.remember("admin-av-password");
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "username",
                        "admin.av",
                        "password",
                        password,
                        "role",
                        "ADMIN",
                        "scope",
                        List.of("AV"),
                        "fullName",
                        "Quản trị AV"))
                .post("/api/v1/staff");
        String otherAdmin = Api.login("admin.av", password).getString("accessToken");
        assertEquals(
                0,
                as(otherAdmin)
                        .get("/api/v1/audit?learnerId=" + learner)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getInt("total"));
        assertTrue(as(admin())
                        .get("/api/v1/audit?learnerId=" + learner)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getInt("total")
                >= 1);
        // Bad filters are 400 naming the parameter.
        as(admin()).get("/api/v1/audit?from=yesterday").then().statusCode(400).contentType("application/problem+json");
        as(admin()).get("/api/v1/audit?learnerId=abc").then().statusCode(400);
    }
}
