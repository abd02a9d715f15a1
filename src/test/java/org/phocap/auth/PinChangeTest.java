package org.phocap.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.phocap.platform.Api;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.Secrets;

/** A learner changes their PIN by proving the current one; every other sign-in of theirs ends. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PinChangeTest {
    static final String P = "PN";

    static long campaign() {
        Api.treeOnce(P);
        return Api.campaign(P);
    }

    static int change(String token, String current, String next) {
        return as(token)
                .contentType(ContentType.JSON)
                .body(Map.of("currentPin", current, "newPin", next))
                .put("/api/v1/me/pin")
                .then()
                .extract()
                .statusCode();
    }

    static int login(String phone, String pin) {
        return RestAssured.given()
                .contentType(ContentType.JSON)
                .body(Map.of("username", phone, "password", pin))
                .post("/api/v1/auth/login")
                .then()
                .extract()
                .statusCode();
    }

    @Test
    void theNewPinSignsInTheOldOneNotAndOtherSignInsEnd() {
        String phone = Api.phone(62, 1);
        String here = Api.enrolledLearner(P, campaign(), phone);
        String elsewhere = Secrets.remember(RestAssured.given()
                .contentType(ContentType.JSON)
                .body(Map.of("username", phone, "password", "314159"))
                .post("/api/v1/auth/login")
                .then()
                .statusCode(200)
                .extract()
                .path("accessToken"));
        String next = Secrets.remember("271828");

        assertEquals(204, change(here, "314159", next));
        assertEquals(401, login(phone, "314159"));
        assertEquals(200, login(phone, next));
        // The sign-in that changed it goes on; the other one has ended.
        as(here).get("/api/v1/me").then().statusCode(200);
        as(elsewhere).get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void aWrongCurrentPinOrABadNewOneChangesNothing() {
        String phone = Api.phone(62, 2);
        String token = Api.enrolledLearner(P, campaign(), phone);
        as(token)
                .contentType(ContentType.JSON)
                .body(Map.of("currentPin", "000000", "newPin", "271828"))
                .put("/api/v1/me/pin")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.hasItem("currentPin"));
        as(token)
                .contentType(ContentType.JSON)
                .body(Map.of("currentPin", "314159", "newPin", "314159"))
                .put("/api/v1/me/pin")
                .then()
                .statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("newPin"));
        for (Object bad : List.of("12345", "1234567", "12a456", 271828)) {
            as(token)
                    .contentType(ContentType.JSON)
                    .body(Map.of("currentPin", "314159", "newPin", bad))
                    .put("/api/v1/me/pin")
                    .then()
                    .statusCode(400);
        }
        assertEquals(200, login(phone, "314159"), "the PIN is unchanged");
        // Staff have passwords, not PINs.
        assertEquals(403, change(admin(), "314159", "271828"));
        assertEquals(
                401,
                RestAssured.given()
                        .contentType(ContentType.JSON)
                        .body(Map.of("currentPin", "314159", "newPin", "271828"))
                        .put("/api/v1/me/pin")
                        .then()
                        .extract()
                        .statusCode());
    }

    @Test
    void guessingTheCurrentPinIsThrottledLikeASignIn() {
        String token = Api.enrolledLearner(P, campaign(), Api.phone(62, 3));
        int status = 0;
        for (int i = 0; i < 6 && status != 429; i++) {
            status = change(token, String.format("%06d", i), "271828");
        }
        assertEquals(429, status, "wrong PINs are throttled");
    }
}
