package org.phocap.report;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
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
    /** A fold that moves this many changes is a bulk one (an import's end, a wave moved). */
    private static final long BULK = 10_000;

    private final Pool pool;
    private final VacuumSchedule vacuums = new VacuumSchedule(VACUUM_EVERY, BULK);

    public ReportRollups(Pool pool) {
        this.pool = pool;
    }

    @Scheduled(
            every = "${phocap.report.fold-every}",
            identity = "report-rollup-fold",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> fold() {
        return Overload.orSkipped(
                foldNow()
                        .flatMap(moved -> vacuums.due(Instant.now(), moved)
                                ? vacuum()
                                : Uni.createFrom().voidItem()),
                LOG,
                "Folding report changes into the roll-ups");
    }

    /** Folds now; the number of appended changes moved. */
    private Uni<Long> foldNow() {
        return pool.query("SELECT report_rollup_fold()")
                .execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Reclaims the folded rows of both tables and renews their statistics. */
    private Uni<Void> vacuum() {
        return pool.query("VACUUM (ANALYZE, SKIP_LOCKED) report_rollup_delta, report_rollup")
                .execute()
                .replaceWithVoid();
    }
}
