package org.phocap.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.phocap.certificate.CertificateCourse;
import org.phocap.platform.Management;
import org.phocap.platform.PostgresResource;
import org.phocap.platform.Secrets;
import org.phocap.platform.SseReader;

/**
 * Finding 11: access tokens stop working when their sign-in is ended (logout, or a reused refresh
 * token revoking the family), and lesson streams end with them; a learner holds at most three streams.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SignOutTest {
    static final CertificateCourse COURSE = new CertificateCourse("SO", 99);

    @TestHTTPResource("/")
    URL base;

    private static JsonPath signIn(String phone) {
        JsonPath tokens = given().contentType(ContentType.JSON)
                .body(Map.of("username", phone, "password", "314159"))
                .post("/api/v1/auth/login")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Secrets.remember(tokens.getString("accessToken"));
        Secrets.remember(tokens.getString("refreshToken"));
        return tokens;
    }

    private static String phoneOf(CertificateCourse.Learner l) {
        return as(l.token())
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("phone");
    }

    @Test
    void afterLogoutTheAccessTokenIs401AndItsStreamEnds() throws Exception {
        COURSE.ready();
        CertificateCourse.Learner l = COURSE.learner("Người Đăng Xuất");
        String access = signIn(phoneOf(l)).getString("accessToken");
        as(access).get("/api/v1/me").then().statusCode(200);
        try (SseReader stream = SseReader.open(base, "/api/v1/me/courses/" + COURSE.course + "/stream", access, null)) {
            stream.untilReady();
            as(access).post("/api/v1/auth/logout").then().statusCode(204);
            as(access).get("/api/v1/me").then().statusCode(401);
            // The next keep-alive sees the ended sign-in: a retry hint, then the end.
            List<SseReader.Event> rest = stream.untilEnd();
            assertTrue(rest.stream().anyMatch(e -> e.retry() != null), rest.toString());
        }
        // The learner's other sign-in is untouched.
        as(l.token()).get("/api/v1/me").then().statusCode(200);
    }

    @Test
    void aReusedRefreshTokenRevokesTheFamilyAndItsAccessTokens() {
        COURSE.ready();
        CertificateCourse.Learner l = COURSE.learner("Người Bị Lộ Token");
        JsonPath first = signIn(phoneOf(l));
        JsonPath second = given().contentType(ContentType.JSON)
                .body(Map.of("refreshToken", first.getString("refreshToken")))
                .post("/api/v1/auth/refresh")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Secrets.remember(second.getString("accessToken"));
        Secrets.remember(second.getString("refreshToken"));
        as(second.getString("accessToken")).get("/api/v1/me").then().statusCode(200);
        // The first refresh token again: it leaked. The whole family ends, the fresh access token included.
        given().contentType(ContentType.JSON)
                .body(Map.of("refreshToken", first.getString("refreshToken")))
                .post("/api/v1/auth/refresh")
                .then()
                .statusCode(401);
        as(second.getString("accessToken")).get("/api/v1/me").then().statusCode(401);
        as(first.getString("accessToken")).get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void aLearnersFourthStreamClosesTheirFirst() throws Exception {
        COURSE.ready();
        CertificateCourse.Learner l = COURSE.learner("Người Nhiều Tab");
        String path = "/api/v1/me/courses/" + COURSE.course + "/stream";
        try (SseReader one = SseReader.open(base, path, l.token(), null);
                SseReader two = SseReader.open(base, path, l.token(), null);
                SseReader three = SseReader.open(base, path, l.token(), null)) {
            one.untilReady();
            two.untilReady();
            three.untilReady();
            try (SseReader four = SseReader.open(base, path, l.token(), null)) {
                four.untilReady();
                List<SseReader.Event> closed = one.untilEnd();
                assertTrue(closed.stream().anyMatch(e -> e.retry() != null), closed.toString());
                String metrics = given().get(Management.url("/q/metrics")).asString();
                assertTrue(metrics.contains("reason=\"superseded\""), "counted");
            }
        }
    }
}
