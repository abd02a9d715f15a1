package org.phocap.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged application (the jar here; the native binary where GraalVM exists, with
 * -Dnative) starts against a real PostgreSQL, migrates, signs in and serves its description.
 */
@QuarkusIntegrationTest
@WithTestResource(PostgresResource.class)
class PackagedAppIT {

    @Test
    void startsReadyAndSignsIn() {
        given().get(Management.url("/q/health/ready")).then().statusCode(200).body("status", equalTo("UP"));
        String token = given().contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", Api.ADMIN_PASSWORD))
                .post("/api/v1/auth/login")
                .then()
                .statusCode(200)
                .extract()
                .path("accessToken");
        given().header("Authorization", "Bearer " + token)
                .get("/api/v1/campaigns")
                .then()
                .statusCode(200);
        given().header("Authorization", "Bearer " + token)
                .contentType("text/csv; charset=UTF-8")
                .body("code,name,level,parent_code\nIT,Tỉnh Tích Hợp,1,\n")
                .put("/api/v1/localities")
                .then()
                .statusCode(200)
                .body("created", equalTo(1));
        given().get(Management.url("/q/openapi")).then().statusCode(200);
    }

    @Test
    void errorsAreProblems() {
        given().contentType(ContentType.JSON)
                .body("{")
                .post("/api/v1/auth/login")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void certificateVerificationAnswersFromThePackagedTemplateAndFonts() {
        given().get("/api/v1/public/certificates/VP-2026-000001-G")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("mistyped"));
        given().get("/verify/VP-2026-000001-G")
                .then()
                .statusCode(404)
                .contentType(org.hamcrest.Matchers.containsString("text/html"))
                .body(org.hamcrest.Matchers.containsString("Không tìm thấy giấy chứng nhận"));
    }
}
