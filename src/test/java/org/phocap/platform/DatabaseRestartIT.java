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
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL restarted under heartbeat load (issue 17): while it is down heartbeats are answered
 * 503 with Retry-After (never 500, never a hang) and readiness is DOWN; within 10 s of it coming
 * back the instance serves again by itself; every heartbeat answered 2xx is stored.
 */
class DatabaseRestartIT {
    static final String P = "DR";
    static final int LEARNERS = 8;

    /** What one device got answered. */
    static final class Device {
        volatile long lastAckedSeq;
        volatile int acked;
        volatile long lastAckedAt;
        final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        volatile boolean retryAfterOn503 = true;
        /** When each 2xx came (System.nanoTime), to find the first one after the database's return. */
        final java.util.concurrent.ConcurrentLinkedQueue<Long> ackTimes =
                new java.util.concurrent.ConcurrentLinkedQueue<>();
    }

    static long firstAckAfter(Device d, long at) {
        return d.ackTimes.stream()
                .mapToLong(Long::longValue)
                .filter(t -> t > at)
                .min()
                .orElse(at);
    }

    @Test
    void aDatabaseRestartIsAnswered503AndRecoveredFromWithNothingAcknowledgedLost() throws Exception {
        Path data = Path.of("target", "it-data", "restart-db").toAbsolutePath();
        EmbeddedDatabaseIT.deleteTree(data);
        int port = AppProcess.freePort();
        EmbeddedPostgres postgres = database(data, port);
        String url = "postgresql://localhost:" + port + "/postgres";
        AppProcess app = AppProcess.start("db-restart", url, Map.of());
        try {
            app.awaitReady(Duration.ofSeconds(90));
            Api.forgetAdmin();
            RestAssured.port = app.port();
            StudyFixture fixture = StudyFixture.create(P, "RESTART-COURSE", 76, LEARNERS);

            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService threads = Executors.newFixedThreadPool(LEARNERS);
            List<Device> devices = new ArrayList<>();
            List<Future<?>> loops = new ArrayList<>();
            for (int i = 0; i < LEARNERS; i++) {
                Device device = new Device();
                devices.add(device);
                int learner = i;
                loops.add(threads.submit(() -> study(client, app, fixture, learner, device, running)));
            }
            Thread.sleep(2000);
            int ackedBefore = devices.stream().mapToInt(d -> d.acked).sum();
            assertTrue(ackedBefore > 20, "the load was real before the restart: " + ackedBefore);

            postgres.close();
            long downAt = System.nanoTime();
            Thread.sleep(3000);
            int readinessWhileDown = app.readiness(client);
            long answered503 = devices.stream()
                    .mapToLong(d -> d.statuses.getOrDefault(503, 0))
                    .sum();

            postgres = database(data, port);
            long upAt = System.nanoTime();
            // Every device is served again within 10 s of the database coming back.
            long deadline = upAt + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && devices.stream().anyMatch(d -> d.lastAckedAt < upAt)) {
                Thread.sleep(50);
            }
            long recoveredMs = TimeUnit.NANOSECONDS.toMillis(devices.stream()
                            .mapToLong(d -> firstAckAfter(d, upAt))
                            .max()
                            .orElse(0)
                    - upAt);
            System.out.printf(
                    "database restart: %d answered 503 while it was down; every device served again %d ms after its return%n",
                    answered503, recoveredMs);
            assertTrue(
                    devices.stream().allMatch(d -> d.lastAckedAt > upAt),
                    "every device served within 10 s of the database's return (slowest after " + recoveredMs + " ms)");
            Thread.sleep(500);
            assertEquals(200, app.readiness(client), "ready again");
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get(30, TimeUnit.SECONDS);
            }
            threads.shutdownNow();

            assertEquals(503, readinessWhileDown, "readiness was DOWN while the database was");
            assertTrue(answered503 > 0, "heartbeats were answered 503 while the database was down");
            for (Device d : devices) {
                assertTrue(
                        d.statuses.keySet().stream().allMatch(s -> s == 200 || s == 503),
                        "only 200 and 503: " + d.statuses);
                assertTrue(d.retryAfterOn503, "every 503 carried Retry-After");
            }
            assertTrue(downAt < upAt);

            // Every 2xx is in PostgreSQL.
            try (Connection c = postgres.getPostgresDatabase().getConnection();
                    PreparedStatement q = c.prepareStatement(
                            "SELECT last_seq, heartbeats FROM lesson_progress WHERE learner_id = ? AND lesson_id = ?")) {
                for (int i = 0; i < LEARNERS; i++) {
                    Device d = devices.get(i);
                    q.setLong(1, fixture.ids().get(i));
                    q.setLong(2, fixture.lesson());
                    try (ResultSet rs = q.executeQuery()) {
                        assertTrue(rs.next(), "learner " + i + " has stored progress");
                        assertTrue(
                                rs.getLong(1) >= d.lastAckedSeq,
                                "stored seq " + rs.getLong(1) + " >= acked " + d.lastAckedSeq);
                        assertTrue(
                                rs.getInt(2) >= d.acked, "stored heartbeats " + rs.getInt(2) + " >= acked " + d.acked);
                    }
                }
            }
        } finally {
            RestAssured.reset();
            Api.forgetAdmin();
            app.close();
            postgres.close();
        }
    }

    /** The test's PostgreSQL on a fixed port and folder, so that it can be stopped and started again. */
    private static EmbeddedPostgres database(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("max_connections", "100")
                .setRegisterShutdownHook(true)
                .start();
    }

    /** One device sending heartbeats back to back; after a 503 it waits a little (as Retry-After asks, shortened). */
    private static void study(
            HttpClient client,
            AppProcess app,
            StudyFixture fixture,
            int learner,
            Device device,
            AtomicBoolean running) {
        long seq = 0;
        while (running.get()) {
            seq++;
            HttpRequest request = HttpRequest.newBuilder(URI.create(app.base() + "api/v1/me/heartbeats"))
                    .header("Authorization", "Bearer " + fixture.tokens().get(learner))
                    .header("X-Device-Id", "d-" + fixture.ids().get(learner))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString(fixture.heartbeat(learner, seq)))
                    .build();
            try {
                HttpResponse<Void> answer = client.send(request, HttpResponse.BodyHandlers.discarding());
                int status = answer.statusCode();
                device.statuses.merge(status, 1, Integer::sum);
                if (status / 100 == 2) {
                    device.acked++;
                    device.lastAckedSeq = seq;
                    device.lastAckedAt = System.nanoTime();
                    device.ackTimes.add(device.lastAckedAt);
                } else if (status == 503) {
                    if (answer.headers().firstValue("Retry-After").isEmpty()) {
                        device.retryAfterOn503 = false;
                    }
                    Thread.sleep(100);
                }
            } catch (IOException e) {
                device.statuses.merge(-1, 1, Integer::sum);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
