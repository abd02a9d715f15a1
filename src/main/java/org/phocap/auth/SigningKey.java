package org.phocap.auth;

import io.quarkus.runtime.Startup;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.inject.Singleton;
import java.security.PrivateKey;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The RS256 signing key, read once at start so a missing or bad key stops the service at once
 * instead of failing the first sign-in. Either the PEM text itself (PHOCAP_JWT_PRIVATE_KEY, e.g.
 * a Kubernetes Secret exposed as env) or a file (PHOCAP_JWT_PRIVATE_KEY_LOCATION).
 */
@Startup
@Singleton
public class SigningKey {
    private final PrivateKey key;

    public SigningKey(@ConfigProperty(name = "phocap.jwt.private-key") Optional<String> pem,
                      @ConfigProperty(name = "smallrye.jwt.sign.key.location") String location) {
        try {
            this.key = KeyUtils.decodePrivateKey(pem.isPresent() ? pem.get() : read(location));
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the JWT signing key from "
                    + (pem.isPresent() ? "PHOCAP_JWT_PRIVATE_KEY" : location) + ": " + e.getClass().getSimpleName(), e);
        }
        if (key == null) {
            throw new IllegalStateException("No JWT signing key at " + location);
        }
    }

    /** A file: URL in any spelling (file:/a, file:///a), or any other location smallrye can read. */
    private static String read(String location) throws java.io.IOException {
        if (location.startsWith("file:")) {
            String path = location.substring("file:".length());
            if (path.startsWith("//")) {
                path = path.substring(2);
            }
            return java.nio.file.Files.readString(java.nio.file.Path.of(path));
        }
        return io.smallrye.jwt.util.ResourceUtils.readResource(location);
    }

    PrivateKey key() {
        return key;
    }
}
