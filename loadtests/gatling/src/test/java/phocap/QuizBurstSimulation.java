package phocap;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The end-of-wave quiz burst (issue 5): learners start an attempt of a 20-question quiz and submit
 * it, answering every question.
 *
 * mode=burst: USERS learners arrive over SECONDS (open model) — the one-minute burst; the run
 *             fails unless there are zero errors and p99 ≤ 300 ms.
 * mode=max:   CONCURRENCY learners start and submit back to back for SECONDS (closed model): the
 *             most submissions/s.
 * mode=sustain: as max, on the passing path of mode=overload: what the box sustains there.
 * mode=overload: RATE learners a second arrive for SECONDS (open model, meant to be about three
 *             times what the box sustains); an answer is either the normal one or 503 with
 *             Retry-After (load shed; not retried here, so every answer is measured as it came).
 *             PROBE_RATE learners a second then arrive from 5 s after the burst for 10 s and must
 *             all be served normally. Fails unless no request failed or timed out, the 99th
 *             percentile of all answers is under 2 s, and the probe saw no error.
 *
 * Tokens come prepared in the file named by system property tokens ("learnerId token" lines,
 * loadtests/tokens/BenchTokens.java).
 */
public class QuizBurstSimulation extends Simulation {
    static final String BASE = System.getProperty("baseUrl", "http://127.0.0.1:18083");
    static final String MODE = System.getProperty("mode", "burst");
    static final long QUIZ = Long.getLong("quizId", 1);
    static final int USERS = Integer.getInteger("users", 2000);
    static final int SECONDS = Integer.getInteger("seconds", 60);
    static final int CONCURRENCY = Integer.getInteger("concurrency", 64);
    static final double RATE = Double.parseDouble(System.getProperty("rate", "1000"));
    static final double PROBE_RATE = Double.parseDouble(System.getProperty("probeRate", "20"));

    static List<Map<String, Object>> learners() {
        try {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of(System.getProperty("tokens")))) {
                if (!line.isBlank()) {
                    rows.add(Map.of("token", line.trim().split(" ", 2)[1]));
                }
            }
            return rows;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the tokens file", e);
        }
    }

    static final List<Map<String, Object>> LEARNERS = learners();

    /** Each virtual user takes the next learner, round and round. */
    static Iterator<Map<String, Object>> circular() {
        AtomicInteger next = new AtomicInteger();
        return new Iterator<>() {
            public boolean hasNext() {
                return true;
            }

            public Map<String, Object> next() {
                return LEARNERS.get(Math.floorMod(next.getAndIncrement(), LEARNERS.size()));
            }
        };
    }

    HttpProtocolBuilder protocol = http.baseUrl(BASE)
            .contentTypeHeader("application/json")
            .acceptHeader("application/json")
            .shareConnections();

    ChainBuilder attempt = exec(http("start attempt")
                    .post("/api/v1/me/quizzes/" + QUIZ + "/attempts")
                    .header("Authorization", "Bearer #{token}")
                    .check(
                            status().in(200, 201),
                            jsonPath("$.attemptId").saveAs("attemptId"),
                            jsonPath("$.questions[*].id").findAll().saveAs("questionIds"),
                            jsonPath("$.questions[*].options[0].key").findAll().saveAs("firstKeys")))
            .exec(session -> {
                List<String> ids = session.getList("questionIds");
                List<String> keys = session.getList("firstKeys");
                StringBuilder body = new StringBuilder("{\"answers\":{");
                for (int i = 0; i < ids.size(); i++) {
                    body.append(i == 0 ? "" : ",")
                            .append('"')
                            .append(ids.get(i))
                            .append("\":[\"")
                            .append(keys.get(i))
                            .append("\"]");
                }
                return session.set("answers", body.append("}}").toString());
            })
            .exec(http("submit")
                    .post("/api/v1/me/attempts/#{attemptId}/submit")
                    .header("Authorization", "Bearer #{token}")
                    .body(StringBody("#{answers}"))
                    .check(status().is(200), jsonPath("$.score").exists()));

    /** Under overload: the normal answer, or 503 with Retry-After; a shed start skips the submit. */
    ChainBuilder attemptOrShed = exec(http("start attempt")
                    .post("/api/v1/me/quizzes/" + QUIZ + "/attempts")
                    .header("Authorization", "Bearer #{token}")
                    .check(status().in(200, 201, 503).saveAs("status"))
                    .checkIf((response, session) -> response.status().code() == 503)
                    .then(header("Retry-After").exists())
                    .checkIf((response, session) -> response.status().code() != 503)
                    .then(
                            jsonPath("$.attemptId").saveAs("attemptId"),
                            jsonPath("$.questions[*].id").findAll().saveAs("questionIds"),
                            jsonPath("$.questions[*].options[0].key").findAll().saveAs("firstKeys")))
            .doIf(session -> session.getInt("status") != 503)
            .then(exec(session -> {
                        // The right answers of quizzes.sh's bank (question Qn: kind by n % 3), so every submit
                        // passes and goes on to the completion check and the certificate.
                        List<String> ids = session.getList("questionIds");
                        StringBuilder body = new StringBuilder("{\"answers\":{");
                        for (int i = 0; i < ids.size(); i++) {
                            int n = Integer.parseInt(ids.get(i).substring(1));
                            String keys = switch (n % 3) {
                                case 0 -> "\"B\"";
                                case 1 -> "\"A\",\"C\"";
                                default -> n % 2 == 0 ? "\"T\"" : "\"F\"";
                            };
                            body.append(i == 0 ? "" : ",")
                                    .append('"')
                                    .append(ids.get(i))
                                    .append("\":[")
                                    .append(keys)
                                    .append(']');
                        }
                        return session.set("answers", body.append("}}").toString());
                    })
                    .exec(http("submit")
                            .post("/api/v1/me/attempts/#{attemptId}/submit")
                            .header("Authorization", "Bearer #{token}")
                            .body(StringBody("#{answers}"))
                            .check(status().in(200, 503))
                            .checkIf((response, session) -> response.status().code() == 503)
                            .then(header("Retry-After").exists())));

    ScenarioBuilder burst = scenario("quiz burst").feed(circular()).exec(attempt);
    ScenarioBuilder overload = scenario("overload").feed(circular()).exec(attemptOrShed);
    ScenarioBuilder probe =
            scenario("after the burst").feed(circular()).group("after").on(attempt);
    ScenarioBuilder sustain =
            scenario("sustained").forever().on(feed(circular()).exec(attemptOrShed));
    ScenarioBuilder max = scenario("quiz max").forever().on(feed(circular()).exec(attempt));

    {
        if (MODE.equals("sustain")) {
            // What the box sustains on the passing path (the overload run's 1x), closed model.
            setUp(sustain.injectClosed(constantConcurrentUsers(CONCURRENCY).during(Duration.ofSeconds(SECONDS))))
                    .maxDuration(Duration.ofSeconds(SECONDS))
                    .protocols(protocol);
        } else if (MODE.equals("overload")) {
            setUp(
                            overload.injectOpen(constantUsersPerSec(RATE).during(Duration.ofSeconds(SECONDS))),
                            probe.injectOpen(
                                    nothingFor(Duration.ofSeconds(SECONDS + 5)),
                                    constantUsersPerSec(PROBE_RATE).during(Duration.ofSeconds(10))))
                    .protocols(protocol)
                    .assertions(
                            global().failedRequests().count().is(0L),
                            global().responseTime().percentile(99.0).lt(2000),
                            details("after").failedRequests().count().is(0L));
        } else if (MODE.equals("max")) {
            setUp(max.injectClosed(constantConcurrentUsers(CONCURRENCY).during(Duration.ofSeconds(SECONDS))))
                    .maxDuration(Duration.ofSeconds(SECONDS))
                    .protocols(protocol)
                    .assertions(global().failedRequests().count().is(0L));
        } else {
            setUp(burst.injectOpen(rampUsers(USERS).during(Duration.ofSeconds(SECONDS))))
                    .protocols(protocol)
                    .assertions(
                            global().failedRequests().count().is(0L),
                            global().responseTime().percentile(99.0).lte(300));
        }
    }
}
