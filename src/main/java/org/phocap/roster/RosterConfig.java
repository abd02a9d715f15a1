package org.phocap.roster;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** Roster imports and account recovery. Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.roster")
public interface RosterConfig {
    int batchSize();

    int concurrentImports();

    long maxBytes();

    int maxRows();

    Duration recoveryCodeTtl();
}
