package org.phocap.auth;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;
import java.util.Optional;

/** Token signing and verification keys. Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.jwt")
public interface JwtConfig {
    Optional<String> privateKey();

    Optional<String> publicKey();

    String publicKeyLocation();

    String signKeyLocation();

    Optional<String> verifyKeysDir();

    Duration verifyKeysReload();
}
