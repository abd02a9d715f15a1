package org.phocap.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The default setup's own PostgreSQL: it asks every connection for a password that only the data
 * folder holds (mode 0600) and listens on 127.0.0.1 only (issue 16, finding 15); it stores durably
 * (fsync and synchronous commit on), refuses a second phocap on its folder, and a start after the
 * JVM was killed stops the PostgreSQL left running and comes up on the first try (issue 17).
 */
class EmbeddedDatabaseIT {
    @Test
    void theEmbeddedDatabaseWantsThePasswordKeptInTheDataFolder() throws Exception {
        String nativeImage = System.getProperty("native.image.path");
        Assumptions.assumeTrue(
                nativeImage == null || !Files.isExecutable(Path.of(nativeImage)),
                "the native build has no embedded database");
        Path data = Path.of("target", "it-data", "embedded").toAbsolutePath();
        deleteTree(data);
        try (AppProcess app = AppProcess.start("embedded", null, Map.of("PHOCAP_DEMO_ENABLED", "false"))) {
            app.awaitReady(Duration.ofSeconds(120));
        }
        Path passwordFile = data.resolve("db-password");
        assertEquals(
                Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(passwordFile),
                "readable by the service's user only");
        String password = Files.readString(passwordFile).strip();
        assertTrue(password.length() >= 32, "a long random password");
        assertTrue(Files.readString(data.resolve("pg").resolve("pg_hba.conf")).contains("scram-sha-256"));

        // Started again on the same folder: the password is reused, and the database asks for it.
        try (AppProcess app = AppProcess.start("embedded", null, Map.of("PHOCAP_DEMO_ENABLED", "false"))) {
            app.awaitReady(Duration.ofSeconds(120));
            int port = Integer.parseInt(Files.readAllLines(data.resolve("pg").resolve("postmaster.pid"))
                    .get(3)
                    .strip());
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
            SQLException refused =
                    assertThrows(SQLException.class, () -> connect(url, null).close());
            assertTrue(
                    List.of("28P01", "28000", "08004").contains(refused.getSQLState()),
                    refused.getSQLState() + " " + refused.getMessage());
            SQLException wrong = assertThrows(
                    SQLException.class, () -> connect(url, "not-the-password").close());
            assertEquals("28P01", wrong.getSQLState(), "password authentication failed");
            try (Connection c = connect(url, password);
                    ResultSet rs = c.createStatement().executeQuery("SHOW listen_addresses")) {
                rs.next();
                assertEquals("127.0.0.1", rs.getString(1));
            }
            try (Connection c = connect(url, password);
                    ResultSet rs = c.createStatement()
                            .executeQuery(
                                    "SELECT current_setting('fsync') || ',' || current_setting('synchronous_commit')")) {
                rs.next();
                assertEquals("on,on", rs.getString(1), "a 2xx is durable in the embedded setup too");
            }
            assertEquals(200, app.readiness(java.net.http.HttpClient.newHttpClient()));

            // A second phocap on the same folder is refused while this one runs.
            try (AppProcess second = AppProcess.start(
                    "embedded-second",
                    null,
                    Map.of("PHOCAP_DEMO_ENABLED", "false", "PHOCAP_DATA_DIR", data.toString()))) {
                assertTrue(second.waitForExit(Duration.ofSeconds(60)), "the second start gives up");
                assertTrue(second.log().contains("in use by a running phocap"), second.log());
            }

            // Killed like the OOM killer would: its PostgreSQL is left running.
            ProcessHandle jvm = ProcessHandle.of(app.pid()).orElseThrow();
            jvm.destroyForcibly();
            jvm.onExit().get();
        }
        int orphan = Integer.parseInt(Files.readAllLines(data.resolve("pg").resolve("postmaster.pid"))
                .get(0)
                .strip());
        assertTrue(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false), "PostgreSQL outlived its JVM");
        String log;
        try (AppProcess app = AppProcess.start("embedded", null, Map.of("PHOCAP_DEMO_ENABLED", "false"))) {
            app.awaitReady(Duration.ofSeconds(120));
            assertTrue(app.log().contains("stopping the PostgreSQL"), "up on the first try, after stopping the orphan");
            app.sigterm();
            assertTrue(app.waitForExit(Duration.ofSeconds(60)), "stopped");
            log = app.log();
        }
        // A quiet, ordered stop: the application finished before its database went down (before, the
        // database stopped first: 57P01 and a stack trace from the stream listener at every stop).
        assertTrue(
                log.lines().noneMatch(l -> l.contains(" ERROR ") || l.contains("57P01") || l.contains("Exception")),
                log);
        assertTrue(Files.notExists(data.resolve("pg").resolve("postmaster.pid")), "PostgreSQL stopped with it");
        // And the startup logged no warning about meters registered twice.
        assertTrue(log.lines().noneMatch(l -> l.contains("already registered")), log);
    }

    private static Connection connect(String url, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(url, properties);
    }

    static void deleteTree(Path root) throws java.io.IOException {
        if (Files.exists(root)) {
            try (var paths = Files.walk(root)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }
}
