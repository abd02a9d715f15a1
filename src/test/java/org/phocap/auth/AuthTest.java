package org.phocap.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.PostgresResource;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class AuthTest {

    @Test
    void adminLogsInWithTheBootstrapPassword() {
        JsonPath tokens = Api.login("admin", Api.ADMIN_PASSWORD);
        org.junit.jupiter.api.Assertions.assertEquals("ADMIN", tokens.getString("role"));
        org.junit.jupiter.api.Assertions.assertTrue(tokens.getLong("expiresIn") > 0);
        // The token really works on an ADMIN-only call.
        as(tokens.getString("accessToken")).get("/api/v1/campaigns").then().statusCode(200);
    }

    @Test
    void wrongPasswordIsAProblem401() {
        given().contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", "not-it"))
                .post("/api/v1/auth/login")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401))
                .body("type", equalTo("https://phocap.org/problems/unauthorized"));
    }

    @Test
    void repeatedFailuresLockTheAccountEvenForTheRightPassword() {
        createStaff("lockme", "right-password-1");
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("username", "lockme", "password", "wrong-" + i))
                    .post("/api/v1/auth/login")
                    .then()
                    .statusCode(401);
        }
        given().contentType(ContentType.JSON)
                .body(Map.of("username", "lockme", "password", "right-password-1"))
                .post("/api/v1/auth/login")
                .then()
                .statusCode(429)
                .contentType("application/problem+json")
                .body("type", equalTo("https://phocap.org/problems/locked"));
        // Another account from the same address is not affected.
        Api.login("admin", Api.ADMIN_PASSWORD);
    }

    @Test
    @org.phocap.platform.InProcessOnly("fills the application's hashing queue through its bean")
    void signInsPastTheHashingBoundAreAnswered503AtOnceAndSucceedOnceItDrains() throws Exception {
        // The test profile lets 4 hashes wait or run, on 1 thread. Four slow ones (cost 13, most of a
        // second each here) fill it, as a crowd signing in at the start of a wave would.
        PasswordHasher hasher = org.phocap.platform.InApp.bean(PasswordHasher.class);
        String slow = at.favre.lib.crypto.bcrypt.BCrypt.withDefaults().hashToString(13, "x".toCharArray());
        List<java.util.concurrent.CompletableFuture<Boolean>> crowd = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            crowd.add(hasher.verify("x", slow).subscribeAsCompletionStage());
        }
        long start = System.nanoTime();
        given().contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", Api.ADMIN_PASSWORD))
                .post("/api/v1/auth/login")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "2")
                .body("type", equalTo("https://phocap.org/problems/overloaded"));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        org.junit.jupiter.api.Assertions.assertTrue(
                tookMs < 1000, "answered at once, not after the queue: " + tookMs + " ms");
        for (var hash : crowd) {
            org.junit.jupiter.api.Assertions.assertTrue(hash.get(60, java.util.concurrent.TimeUnit.SECONDS));
        }
        // Once the queue has drained, the same sign-in works.
        Api.login("admin", Api.ADMIN_PASSWORD);
    }

    @Test
    void refreshRotatesAndAReusedTokenRevokesTheFamily() {
        JsonPath first = Api.login("admin", Api.ADMIN_PASSWORD);
        String r1 = first.getString("refreshToken");
        JsonPath second = refresh(r1)
                .then()
                .statusCode(200)
                .body("accessToken", notNullValue())
                .extract()
                .jsonPath();
        String r2 = second.getString("refreshToken");
        org.junit.jupiter.api.Assertions.assertNotEquals(r1, r2);
        as(second.getString("accessToken")).get("/api/v1/campaigns").then().statusCode(200);

        // Reusing r1 is refused, and from then on r2 is dead too: the chain leaked.
        refresh(r1).then().statusCode(401).contentType("application/problem+json");
        refresh(r2).then().statusCode(401);
    }

    @Test
    void logoutRevokesTheRefreshToken() {
        JsonPath tokens = Api.login("admin", Api.ADMIN_PASSWORD);
        as(tokens.getString("accessToken")).post("/api/v1/auth/logout").then().statusCode(204);
        refresh(tokens.getString("refreshToken")).then().statusCode(401);
    }

    @Test
    void noTokenOrABadTokenIs401AndAWrongRoleIs403() {
        given().get("/api/v1/campaigns").then().statusCode(401).contentType("application/problem+json");
        as("not.a.jwt").get("/api/v1/campaigns").then().statusCode(401).contentType("application/problem+json");
        Api.tree("AU");
        createStaff("au.supporter", "supporter-pass-1", "SUPPORTER", List.of("AU"));
        String supporter = Api.login("au.supporter", "supporter-pass-1").getString("accessToken");
        as(supporter)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name", "x", "year", 2026, "localityCode", "AU", "courseIds", List.of(), "targetLearners", 1))
                .post("/api/v1/campaigns")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://phocap.org/problems/forbidden"));
    }

    @Test
    void staffUsernamesMustNotLookLikePhones() {
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "username",
                        "0912345678",
                        "password",
                        "long-enough",
                        "role",
                        "SUPPORTER",
                        "scope",
                        List.of("*"),
                        "fullName",
                        "X"))
                .post("/api/v1/staff")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    static void createStaff(String username, String password) {
        createStaff(username, password, "ADMIN", List.of("*"));
    }

    static void createStaff(String username, String password, String role, List<String> scope) {
        as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "username",
                        username,
                        "password",
                        password,
                        "role",
                        role,
                        "scope",
                        scope,
                        "fullName",
                        "Cán bộ " + username))
                .post("/api/v1/staff")
                .then()
                .statusCode(201)
                .body("username", equalTo(username));
    }

    private static io.restassured.response.Response refresh(String token) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("refreshToken", token))
                .post("/api/v1/auth/refresh");
    }
}
