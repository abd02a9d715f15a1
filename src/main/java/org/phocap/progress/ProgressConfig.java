package org.phocap.progress;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** Progress: access checks and progress events. Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.progress")
public interface ProgressConfig {
    /** Read by the cache configuration (phocap.cache."learner-access".expire-after-write), not by code. */
    Duration accessTtl();

    /** Read by the cache configuration (phocap.cache."progress-events".expire-after-write), not by code. */
    Duration eventInterval();
}
