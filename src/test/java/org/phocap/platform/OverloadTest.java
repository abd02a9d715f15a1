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
 * Admission control on a saturated pool: every connection busy, a request that needs one is
 * answered 503 with Retry-After within the bounded wait, and at once when the waiters' queue is
 * full; health and requests that need no connection stay fast; service resumes by itself.
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
            pool.query("SELECT pg_sleep(3)").execute().subscribe().with(r -> sleepers.incrementAndGet(), e -> sleepers.incrementAndGet());
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> activeSleeps() >= poolSize);

        // Waits out the bounded wait (500 ms in tests, 1 s by default), not the 30 s Vert.x default.
        long t0 = System.nanoTime();
        Response waited = as(admin).get("/api/v1/campaigns");
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertOverloaded(waited);
        assertTrue(waitedMs >= 300 && waitedMs < 1000, "answered after " + waitedMs + " ms");

        // Liveness needs no connection: fast while the pool is saturated, and readiness says busy, not down.
        t0 = System.nanoTime();
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        assertTrue((System.nanoTime() - t0) / 1_000_000 < 300, "liveness stays fast");
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'PostgreSQL database' }.data.busy", equalTo(true));

        // The waiters' queue full: refused at once.
        for (int i = 0; i < maxWaiters; i++) {
            pool.query("SELECT 1").execute().subscribe().with(r -> { }, e -> { });
        }
        t0 = System.nanoTime();
        Response full = as(admin).get("/api/v1/campaigns");
        long fullMs = (System.nanoTime() - t0) / 1_000_000;
        assertOverloaded(full);
        assertTrue(fullMs < 200, "refused at once, after " + fullMs + " ms");
        assertEquals("db-queue-full", causeOf(full), full.asString());
        assertTrue(shed() >= shedBefore + 2, "counted in phocap_overload_rejections_total");

        // Once the connections come back, service resumes without anything restarted.
        Awaitility.await().atMost(Duration.ofSeconds(8)).until(() -> sleepers.get() == poolSize);
        as(admin).get("/api/v1/campaigns").then().statusCode(200);
    }

    private static void assertOverloaded(Response answer) {
        answer.then().statusCode(503).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("/overloaded"));
        assertEquals("1", answer.header("Retry-After"));
    }

    /** Which bound refused, read back from the metric's newest cause: the problem itself does not say. */
    private static String causeOf(Response answer) {
        String metrics = RestAssured.get("/q/metrics").asString();
        return metrics.contains("phocap_overload_rejections_total{cause=\"db-queue-full\"") ? "db-queue-full" : "none";
    }

    private long activeSleeps() {
        // Counted by PostgreSQL itself, over a connection of its own (the pool is the thing being filled).
        try (var c = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            var rs = c.createStatement().executeQuery(
                    "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(3)' AND state = 'active'");
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double shed() {
        return RestAssured.get("/q/metrics").asString().lines()
                .filter(l -> l.startsWith("phocap_overload_rejections_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
