package org.phocap.report;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import org.phocap.platform.Overload;

/**
 * Folds the counting transactions' appended changes into the report roll-ups (V23__report_rollup.sql).
 * Reports are exact whether or not a fold has run: it only keeps the appended rows few, so a report
 * reads one roll-up row per group and a handful of changes.
 */
@ApplicationScoped
public class ReportRollups {
    private static final Logger LOG = Logger.getLogger(ReportRollups.class);
    /**
     * The appended rows are deleted once folded and the roll-ups updated. Autovacuum reclaims the
     * space; where it is off (this project's benchmark box) or slow, the folder does it itself now
     * and then.
     */
    private static final Duration VACUUM_EVERY = Duration.ofMinutes(1);

    private final Pool pool;
    private final AtomicReference<Instant> lastVacuum = new AtomicReference<>(Instant.EPOCH);
    private volatile Instant lastMoved = Instant.EPOCH;

    public ReportRollups(Pool pool) {
        this.pool = pool;
    }

    @Scheduled(
            every = "${phocap.report.fold-every}",
            identity = "report-rollup-fold",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> fold() {
        return Overload.orSkipped(
                fold(pool)
                        .flatMap(moved -> moved > 0
                                ? vacuumNowAndThen()
                                : Uni.createFrom().voidItem()),
                LOG,
                "Folding report changes into the roll-ups");
    }

    /** Folds now; the number of appended changes moved. */
    static Uni<Long> fold(Pool pool) {
        return pool.query("SELECT report_rollup_fold()")
                .execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * At most once per VACUUM_EVERY, while rows were deleted since a minute before the last vacuum: a
     * vacuum cannot reclaim rows an open snapshot may still see (a bulk load's own session), so the
     * one after it tries again.
     */
    private Uni<Void> vacuumNowAndThen() {
        Instant last = lastVacuum.get();
        Instant now = Instant.now();
        if (lastMoved.isBefore(last.minus(VACUUM_EVERY))
                || now.isBefore(last.plus(VACUUM_EVERY))
                || !lastVacuum.compareAndSet(last, now)) {
            return Uni.createFrom().voidItem();
        }
        // The roll-ups too, and both tables' statistics: a plan made on a table's numbers from before a
        // bulk fold reads every row of a dimension to find one locality's.
        return pool.query("VACUUM (ANALYZE, SKIP_LOCKED) report_rollup_delta, report_rollup")
                .execute()
                .replaceWithVoid();
    }
}
