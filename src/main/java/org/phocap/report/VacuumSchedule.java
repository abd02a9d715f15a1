package org.phocap.report;

import java.time.Duration;
import java.time.Instant;

/**
 * When the roll-up folder vacuums its two tables (and renews their statistics): at once after a bulk
 * fold, whose plans would otherwise rest on numbers from before it; else at most once per period
 * while folds delete rows, and once more a period after the last such fold, because a vacuum cannot
 * reclaim rows an open snapshot still sees (a bulk load's own session, say). Once at start too.
 */
final class VacuumSchedule {
    private final Duration every;
    private final long bulk;
    private Instant lastVacuum = Instant.EPOCH;
    private Instant lastMoved = Instant.EPOCH;

    VacuumSchedule(Duration every, long bulk) {
        this.every = every;
        this.bulk = bulk;
    }

    /** After a fold that moved {@code moved} changes at {@code now}: whether to vacuum now. */
    synchronized boolean due(Instant now, long moved) {
        if (moved > 0) {
            lastMoved = now;
        }
        boolean due = moved >= bulk
                || (!lastMoved.isBefore(lastVacuum.minus(every)) && !now.isBefore(lastVacuum.plus(every)));
        if (due) {
            lastVacuum = now;
        }
        return due;
    }
}
