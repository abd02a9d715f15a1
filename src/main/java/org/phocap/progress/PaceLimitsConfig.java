package org.phocap.progress;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.ZoneId;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The configured {@link PaceLimits}. */
@ApplicationScoped
public class PaceLimitsConfig {
    @Produces
    @Singleton
    PaceLimits limits(
            @ConfigProperty(name = "phocap.integrity.zone") ZoneId zone,
            @ConfigProperty(name = "phocap.integrity.max-day") Duration maxDay,
            @ConfigProperty(name = "phocap.integrity.min-observed-fraction") double minObservedFraction) {
        if (!(minObservedFraction >= 0 && minObservedFraction <= 1)) {
            throw new IllegalArgumentException("phocap.integrity.min-observed-fraction must be between 0 and 1");
        }
        return new PaceLimits(zone, maxDay.toMillis() / 1000.0, minObservedFraction);
    }
}
