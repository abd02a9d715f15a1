package org.phocap.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A first start against an external PostgreSQL, as a new operator does it: without the signing
 * keys it stops before creating anything; with them it prints a generated ADMIN password, and
 * until that password has signed in once, every start prints a fresh one (issue 17, finding 5).
 */
class FirstStartIT {
    static final Pattern GENERATED = Pattern.compile("generated password: (\\S+)");
    static final Pattern REPRINTED = Pattern.compile("its new password is: (\\S+)");

    @Test
    void aFirstStartWithoutKeysCreatesNothingAndTheGeneratedPasswordIsReprintedUntilUsed() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            String url = "postgresql://localhost:" + postgres.getPort() + "/postgres";
            Map<String, String> generated =
                    Map.of("PHOCAP_ADMIN_PASSWORD", "", "PHOCAP_AUTH_ADMIN_REPRINT_AFTER", "PT0S");

            // Only the database configured: the keys' default location does not exist here.
            try (AppProcess app = AppProcess.start(
                    "first-start-nokeys",
                    url,
                    Map.of(
                            "PHOCAP_ADMIN_PASSWORD",
                            "",
                            "PHOCAP_JWT_PUBLIC_KEY_LOCATION",
                            "file:/nonexistent/jwt-public.pem",
                            "PHOCAP_JWT_PRIVATE_KEY_LOCATION",
                            "file:/nonexistent/jwt-private.pem",
                            "PHOCAP_LOG_JSON",
                            "true"))) {
                assertTrue(app.waitForExit(Duration.ofSeconds(90)), "a start without keys stops");
                assertTrue(app.log().contains("JWT signing key"), app.log());
                // The production profile logs JSON lines, one object each, for the cluster's log collector.
                var json = new com.fasterxml.jackson.databind.ObjectMapper();
                boolean found = false;
                for (String line :
                        app.log().lines().filter(l -> l.startsWith("{")).toList()) {
                    var entry = json.readTree(line);
                    assertTrue(entry.has("timestamp") && entry.has("level") && entry.has("loggerName"), line);
                    found |= line.contains("JWT signing key")
                            && entry.path("level").asText().equals("ERROR");
                }
                assertTrue(found, "the failure is one JSON log line at ERROR:\n" + app.log());
                assertFalse(GENERATED.matcher(app.log()).find(), "no password printed for an ADMIN that was not kept");
            }
            assertEquals(0, staffAccounts(postgres), "no ADMIN left behind");

            String first;
            try (AppProcess app = AppProcess.start("first-start-keys", url, generated)) {
                app.awaitReady(Duration.ofSeconds(90));
                first = find(GENERATED, app.log());
            }
            // Never used to sign in: the next start prints a new one, and only that one works.
            String second;
            try (AppProcess app = AppProcess.start("first-start-again", url, generated)) {
                app.awaitReady(Duration.ofSeconds(90));
                second = find(REPRINTED, app.log());
                assertNotEquals(first, second);
                RestAssured.port = app.port();
                signIn(first).then().statusCode(401);
                signIn(second).then().statusCode(200);
            } finally {
                RestAssured.reset();
            }
            // Used once: it stands, and is not printed again.
            try (AppProcess app = AppProcess.start("first-start-used", url, generated)) {
                app.awaitReady(Duration.ofSeconds(90));
                assertFalse(REPRINTED.matcher(app.log()).find(), app.log());
                RestAssured.port = app.port();
                signIn(second).then().statusCode(200);
            } finally {
                RestAssured.reset();
            }
            assertEquals(1, staffAccounts(postgres));
        }
    }

    private static io.restassured.response.Response signIn(String password) {
        return RestAssured.given()
                .contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", password))
                .post("/api/v1/auth/login");
    }

    private static String find(Pattern pattern, String log) {
        Matcher m = pattern.matcher(log);
        assertTrue(m.find(), log);
        return m.group(1);
    }

    private static long staffAccounts(EmbeddedPostgres postgres) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery(
                                "SELECT CASE WHEN to_regclass('staff_account') IS NULL THEN 0 ELSE (SELECT count(*) FROM staff_account) END")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
