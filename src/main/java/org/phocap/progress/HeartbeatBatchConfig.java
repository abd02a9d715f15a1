package org.phocap.progress;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** The heartbeat group commit. Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.heartbeat.batch")
public interface HeartbeatBatchConfig {
    int maxInFlight();

    int maxQueued();

    int maxSize();

    Duration maxWait();
}
