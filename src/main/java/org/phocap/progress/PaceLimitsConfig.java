package org.phocap.progress;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.ZoneId;
import org.phocap.integrity.IntegrityConfig;

/** The configured {@link PaceLimits}. */
@ApplicationScoped
public class PaceLimitsConfig {
    @Produces
    @Singleton
    PaceLimits limits(IntegrityConfig integrityConfig) {
        ZoneId zone = integrityConfig.zone();
        Duration maxDay = integrityConfig.maxDay();
        double minObservedFraction = integrityConfig.minObservedFraction();
        if (!(minObservedFraction >= 0 && minObservedFraction <= 1)) {
            throw new IllegalArgumentException("phocap.integrity.min-observed-fraction must be between 0 and 1");
        }
        return new PaceLimits(zone, maxDay.toMillis() / 1000.0, minObservedFraction);
    }
}
