package org.phocap.integrity;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;
import java.time.ZoneId;

/** Integrity signals and their thresholds (docs/integrity.md). Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.integrity")
public interface IntegrityConfig {
    int concurrentRefusals();

    int deviceSwitches();

    int fastQuizSecondsPerQuestion();

    Duration maxDay();

    double minObservedFraction();

    int sharedDeviceLearners();

    ZoneId zone();
}
