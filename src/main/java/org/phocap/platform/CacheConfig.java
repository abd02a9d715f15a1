package org.phocap.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Every cache by name: its size bound and, where entries go stale, how long they live. */
@ConfigMapping(prefix = "phocap.cache")
public interface CacheConfig {
    @WithParentName
    Map<String, Spec> caches();

    interface Spec {
        long maximumSize();

        Optional<Duration> expireAfterWrite();
    }
}
