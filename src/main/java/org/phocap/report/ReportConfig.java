package org.phocap.report;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** Reports. Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.report")
public interface ReportConfig {
    /** Read by the cache configuration (phocap.cache."reports".expire-after-write), not by code. */
    Duration cacheTtl();

    /** Read by ReportRollups' schedule, not by code: how often appended changes are folded into the roll-ups. */
    Duration foldEvery();

    /**
     * Whether what a locality level sums from the roll-ups is kept while the roll-ups stay as they are
     * (answers stay exact either way; off, every call sums the level's roll-up rows again).
     */
    boolean reuseRollups();
}
