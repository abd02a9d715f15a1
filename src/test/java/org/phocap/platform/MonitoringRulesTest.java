package org.phocap.platform;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The alerts and the dashboard in k8s/monitoring: the rules pass promtool's own checks and the
 * firing and silent cases of alerts-test.yaml, and every metric they (and the HPA's adapter) read
 * is one the running service exports, so a renamed meter fails here instead of silencing a page.
 *
 * <p>promtool comes from Debian's prometheus package (.ci/run installs it), or PHOCAP_PROMTOOL.
 */
@Tag("promtool")
@QuarkusTest
@WithTestResource(PostgresResource.class)
class MonitoringRulesTest {
    static final Path MONITORING = Path.of("k8s", "monitoring");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Metrics other exporters provide: Prometheus itself (up) and CloudNativePG's exporter (cnpg_*). */
    static boolean external(String metric) {
        return metric.equals("up") || metric.startsWith("cnpg_");
    }

    static final Set<String> PROMQL_WORDS = Set.of(
            "and",
            "or",
            "unless",
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "offset",
            "inf",
            "nan");

    @Test
    void theAlertRulesPassPromtoolAndTheirFiringAndSilentCases() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "promtool").toAbsolutePath());
        JsonNode rule = YAML.readTree(MONITORING.resolve("prometheus-rule.yaml").toFile());
        assertEquals("PrometheusRule", rule.path("kind").asText());
        YAML.writeValue(
                work.resolve("phocap.rules.yaml").toFile(),
                YAML.createObjectNode().set("groups", rule.path("spec").path("groups")));
        Files.copy(
                MONITORING.resolve("alerts-test.yaml"),
                work.resolve("alerts-test.yaml"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        String check = promtool(work, "check", "rules", "phocap.rules.yaml");
        assertTrue(check.contains("SUCCESS"), check);
        String test = promtool(work, "test", "rules", "alerts-test.yaml");
        assertTrue(test.contains("SUCCESS"), test);

        // A firing and a silent case for every alert.
        JsonNode cases =
                YAML.readTree(MONITORING.resolve("alerts-test.yaml").toFile()).path("tests");
        for (JsonNode group : rule.path("spec").path("groups")) {
            for (JsonNode alert : group.path("rules")) {
                String name = alert.path("alert").asText();
                boolean fires = false;
                boolean silent = false;
                for (JsonNode c : cases) {
                    for (JsonNode t : c.path("alert_rule_test")) {
                        if (t.path("alertname").asText().equals(name)) {
                            fires |= t.path("exp_alerts").size() > 0;
                            silent |= t.path("exp_alerts").size() == 0;
                        }
                    }
                }
                assertTrue(fires && silent, name + " has a firing and a silent case");
                // Its runbook: a section of docs/operating.md, linked by the anchor GitHub gives that heading.
                assertTrue(
                        Files.readString(Path.of("docs", "operating.md")).contains("\n### Alert: " + name + "\n"),
                        name + " has its runbook section in docs/operating.md");
                assertEquals(
                        "docs/operating.md#alert-" + name.toLowerCase(),
                        alert.path("annotations").path("runbook").asText());
            }
        }
    }

    @Test
    void everyMetricTheAlertsDashboardAndAutoscalerReadIsExported() throws Exception {
        List<String> expressions = new ArrayList<>();
        for (JsonNode group : YAML.readTree(
                        MONITORING.resolve("prometheus-rule.yaml").toFile())
                .path("spec")
                .path("groups")) {
            group.path("rules").forEach(r -> expressions.add(r.path("expr").asText()));
        }
        new ObjectMapper()
                .readTree(MONITORING.resolve("grafana-dashboard.json").toFile())
                .path("panels")
                .forEach(p -> p.path("targets")
                        .forEach(t -> expressions.add(t.path("expr").asText())));
        YAML.readTree(MONITORING.resolve("prometheus-adapter-values.yaml").toFile())
                .path("rules")
                .path("custom")
                .forEach(r -> expressions.add(r.path("seriesQuery").asText()));
        assertTrue(expressions.size() >= 25, "alerts, panels and adapter rules read: " + expressions.size());

        // One API answer, so that the HTTP server's series exist.
        given().get("/api/v1/me").then().statusCode(401);
        String exported = given().get(Management.url("/q/metrics"))
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Set<String> names = new TreeSet<>();
        exported.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> names.add(l.split("[{ ]", 2)[0]));

        Set<String> missing = new TreeSet<>();
        Set<String> used = new TreeSet<>();
        for (String expr : expressions) {
            for (String metric : metricsIn(expr)) {
                used.add(metric);
                if (!external(metric) && !names.contains(metric)) {
                    missing.add(metric);
                }
            }
        }
        assertTrue(
                used.containsAll(Set.of(
                        "phocap_refusals_total",
                        "phocap_heartbeat_commit_seconds_bucket",
                        "phocap_stream_open",
                        "phocap_stream_capacity",
                        "sql_pool_queue_delay_seconds_sum",
                        "http_server_requests_seconds_bucket")),
                used.toString());
        assertTrue(missing.isEmpty(), "read by alerts or panels but not in /q/metrics: " + missing);
    }

    /** The metric names a PromQL expression reads: label matchers, grouping clauses and functions removed. */
    static Set<String> metricsIn(String expr) {
        String bare = expr.replaceAll("\\{[^}]*}", "{}")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\[[^\\]]*]", "[]")
                .replaceAll("\"[^\"]*\"", "\"\"");
        Set<String> metrics = new TreeSet<>();
        Matcher token =
                Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(?!\\s*\\()").matcher(bare);
        while (token.find()) {
            String name = token.group(1);
            if (!PROMQL_WORDS.contains(name.toLowerCase()) && !name.matches("\\d.*")) {
                metrics.add(name);
            }
        }
        return metrics;
    }

    @Test
    void metricNamesAreFoundInExpressions() {
        assertEquals(
                Set.of("a_total", "b_seconds_bucket"),
                metricsIn(
                        "sum by (pod, le) (rate(a_total{job=\"x\",status=~\"5..\"}[5m])) / histogram_quantile(0.99, b_seconds_bucket) > 0.5"));
        assertEquals(Set.of("up"), metricsIn("absent(up{job=\"phocap\"} == 1)"));
    }

    private static String promtool(Path dir, String... args) throws Exception {
        String configured = System.getenv("PHOCAP_PROMTOOL");
        List<String> command =
                new ArrayList<>(List.of(configured == null || configured.isBlank() ? "promtool" : configured));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }
}
