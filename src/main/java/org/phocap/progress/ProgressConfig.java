package org.phocap.progress;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** Progress: access checks and progress events. Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.progress")
public interface ProgressConfig {
    Duration accessTtl();

    Duration eventInterval();
}
