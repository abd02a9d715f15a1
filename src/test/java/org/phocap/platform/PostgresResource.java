package org.phocap.platform;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.phocap.auth.JwtKeyFiles;

/**
 * A real PostgreSQL for the tests: a fresh embedded server per run (nothing to install), or the
 * server named by PHOCAP_TEST_DB_URL. Also gives the tests their own signing keys.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedPostgres postgres;
    /** The database the application under test uses (set by {@link #start}); see {@link TestDatabase}. */
    static volatile String url;

    @Override
    public Map<String, String> start() {
        Path keys = JwtKeyFiles.ensure(Path.of("target", "test-keys").toAbsolutePath());
        String url = System.getenv("PHOCAP_TEST_DB_URL");
        if (url == null || url.isBlank()) {
            try {
                postgres = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "100")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            url = "postgresql://localhost:" + postgres.getPort() + "/postgres";
        }
        PostgresResource.url = url;
        return Map.of(
                "PHOCAP_DB_URL", url,
                "PHOCAP_DB_USER", "postgres",
                "PHOCAP_JWT_PUBLIC_KEY_LOCATION",
                        keys.resolve(JwtKeyFiles.PUBLIC_KEY).toUri().toString(),
                "PHOCAP_JWT_PRIVATE_KEY_LOCATION",
                        keys.resolve(JwtKeyFiles.PRIVATE_KEY).toUri().toString(),
                // The folder as Kubernetes mounts the phocap-jwt Secret: the pair, read as the verification set.
                "PHOCAP_JWT_VERIFY_KEYS_DIR", keys.toString());
    }

    @Override
    public void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException ignored) {
                // The JVM is ending; the server stops with it.
            }
        }
    }
}
