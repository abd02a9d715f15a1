package org.phocap.platform;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class IdempotencyTest {
    static final String P = "ID";

    @BeforeEach
    void province() {
        Api.treeOnce(P);
    }

    private static io.restassured.response.Response create(String key, String name) {
        var request = as(admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "name", name, "year", 2026, "localityCode", P, "courseIds", List.of(), "targetLearners", 10));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/api/v1/campaigns");
    }

    @Test
    void aRetryWithTheSameKeyGetsTheFirstAnswerAndCreatesNothing() {
        String key = UUID.randomUUID().toString();
        long first = create(key, "Một lần")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        long again = create(key, "Một lần")
                .then()
                .statusCode(201)
                .body("name", equalTo("Một lần"))
                .extract()
                .jsonPath()
                .getLong("id");
        assertEquals(first, again);
        long named = as(admin())
                .queryParam("size", 500)
                .get("/api/v1/campaigns")
                .then()
                .extract()
                .jsonPath()
                .getList("items.findAll { it.name == 'Một lần' }")
                .size();
        assertEquals(1, named);
    }

    @Test
    void theSameKeyForAnotherRequestIsAConflict() {
        String key = UUID.randomUUID().toString();
        create(key, "Thứ nhất").then().statusCode(201);
        create(key, "Thứ hai")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://phocap.org/problems/idempotency-key-reused"));
    }

    @Test
    void withoutAKeyEachPostCreates() {
        long a = create(null, "Không khóa")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        long b = create(null, "Không khóa")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        assertNotEquals(a, b);
    }

    @Test
    void aFailedRequestKeepsNothingSoItsRetryRunsAgain() {
        String key = UUID.randomUUID().toString();
        as(admin())
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body(Map.of(
                        "name",
                        "Sai",
                        "year",
                        2026,
                        "localityCode",
                        "NOWHERE",
                        "courseIds",
                        List.of(),
                        "targetLearners",
                        10))
                .post("/api/v1/campaigns")
                .then()
                .statusCode(400);
        as(admin())
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body(Map.of(
                        "name",
                        "Sai",
                        "year",
                        2026,
                        "localityCode",
                        "NOWHERE",
                        "courseIds",
                        List.of(),
                        "targetLearners",
                        10))
                .post("/api/v1/campaigns")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("localityCode"));
    }
}
