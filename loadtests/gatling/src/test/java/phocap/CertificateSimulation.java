package phocap;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.bodyBytes;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Certificates (issue 6): CONCURRENCY virtual users work through a list once, each item exactly once.
 *
 * mode=issue:  the list is learners' tokens ("learnerId token" lines, property tokens); each asks
 *              GET /me/certificates, which evaluates their completion and issues the certificate.
 * mode=render: the list is serials (property serials); each is downloaded as the ADMIN (property
 *              adminToken). On a fresh database every download is a first render.
 * The run fails on any failed request.
 */
public class CertificateSimulation extends Simulation {
    static final String BASE = System.getProperty("baseUrl", "http://127.0.0.1:18082");
    static final String MODE = System.getProperty("mode", "render");
    static final int CONCURRENCY = Integer.getInteger("concurrency", 16);

    static List<String> lines(String property) {
        try {
            return Files.readAllLines(Path.of(System.getProperty(property))).stream()
                    .filter(line -> !line.isBlank())
                    .map(String::trim)
                    .toList();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the file named by -D" + property, e);
        }
    }

    static final List<String> ITEMS = lines(MODE.equals("issue") ? "tokens" : "serials");

    /** Hands out each item once, to whichever virtual user asks next. */
    static Iterator<Map<String, Object>> once() {
        AtomicInteger next = new AtomicInteger();
        return new Iterator<>() {
            public boolean hasNext() {
                return true;
            }

            public Map<String, Object> next() {
                String item = ITEMS.get(Math.min(next.getAndIncrement(), ITEMS.size() - 1));
                return MODE.equals("issue") ? Map.of("token", item.split(" ", 2)[1]) : Map.of("serial", item);
            }
        };
    }

    HttpProtocolBuilder protocol = http.baseUrl(BASE).shareConnections();

    ScenarioBuilder issue = scenario("issue")
            .exec(repeat(ITEMS.size() / CONCURRENCY)
                    .on(feed(once())
                            .exec(http("my certificates")
                                    .get("/api/v1/me/certificates")
                                    .header("Authorization", "Bearer #{token}")
                                    .check(
                                            status().is(200),
                                            jsonPath("$[0].serial").exists()))));

    ScenarioBuilder render = scenario("render")
            .exec(repeat(ITEMS.size() / CONCURRENCY)
                    .on(feed(once())
                            .exec(http("certificate pdf")
                                    .get("/api/v1/certificates/#{serial}.pdf")
                                    .header("Authorization", "Bearer " + System.getProperty("adminToken", ""))
                                    .check(
                                            status().is(200),
                                            header("Content-Type").is("application/pdf"),
                                            bodyBytes()
                                                    .transform(bytes -> bytes.length > 5000)
                                                    .is(true)))));

    {
        if (ITEMS.size() % CONCURRENCY != 0) {
            throw new IllegalArgumentException(
                    ITEMS.size() + " items do not split evenly over " + CONCURRENCY + " users");
        }
        setUp((MODE.equals("issue") ? issue : render).injectOpen(atOnceUsers(CONCURRENCY)))
                .protocols(protocol)
                .assertions(global().failedRequests().count().is(0L));
    }
}
