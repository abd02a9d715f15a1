package org.phocap.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.phocap.platform.Api.admin;
import static org.phocap.platform.Api.as;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Admission control on a saturated pool: every connection busy and the waiters' queue full, a
 * request that needs a connection is answered 503 with Retry-After at once; health needs none and
 * stays fast; once the connections come back, service resumes by itself.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OverloadTest {
    @Inject
    Pool pool;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.reactive.max-size")
    int poolSize;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "phocap.db.max-waiters")
    int maxWaiters;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void aSaturatedPoolAnswers503FastAndRecoversByItself() {
        String admin = admin();
        as(admin).get("/api/v1/campaigns").then().statusCode(200);
        double shedBefore = shed();
        // Every connection held for three seconds.
        AtomicInteger sleepers = new AtomicInteger();
        for (int i = 0; i < poolSize; i++) {
            pool.query("SELECT pg_sleep(3)")
                    .execute()
                    .subscribe()
                    .with(r -> sleepers.incrementAndGet(), e -> sleepers.incrementAndGet());
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> activeSleeps() >= poolSize);

        // Requests that wait for a connection, up to the bound of the waiters' queue.
        AtomicInteger waited = new AtomicInteger();
        for (int i = 0; i < maxWaiters; i++) {
            pool.query("SELECT 1")
                    .execute()
                    .subscribe()
                    .with(r -> waited.incrementAndGet(), e -> waited.incrementAndGet());
        }

        // One more is refused at once: 503 with Retry-After, not a wait.
        long t0 = System.nanoTime();
        Response refused = as(admin).get("/api/v1/campaigns");
        long refusedMs = (System.nanoTime() - t0) / 1_000_000;
        assertOverloaded(refused);
        assertTrue(refusedMs < 500, "refused at once, after " + refusedMs + " ms");
        assertTrue(shed() >= shedBefore + 1, "counted in phocap_overload_rejections_total");
        assertTrue(RestAssured.get(Management.url("/q/metrics"))
                .asString()
                .contains("phocap_overload_rejections_total{cause=\"db-queue-full\"}"));

        // Liveness needs no connection: fast while the pool is saturated; readiness says busy, not down.
        t0 = System.nanoTime();
        given().get(Management.url("/q/health/live")).then().statusCode(200).body("status", equalTo("UP"));
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 300, "liveness stays fast");
        given().get(Management.url("/q/health/ready"))
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'PostgreSQL database' }.data.busy", equalTo(true));

        // Once the connections come back, service resumes without anything restarted.
        Awaitility.await()
                .atMost(Duration.ofSeconds(8))
                .until(() -> sleepers.get() == poolSize && waited.get() == maxWaiters);
        as(admin).get("/api/v1/campaigns").then().statusCode(200);
    }

    private static void assertOverloaded(Response answer) {
        answer.then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("/overloaded"));
        assertEquals("1", answer.header("Retry-After"));
    }

    private long activeSleeps() {
        // Counted by PostgreSQL itself, over a connection of its own (the pool is the thing being filled).
        try (var c = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            var rs = c.createStatement()
                    .executeQuery(
                            "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(3)' AND state = 'active'");
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double shed() {
        return RestAssured.get(Management.url("/q/metrics"))
                .asString()
                .lines()
                .filter(l -> l.startsWith("phocap_overload_rejections_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
