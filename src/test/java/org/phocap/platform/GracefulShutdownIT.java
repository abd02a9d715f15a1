package org.phocap.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM in the middle of heartbeat load, as Kubernetes stops a pod: readiness goes down while
 * requests are still served, open streams get a retry: hint and end, and every heartbeat answered
 * 2xx is in PostgreSQL afterwards.
 */
class GracefulShutdownIT {
    static final String P = "GS";
    static final int LEARNERS = 12;

    /** What one learner's device got answered, in order. */
    record Acked(long learnerId, long lastAckedSeq, int acked, long lastAckedAtNanos) {}

    @Test
    void sigtermDuringHeartbeatLoadLosesNothingAcknowledged() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "100")
                .start()) {
            String url = "postgresql://localhost:" + postgres.getPort() + "/postgres";
            AppProcess app = AppProcess.start("shutdown", url, Map.of("PHOCAP_SHUTDOWN_DELAY", "2s"));
            try {
                app.awaitReady(Duration.ofSeconds(90));
                run(app, postgres);
            } finally {
                RestAssured.reset();
                Api.forgetAdmin();
                app.close();
            }
        }
    }

    private void run(AppProcess app, EmbeddedPostgres postgres) throws Exception {
        Api.forgetAdmin();
        RestAssured.port = app.port();
        StudyFixture fixture = StudyFixture.create(P, "SHUTDOWN-COURSE", 91, LEARNERS);
        long course = fixture.course();
        long lesson = fixture.lesson();
        List<String> tokens = fixture.tokens();

        SseReader stream = SseReader.open(app.base(), "api/v1/me/courses/" + course + "/stream", tokens.get(0), null);
        stream.untilReady();
        CompletableFuture<List<SseReader.Event>> streamTail = CompletableFuture.supplyAsync(stream::untilEnd);

        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ExecutorService pool = Executors.newFixedThreadPool(LEARNERS + 1);
        AtomicLong readinessDownAt = new AtomicLong();
        Future<?> readiness = pool.submit(() -> {
            while (readinessDownAt.get() == 0) {
                try {
                    if (app.readiness(client) != 200) {
                        readinessDownAt.set(System.nanoTime());
                    }
                } catch (IOException | InterruptedException gone) {
                    readinessDownAt.compareAndSet(0, System.nanoTime());
                }
                sleep(20);
            }
        });
        List<Future<Acked>> devices = new ArrayList<>();
        for (int i = 0; i < LEARNERS; i++) {
            int learner = i;
            devices.add(pool.submit(() -> study(client, app, fixture, learner)));
        }
        Thread.sleep(1500);
        app.sigterm();
        assertTrue(app.waitForExit(Duration.ofSeconds(45)), "the service stopped within its grace period");
        readiness.get(10, TimeUnit.SECONDS);
        List<Acked> acked = new ArrayList<>();
        for (Future<Acked> device : devices) {
            acked.add(device.get(30, TimeUnit.SECONDS));
        }
        pool.shutdownNow();

        // Readiness went down first: heartbeats were still answered after it did.
        long lastAnswer =
                acked.stream().mapToLong(Acked::lastAckedAtNanos).max().orElseThrow();
        assertTrue(
                readinessDownAt.get() > 0 && lastAnswer > readinessDownAt.get(),
                "a heartbeat was answered after readiness went down");

        // The stream was told when to come back, then ended by the server.
        List<SseReader.Event> tail = streamTail.get(30, TimeUnit.SECONDS);
        assertTrue(
                tail.stream().anyMatch(e -> e.retry() != null && e.retry() > 0),
                "a retry: hint before the end: " + tail);
        stream.close();

        // Every 2xx is in PostgreSQL.
        int total = 0;
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                PreparedStatement q = c.prepareStatement(
                        "SELECT last_seq, heartbeats FROM lesson_progress WHERE learner_id = ? AND lesson_id = ?")) {
            for (Acked a : acked) {
                total += a.acked();
                if (a.acked() == 0) {
                    continue;
                }
                q.setLong(1, a.learnerId());
                q.setLong(2, lesson);
                try (ResultSet rs = q.executeQuery()) {
                    assertTrue(rs.next(), "learner " + a.learnerId() + " has stored progress");
                    assertTrue(
                            rs.getLong(1) >= a.lastAckedSeq(),
                            "stored seq " + rs.getLong(1) + " >= acked " + a.lastAckedSeq());
                    assertTrue(
                            rs.getInt(2) >= a.acked(), "stored heartbeats " + rs.getInt(2) + " >= acked " + a.acked());
                }
            }
        }
        assertTrue(total > 50, "the load was real: " + total + " heartbeats answered");
        assertEquals(LEARNERS, acked.size());
    }

    /** One device sending heartbeats back to back until the server is gone. */
    private static Acked study(HttpClient client, AppProcess app, StudyFixture fixture, int learner) {
        String token = fixture.tokens().get(learner);
        long learnerId = fixture.ids().get(learner);
        long seq = 0;
        long lastAcked = 0;
        int acked = 0;
        long lastAt = 0;
        while (true) {
            seq++;
            String body = fixture.heartbeat(learner, seq);
            HttpRequest request = HttpRequest.newBuilder(URI.create(app.base() + "api/v1/me/heartbeats"))
                    .header("Authorization", "Bearer " + token)
                    .header("X-Device-Id", "d-" + learnerId)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status / 100 == 2) {
                    acked++;
                    lastAcked = seq;
                    lastAt = System.nanoTime();
                } else if (status != 503) {
                    throw new AssertionError("heartbeat answered " + status);
                }
            } catch (IOException | InterruptedException gone) {
                return new Acked(learnerId, lastAcked, acked, lastAt);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
