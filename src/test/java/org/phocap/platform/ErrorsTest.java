package org.phocap.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Every failure answers application/problem+json, never a stack trace or an HTML page. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ErrorsTest {

    @Test
    void malformedJsonIsA400Problem() {
        given().contentType(ContentType.JSON)
                .body("{\"username\": \"admin\", ")
                .post("/api/v1/auth/login")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", not(containsString("Exception")))
                .body(not(containsString("at org.")));
    }

    @Test
    void wrongJsonTypeIsA400ProblemNamingTheField() {
        as(admin())
                .contentType(ContentType.JSON)
                .body(
                        "{\"name\":\"x\",\"year\":\"two thousand\",\"localityCode\":\"X\",\"courseIds\":[],\"targetLearners\":1}")
                .post("/api/v1/campaigns")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("year"));
    }

    @Test
    void unknownJsonFieldsAreRefused() {
        given().contentType(ContentType.JSON)
                .body("{\"username\":\"admin\",\"password\":\"x\",\"remember\":true}")
                .post("/api/v1/auth/login")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("remember"));
    }

    @Test
    void wrongContentTypeIsA415Problem() {
        given().contentType("text/plain")
                .body("username=admin")
                .post("/api/v1/auth/login")
                .then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("type", equalTo("https://phocap.org/problems/unsupported-media-type"));
        as(admin())
                .contentType(ContentType.JSON)
                .body("{}")
                .put("/api/v1/localities")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void oversizedJsonIsA413Problem() {
        String big = "{\"username\":\"" + "a".repeat(1_100_000) + "\",\"password\":\"x\"}";
        given().contentType(ContentType.JSON)
                .body(big)
                .post("/api/v1/auth/login")
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
    }

    @Test
    void unknownPathsAndMethodsAreProblems() {
        as(admin()).get("/api/v1/no-such-thing").then().statusCode(404).contentType("application/problem+json");
        as(admin()).delete("/api/v1/auth/login").then().statusCode(405).contentType("application/problem+json");
    }

    @Test
    void missingBodyIsA400Problem() {
        given().contentType(ContentType.JSON)
                .post("/api/v1/auth/login")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }
}
