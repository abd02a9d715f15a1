package org.phocap.platform.embedded;

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
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir.resolve("pg"))
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "100")
                    .start();
            System.setProperty("PHOCAP_DB_URL", "postgresql://localhost:" + pg.getPort() + "/postgres");
            System.setProperty("PHOCAP_DB_USER", "postgres");
            defaultTo("phocap.demo.enabled", "true");
            if (setting("PHOCAP_JWT_PUBLIC_KEY_LOCATION", null) == null) {
                Path keys = JwtKeyFiles.ensure(dataDir.resolve("keys"));
                System.setProperty("PHOCAP_JWT_PUBLIC_KEY_LOCATION", keys.resolve(JwtKeyFiles.PUBLIC_KEY).toUri().toString());
                System.setProperty("PHOCAP_JWT_PRIVATE_KEY_LOCATION", keys.resolve(JwtKeyFiles.PRIVATE_KEY).toUri().toString());
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // The process is ending; PostgreSQL stops with it.
                }
            }, "embedded-postgres-stop"));
        }
        Quarkus.run(args);
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
