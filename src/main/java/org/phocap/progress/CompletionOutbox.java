package org.phocap.progress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;
import org.phocap.certificate.CourseCompletion;
import org.phocap.platform.Overload;

/**
 * Completion checks that must not be lost. The write that calls for a check (a lesson completed by
 * a heartbeat batch, a passing grade) adds a {@code completion_check} row in its own transaction
 * ({@link #NEEDED_SQL}); right after the commit the check runs at once ({@link #checkNow}), and the
 * row is deleted when it has run. If it fails (the pool is saturated, the database restarts, the
 * instance dies), the row becomes due after {@code phocap.completion.retry-after} and
 * {@link #drain} retries it, with a growing delay, on whichever instance gets to it first
 * ({@code SKIP LOCKED}). Exactly-once is the completion's own key: a check that finds the
 * completion recorded does nothing.
 */
@ApplicationScoped
public class CompletionOutbox {
    private static final Logger LOG = Logger.getLogger(CompletionOutbox.class);
    /**
     * The insert a writer runs in its transaction; parameters: learner, course, the completion's
     * time, and the seconds before a retry is due. A newer need replaces an older one's time.
     */
    public static final String NEEDED_SQL = """
            INSERT INTO completion_check (learner_id, course_id, completed_at, due_at)
            SELECT learner_id, course_id, completed_at, now() + make_interval(secs => retry_after)
            FROM %s
            ON CONFLICT (learner_id, course_id) DO UPDATE SET completed_at = EXCLUDED.completed_at,
                due_at = EXCLUDED.due_at, attempts = 0
            """;

    private static final int DRAIN_BATCH = 200;
    private static final int MAX_DELAY_FACTOR = 20;

    private final Pool pool;
    private final CourseCompletion completion;
    private final double retryAfterSec;
    private final Counter retried;
    private final Counter failed;

    public CompletionOutbox(
            Pool pool, CourseCompletion completion, MeterRegistry metrics, CompletionConfig completionConfig) {
        Duration retryAfter = completionConfig.retryAfter();
        this.pool = pool;
        this.completion = completion;
        this.retryAfterSec = retryAfter.toMillis() / 1000.0;
        this.retried = Counter.builder("phocap.completion.checks")
                .tag("outcome", "retried")
                .description("Completion checks run again from the outbox after the first one failed")
                .register(metrics);
        this.failed = Counter.builder("phocap.completion.checks")
                .tag("outcome", "failed")
                .description("Completion checks that failed and stay in the outbox")
                .register(metrics);
    }

    /** Seconds before a check left in the outbox is retried: the writers' last parameter. */
    public double retryAfterSec() {
        return retryAfterSec;
    }

    /** Runs the check a write just committed the need for, and clears the need once it has run. */
    public Uni<Boolean> checkNow(long learnerId, long courseId, Instant at) {
        return completion
                .check(learnerId, courseId, at)
                .call(done -> pool.preparedQuery(
                                "DELETE FROM completion_check WHERE learner_id = $1 AND course_id = $2 AND completed_at = $3")
                        .execute(Tuple.of(learnerId, courseId, at.atOffset(ZoneOffset.UTC))))
                .onFailure()
                .invoke(e -> failed.increment());
    }

    @Scheduled(
            every = "${phocap.completion.retry-every}",
            delayed = "${phocap.completion.retry-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> drain() {
        return Overload.orSkipped(
                due().onItem()
                        .transformToMulti(rows -> Multi.createFrom().iterable(rows))
                        .onItem()
                        .transformToUni(row -> {
                            retried.increment();
                            return checkNow(
                                            row.getLong("learner_id"),
                                            row.getLong("course_id"),
                                            row.getOffsetDateTime("completed_at")
                                                    .toInstant())
                                    .onFailure()
                                    .recoverWithItem(false);
                        })
                        .merge(4)
                        .collect()
                        .last()
                        .replaceWithVoid(),
                LOG,
                "Retrying owed completion checks");
    }

    /** Claims the checks that are due: pushed back (with a growing delay) so a crash here delays, never loses. */
    private Uni<io.vertx.mutiny.sqlclient.RowSet<Row>> due() {
        return pool.preparedQuery("""
                        UPDATE completion_check c
                        SET attempts = c.attempts + 1,
                            due_at = now() + make_interval(secs => $1 * least(c.attempts + 2, $3))
                        FROM (SELECT learner_id, course_id FROM completion_check WHERE due_at <= now()
                              ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED) d
                        WHERE c.learner_id = d.learner_id AND c.course_id = d.course_id
                        RETURNING c.learner_id, c.course_id, c.completed_at""").execute(Tuple.of(retryAfterSec, DRAIN_BATCH, MAX_DELAY_FACTOR));
    }
}
