package org.phocap.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class HealthTest {
    @Test
    void liveAndReadyWithDatabaseCheck() {
        given().when()
                .get(Management.url("/q/health/live"))
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"));
        given().when()
                .get(Management.url("/q/health/ready"))
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItem(containsString("PostgreSQL")));
    }

    @Test
    void metricsArePrometheusText() {
        given().when()
                .get(Management.url("/q/metrics"))
                .then()
                .statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                // The pool's waiting queue is there to alert on; the SQL client's per-event-loop gauges
                // (registered twice under one name, a WARN at each start) are not.
                .body(containsString("sql_pool_queue_size{"))
                .body(org.hamcrest.Matchers.not(containsString("postgresql_queue_size")));
    }

    /** Every cache (platform/Caches) reports its meters: hits and misses, size, evictions. */
    @Test
    void everyCacheReportsItsMeters() {
        String token = Api.admin();
        given().header("Authorization", "Bearer " + token)
                .get("/api/v1/campaigns")
                .then()
                .statusCode(200);
        given().header("Authorization", "Bearer " + token)
                .get("/api/v1/campaigns")
                .then()
                .statusCode(200);
        String metrics = given().get(Management.url("/q/metrics"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        for (String cache : java.util.List.of(
                "lessons",
                "quiz-definitions",
                "course-outlines",
                "reports",
                "learner-access",
                "progress-states",
                "learner-presence",
                "verified-tokens",
                "progress-events",
                "started-enrolments")) {
            org.junit.jupiter.api.Assertions.assertTrue(
                    metrics.contains("cache_gets_total{cache=\"" + cache + "\"")
                            || metrics.matches("(?s).*cache_gets_total\\{[^}]*cache=\"" + cache + "\".*"),
                    cache + " has no cache_gets_total");
        }
        org.junit.jupiter.api.Assertions.assertTrue(
                metrics.matches(
                        "(?s).*cache_gets_total\\{[^}]*cache=\"verified-tokens\"[^}]*result=\"hit\"[^}]*} [1-9].*"),
                "the second request reused the verified token");
    }
}
