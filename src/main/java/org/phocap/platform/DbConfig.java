package org.phocap.platform;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The database: admission control, and the direct connection for LISTEN and migrations. Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.db")
public interface DbConfig {
    String directUrl();

    int maxWaiters();

    Optional<String> password();

    String user();
}
