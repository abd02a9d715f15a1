package org.phocap.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Tracing is one setting away: the packaged service, given only PHOCAP_OTLP_ENDPOINT (and, here,
 * every request sampled and OTLP over HTTP so that a plain HTTP server can stand in for the
 * collector), sends its spans to that collector; without the setting it sends nothing.
 */
class TracingIT {
    @Test
    void namingACollectorTurnsTracingOnAndNothingIsSentWithoutIt() throws Exception {
        AtomicInteger exports = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/traces", exchange -> {
            bytes.addAndGet(exchange.getRequestBody().readAllBytes().length);
            exports.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String url = "postgresql://localhost:" + postgres.getPort() + "/postgres";
            // The collector's address known to the exporter, every request sampled, but PHOCAP_OTLP_ENDPOINT unset:
            // off.
            try (AppProcess quiet = AppProcess.start(
                    "tracing-off",
                    url,
                    Map.of(
                            "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT",
                            endpoint,
                            "PHOCAP_TRACING_RATIO",
                            "1.0",
                            "QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL",
                            "http/protobuf"))) {
                quiet.awaitReady(Duration.ofSeconds(90));
                requests(quiet);
                Thread.sleep(7000);
                assertEquals(0, exports.get(), "no collector named, nothing exported");
            }
            try (AppProcess traced = AppProcess.start(
                    "tracing-on",
                    url,
                    Map.of(
                            "PHOCAP_OTLP_ENDPOINT",
                            endpoint,
                            "PHOCAP_TRACING_RATIO",
                            "1.0",
                            "QUARKUS_OTEL_EXPORTER_OTLP_PROTOCOL",
                            "http/protobuf"))) {
                traced.awaitReady(Duration.ofSeconds(90));
                requests(traced);
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (exports.get() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertTrue(
                        exports.get() > 0 && bytes.get() > 0,
                        "spans exported to the collector named: " + exports + " posts");
            }
        } finally {
            collector.stop(0);
        }
    }

    private static void requests(AppProcess app) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> answer = client.send(
                    HttpRequest.newBuilder(URI.create(app.base() + "api/v1/auth/login"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"username\":\"admin\",\"password\":\"" + Api.ADMIN_PASSWORD + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());
        }
    }
}
