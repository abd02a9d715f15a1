package org.phocap.platform;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** Idempotency-Key replays. Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.idempotency")
public interface IdempotencyConfig {
    Duration expireEvery();
}
