package phocap;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Heartbeat load (issue 4, acceptance 3), one mode per run:
 *   closed: CONCURRENCY virtual learners, each sending its heartbeats back to back for SECONDS;
 *   open:   RATE heartbeats/s on a fixed schedule (each a learner's next heartbeat) for SECONDS;
 *   health: CONCURRENCY users on GET /q/health/live, the ceiling of this server and this tool.
 * Each virtual learner keeps one player session: seq grows by one, positionSec advances with real
 * time, sentAt is now. A learner never has two heartbeats in flight in the closed model, so every
 * 2xx is a stored heartbeat; the script compares Gatling's OK count with the database.
 * Tokens come prepared in the file named by system property tokens ("learnerId token" lines).
 */
public class HeartbeatSimulation extends Simulation {
    static final String BASE = System.getProperty("baseUrl", "http://127.0.0.1:18082");
    static final String MODE = System.getProperty("mode", "closed");
    static final long LESSON = Long.getLong("lessonId", 1);
    static final int CONCURRENCY = Integer.getInteger("concurrency", 256);
    static final int RATE = Integer.getInteger("rate", 3000);
    static final int SECONDS = Integer.getInteger("seconds", 60);
    static final String SESSION = "g" + Long.toString(System.currentTimeMillis(), 36);

    record Learner(String id, String token, AtomicInteger seq, long[] last) {}

    static final List<Learner> LEARNERS = load();

    static List<Learner> load() {
        try {
            return Files.readAllLines(Path.of(System.getProperty("tokens"))).stream()
                    .filter(l -> !l.isBlank())
                    .map(l -> l.trim().split(" ", 2))
                    .map(p -> new Learner(p[0], p[1], new AtomicInteger(), new long[] {0, 0}))
                    .toList();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the tokens file", e);
        }
    }

    static Iterator<Map<String, Object>> learners() {
        AtomicInteger next = new AtomicInteger();
        return new Iterator<>() {
            public boolean hasNext() {
                return true;
            }

            public Map<String, Object> next() {
                Learner l = LEARNERS.get(Math.floorMod(next.getAndIncrement(), LEARNERS.size()));
                return Map.of("learner", l, "token", l.token(), "device", "gatling-" + l.id());
            }
        };
    }

    /** The learner's next heartbeat: the player has played for as long as really passed. */
    static String body(Session session) {
        Learner l = (Learner) session.get("learner");
        synchronized (l) {
            long now = System.currentTimeMillis();
            long positionMs = l.last()[0] == 0 ? 0 : (l.last()[1] + (now - l.last()[0])) % 280_000;
            l.last()[0] = now;
            l.last()[1] = positionMs;
            return String.format(
                    Locale.ROOT,
                    "{\"lessonId\":%d,\"sessionId\":\"%s\",\"seq\":%d,\"positionSec\":%.3f,"
                            + "\"playing\":true,\"sentAt\":\"%s\"}",
                    LESSON,
                    SESSION,
                    l.seq().incrementAndGet(),
                    positionMs / 1000.0,
                    Instant.ofEpochMilli(now));
        }
    }

    // Virtual users share one pool of keep-alive connections instead of each opening its own.
    HttpProtocolBuilder protocol =
            http.baseUrl(BASE).acceptHeader("application/json").shareConnections();

    ChainBuilder heartbeat = exec(http("heartbeat")
            .post("/api/v1/me/heartbeats")
            .header("Authorization", "Bearer #{token}")
            .header("X-Device-Id", "#{device}")
            .header("Content-Type", "application/json")
            .body(StringBody(HeartbeatSimulation::body))
            .check(status().is(200)));

    {
        Duration during = Duration.ofSeconds(SECONDS);
        switch (MODE) {
            // Learners arrive at RATE/10 per second whatever the answers (open model) and each sends
            // 10 heartbeats paced 100 ms apart, so RATE heartbeats/s reach the server with a tenth of
            // the virtual users; a heartbeat waits for the previous one only if that took over 100 ms.
            case "open" ->
                setUp(scenario("heartbeats, open model")
                                .feed(learners())
                                .repeat(10)
                                .on(pace(Duration.ofMillis(100)).exec(heartbeat))
                                .injectOpen(
                                        rampUsersPerSec(5).to(RATE / 10.0).during(Duration.ofSeconds(20)),
                                        constantUsersPerSec(RATE / 10.0).during(during)))
                        .protocols(protocol);
            case "health" ->
                setUp(scenario("health")
                                .forever()
                                .on(exec(http("live").get("/q/health/live").check(status().is(200))))
                                .injectClosed(
                                        constantConcurrentUsers(CONCURRENCY).during(during)))
                        .maxDuration(during)
                        .protocols(protocol);
            default ->
                setUp(scenario("heartbeats, closed model")
                                .feed(learners())
                                .forever()
                                .on(heartbeat)
                                .injectClosed(
                                        constantConcurrentUsers(CONCURRENCY).during(during)))
                        .maxDuration(during)
                        .protocols(protocol);
        }
    }
}
