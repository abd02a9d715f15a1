package org.phocap.roster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.Secrets;

/**
 * A learner who forgot the PIN gets back in: a supporter whose scope covers them issues a fresh
 * one-time code (shown once, audited); activating with it sets a new PIN and ends every sign-in
 * the old PIN opened; the code works once, expires, and a newer one replaces it. Outside the
 * supporter's scope the learner does not exist (404).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AccountRecoveryTest {
    static final String P = "AR";

    @Inject
    Pool pool;

    static long learnerId(String token) {
        return as(token)
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    static JsonPath issue(String staff, long learner) {
        JsonPath code = as(staff)
                .post("/api/v1/learners/" + learner + "/activation-code")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Secrets.remember(code.getString("code"));
        return code;
    }

    static int activate(String phone, String code, String pin) {
        return RestAssured.given()
                .contentType(ContentType.JSON)
                .body(Map.of("phone", phone, "code", code, "pin", pin))
                .post("/api/v1/auth/activate")
                .then()
                .extract()
                .statusCode();
    }

    static JsonPath login(String phone, String pin) {
        return RestAssured.given()
                .contentType(ContentType.JSON)
                .body(Map.of("username", phone, "password", pin))
                .post("/api/v1/auth/login")
                .then()
                .extract()
                .jsonPath();
    }

    @Test
    void aFreshCodeSetsANewPinOnceAndEndsTheOldSignIns() {
        Api.treeOnce(P);
        long campaign = Api.campaign(P);
        String phone = Api.phone(64, 1);
        String oldAccess = Api.enrolledLearner(P, campaign, phone);
        JsonPath oldSignIn = login(phone, "314159");
        String oldRefresh = Secrets.remember(oldSignIn.getString("refreshToken"));
        long learner = learnerId(oldAccess);
        String supporter = Api.supporter("hotro.ar1", P + "1");

        JsonPath code = issue(supporter, learner);
        assertEquals(learner, code.getLong("learnerId"));
        Instant expiresAt = Instant.parse(code.getString("expiresAt"));
        assertTrue(
                expiresAt.isAfter(Instant.now().plus(Duration.ofDays(7)).minusSeconds(60))
                        && expiresAt.isBefore(
                                Instant.now().plus(Duration.ofDays(7)).plusSeconds(60)),
                "7 days: " + expiresAt);
        // Until it is used, nothing changes: the old PIN still signs in.
        assertEquals(
                200,
                RestAssured.given()
                        .contentType(ContentType.JSON)
                        .body(Map.of("username", phone, "password", "314159"))
                        .post("/api/v1/auth/login")
                        .statusCode());

        String newPin = Secrets.remember("864209");
        assertEquals(200, activate(phone, code.getString("code"), newPin));
        // Once only.
        assertEquals(400, activate(phone, code.getString("code"), "111111"));
        // The old PIN, the old refresh token and the old access token no longer work; the new PIN does.
        assertEquals(
                401,
                RestAssured.given()
                        .contentType(ContentType.JSON)
                        .body(Map.of("username", phone, "password", "314159"))
                        .post("/api/v1/auth/login")
                        .statusCode());
        assertEquals(
                401,
                RestAssured.given()
                        .contentType(ContentType.JSON)
                        .body(Map.of("refreshToken", oldRefresh))
                        .post("/api/v1/auth/refresh")
                        .statusCode());
        as(oldAccess).get("/api/v1/me").then().statusCode(401);
        assertTrue(login(phone, newPin).getString("accessToken") != null);

        // Audited: who issued it, for whom, when.
        JsonPath audit = as(admin())
                .get("/api/v1/audit?learnerId=" + learner)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("activation-code-issued", audit.getString("items[0].action"));
        assertEquals("hotro.ar1", audit.getString("items[0].staffUsername"));
        assertEquals(learner, audit.getLong("items[0].learnerId"));
    }

    @Test
    void outsideTheScopeTheLearnerDoesNotExistAndANewerCodeReplacesTheOlder() {
        Api.treeOnce(P);
        long campaign = Api.campaign(P);
        String phone = Api.phone(64, 2);
        long learner = learnerId(Api.enrolledLearner(P, campaign, phone, "Học Viên Hai", P + "2-1-1"));
        String elsewhere = Api.supporter("hotro.ar1", P + "1");
        as(elsewhere)
                .post("/api/v1/learners/" + learner + "/activation-code")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        as(elsewhere).post("/api/v1/learners/999999999/activation-code").then().statusCode(404);
        // A learner cannot issue codes; nor can anyone signed out.
        RestAssured.given()
                .post("/api/v1/learners/" + learner + "/activation-code")
                .then()
                .statusCode(401);

        String first = issue(admin(), learner).getString("code");
        String second = issue(admin(), learner).getString("code");
        assertEquals(400, activate(phone, first, "222222"), "the older code was replaced");
        assertEquals(200, activate(phone, second, "222222"));
    }

    @Test
    void anExpiredCodeActivatesNothing() {
        Api.treeOnce(P);
        long campaign = Api.campaign(P);
        String phone = Api.phone(64, 3);
        long learner = learnerId(Api.enrolledLearner(P, campaign, phone));
        String code = issue(admin(), learner).getString("code");
        pool.preparedQuery("UPDATE learner SET activation_code_expires_at = now() - interval '1 second' WHERE id = $1")
                .execute(Tuple.of(learner))
                .await()
                .indefinitely();
        assertEquals(400, activate(phone, code, "333333"));
        assertTrue(login(phone, "314159").getString("accessToken") != null, "the PIN is unchanged");
    }
}
