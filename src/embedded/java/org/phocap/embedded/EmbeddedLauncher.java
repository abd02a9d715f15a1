package org.phocap.embedded;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.phocap.auth.JwtKeyFiles;

/**
 * Single-machine entry point, compiled only into the default (embedded) build: when no database
 * is configured it starts a PostgreSQL of its own with data under the data folder (kept across
 * restarts), generates signing keys there once, and turns the demo data on. The prod and native
 * builds do not contain this class nor the embedded PostgreSQL.
 */
@QuarkusMain
public class EmbeddedLauncher {

    public static void main(String... args) throws IOException {
        if (!databaseConfigured()) {
            Path dataDir = Path.of(setting("PHOCAP_DATA_DIR", "data")).toAbsolutePath();
            Files.createDirectories(dataDir);
            // The data directory must not exist before the first start: its absence makes initdb run.
            Path passwordFile = dataDir.resolve(PASSWORD_FILE);
            String password =
                    Files.exists(passwordFile) ? Files.readString(passwordFile).strip() : null;
            Path owner = dataDir.resolve(OWNER_FILE);
            stopOrphan(dataDir.resolve("pg"), owner);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir.resolve("pg"))
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "100")
                    // A 2xx means durably stored here too: the library starts PostgreSQL with -F (fsync
                    // off) and synchronous_commit off; these settings come later and win.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    // Reachable from this machine only.
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    // Stopped by our own hook below, after the application: the library's hook would
                    // stop it at once, under requests still being finished.
                    .setRegisterShutdownHook(false);
            if (password != null) {
                builder.setConnectConfig("password", password);
            }
            EmbeddedPostgres pg = builder.start();
            Files.writeString(owner, Long.toString(ProcessHandle.current().pid()));
            password = requirePassword(pg, dataDir.resolve("pg"), passwordFile, password);
            System.setProperty("PHOCAP_DB_URL", "postgresql://127.0.0.1:" + pg.getPort() + "/postgres");
            System.setProperty("PHOCAP_DB_USER", "postgres");
            System.setProperty("PHOCAP_DB_PASSWORD", password);
            defaultTo("phocap.demo.enabled", "true");
            // A person reads this terminal: plain lines, not the cluster's JSON (PHOCAP_LOG_JSON=true asks for it).
            if (setting("PHOCAP_LOG_JSON", null) == null) {
                System.setProperty("PHOCAP_LOG_JSON", "false");
            }
            if (setting("PHOCAP_JWT_PUBLIC_KEY_LOCATION", null) == null) {
                Path keys = JwtKeyFiles.ensure(dataDir.resolve("keys"));
                System.setProperty(
                        "PHOCAP_JWT_PUBLIC_KEY_LOCATION",
                        keys.resolve(JwtKeyFiles.PUBLIC_KEY).toUri().toString());
                System.setProperty(
                        "PHOCAP_JWT_PRIVATE_KEY_LOCATION",
                        keys.resolve(JwtKeyFiles.PRIVATE_KEY).toUri().toString());
            }
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(() -> stopAfterTheApplication(pg), "embedded-postgres-stop"));
        }
        Quarkus.run(args);
    }

    /** The longest the database waits for the application to finish stopping (shutdown delay + timeout + slack). */
    static final long APP_STOP_WAIT_MS = 60_000;

    /**
     * Shutdown hooks run at the same time, so the database's waits for the application's: requests
     * in flight, heartbeats waiting for their group commit and the stream listener finish first
     * (a quiet, ordered stop), then PostgreSQL gets a fast shutdown.
     */
    static void stopAfterTheApplication(EmbeddedPostgres pg) {
        io.quarkus.runtime.Application app = io.quarkus.runtime.Application.currentApplication();
        if (app != null) {
            Thread waiter = new Thread(app::awaitShutdown, "embedded-postgres-await-app");
            waiter.setDaemon(true);
            waiter.start();
            try {
                waiter.join(APP_STOP_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            pg.close();
        } catch (IOException ignored) {
            // The process is ending; PostgreSQL stops with it.
        }
    }

    /** The process id of the phocap that runs the data folder's PostgreSQL. */
    static final String OWNER_FILE = "phocap.pid";

    /**
     * A PostgreSQL left running on the data folder by a phocap that died (SIGKILL, the OOM killer)
     * would keep the next start from starting its own: it is stopped first (a smart shutdown; its
     * clients died with their JVM). A folder whose PostgreSQL belongs to a phocap still running is
     * refused with a clear message instead.
     */
    static void stopOrphan(Path pgData, Path owner) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pgPid;
        try {
            pgPid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        } catch (RuntimeException e) {
            return;
        }
        ProcessHandle postgres = ProcessHandle.of(pgPid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
                .orElse(null);
        if (postgres == null) {
            return; // A stale pid file: PostgreSQL itself sees that no server is running.
        }
        if (Files.exists(owner)) {
            try {
                long ownerPid = Long.parseLong(Files.readString(owner).strip());
                if (ownerPid != ProcessHandle.current().pid()
                        && ProcessHandle.of(ownerPid)
                                .map(EmbeddedLauncher::running)
                                .orElse(false)) {
                    throw new IllegalStateException(
                            "The data folder " + pgData.getParent() + " is in use by a running phocap" + " (process "
                                    + ownerPid + "). Stop it first, or start with another PHOCAP_DATA_DIR.");
                }
            } catch (NumberFormatException e) {
                // An unreadable owner file: treated as no owner.
            }
        }
        System.err.println("phocap: stopping the PostgreSQL (process " + pgPid
                + ") that a stopped phocap left running on " + pgData + ", then starting it again");
        postgres.destroy();
        try {
            postgres.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            postgres.destroyForcibly();
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Alive and not a zombie. A phocap killed a moment ago (or under a container init that never
     * reaps) stays a zombie, which still answers isAlive but has no command any more; counting it as
     * running refused every restart on its data folder.
     */
    static boolean running(ProcessHandle process) {
        return process.isAlive() && process.info().command().isPresent();
    }

    /** The superuser's password, generated once, readable by this user only. */
    static final String PASSWORD_FILE = "db-password";

    private static final String HBA_MARK = "Written by phocap's embedded launcher";

    /**
     * initdb leaves the cluster trusting every local connection as superuser. On the first start
     * (and for a data folder from before this rule) a random password is set for the superuser, kept
     * in the data folder with mode 0600, and pg_hba.conf is rewritten to ask every connection for it.
     * The file is written before the password is set, so a crash in between cannot lock us out.
     */
    private static String requirePassword(EmbeddedPostgres pg, Path pgData, Path passwordFile, String known)
            throws IOException {
        Path hba = pgData.resolve("pg_hba.conf");
        if (known != null && Files.readString(hba).contains(HBA_MARK)) {
            return known;
        }
        String password = known;
        if (password == null) {
            byte[] random = new byte[24];
            new java.security.SecureRandom().nextBytes(random);
            password = java.util.HexFormat.of().formatHex(random);
            Path temporary = passwordFile.resolveSibling(PASSWORD_FILE + ".new");
            Files.deleteIfExists(temporary);
            Files.createFile(
                    temporary,
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, password + "\n");
            Files.move(
                    temporary,
                    passwordFile,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        try (java.sql.Connection connection = pg.getPostgresDatabase().getConnection();
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("SET password_encryption = 'scram-sha-256'");
            statement.execute("ALTER ROLE postgres PASSWORD '" + password + "'");
            Files.writeString(hba, "# " + HBA_MARK + """
                    : every connection gives the password kept in
                    # the data folder (db-password); the server listens on 127.0.0.1 only.
                    local   all   all                 scram-sha-256
                    host    all   all   127.0.0.1/32  scram-sha-256
                    """);
            statement.execute("SELECT pg_reload_conf()");
        } catch (java.sql.SQLException e) {
            throw new IOException("Could not set the embedded database's password", e);
        }
        return password;
    }

    private static boolean databaseConfigured() {
        return setting("PHOCAP_DB_URL", null) != null
                || setting("QUARKUS_DATASOURCE_REACTIVE_URL", null) != null
                || System.getProperty("quarkus.datasource.reactive.url") != null;
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty(name, System.getenv(name));
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void defaultTo(String property, String value) {
        String envName = property.toUpperCase().replace('.', '_').replace('-', '_');
        if (System.getProperty(property) == null && System.getenv(envName) == null) {
            System.setProperty(property, value);
        }
    }
}
