package org.phocap.progress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.DateTimeException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.phocap.platform.Overload;
import org.phocap.platform.ProblemException;
import org.phocap.platform.SafeLog;
import org.phocap.platform.ThrottledLog;

/**
 * Group commit for heartbeats. Submissions queue up while a batch is being written; when it
 * commits, everything that queued meanwhile goes out as the next batch (up to {@code max-size}
 * submissions), so under load one round trip carries many heartbeats, and when idle a
 * submission waits at most {@code max-wait} for company. Every submission is answered only after
 * its batch has committed. A batch that fails for one submission's data is split until that
 * submission fails alone (400); a batch that fails because the database is unavailable fails all of
 * its submissions with 503 + Retry-After, which is safe because a retried heartbeat is recognised
 * by its (sessionId, seq).
 *
 * <p>{@code max-size=1} turns this into one transaction per request (with {@code max-in-flight}
 * of them at once), the baseline the benchmark compares against.
 */
// Created at start so that its meters exist before the first heartbeat (alerts read them).
@Startup
@ApplicationScoped
public class HeartbeatCommitter {
    private static final Logger LOG = Logger.getLogger(HeartbeatCommitter.class);

    /** A queued submission and where its answer goes. */
    private record Pending(
            HeartbeatBatch.Submission submission, UniEmitter<? super List<HeartbeatBatch.Outcome>> emitter) {}

    private final Function<List<HeartbeatBatch.Submission>, Uni<ProgressStore.Committed>> commit;
    private final Consumer<ProgressStore.Committed> onCommitted;
    private final Vertx vertx;
    private final int maxSize;
    private final long maxWaitMs;
    private final int maxInFlight;
    private final int maxQueued;
    private final DistributionSummary batchSize;
    private final Timer commitTime;
    private final Counter isolations;
    private final Counter retries;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int inFlight;
    private boolean timerSet;

    @Inject
    public HeartbeatCommitter(
            ProgressStore store,
            ProgressEvents events,
            Vertx vertx,
            MeterRegistry metrics,
            HeartbeatBatchConfig batchConfig) {
        this(
                store::commit,
                events::committed,
                vertx,
                metrics,
                batchConfig.maxSize(),
                batchConfig.maxWait(),
                batchConfig.maxInFlight(),
                batchConfig.maxQueued());
    }

    /** With the commit step given: the store's in service, a stand-in in the isolation unit test. */
    HeartbeatCommitter(
            Function<List<HeartbeatBatch.Submission>, Uni<ProgressStore.Committed>> commit,
            Consumer<ProgressStore.Committed> committed,
            Vertx vertx,
            MeterRegistry metrics,
            int maxSize,
            Duration maxWait,
            int maxInFlight,
            int maxQueued) {
        this.commit = commit;
        this.onCommitted = committed;
        this.vertx = vertx;
        this.maxSize = Math.max(1, maxSize);
        this.maxWaitMs = maxWait.toMillis();
        this.maxInFlight = Math.max(1, maxInFlight);
        this.maxQueued = Math.max(1, maxQueued);
        this.batchSize = DistributionSummary.builder("phocap.heartbeat.batch.size")
                .description("Submissions per group commit")
                .publishPercentileHistogram()
                .register(metrics);
        this.commitTime = Timer.builder("phocap.heartbeat.commit")
                .description("Time to apply and commit one batch of heartbeats")
                .publishPercentileHistogram()
                .register(metrics);
        this.isolations = Counter.builder("phocap.heartbeat.batch.isolations")
                .description("Batches split because one submission's data failed them")
                .register(metrics);
        this.retries = Counter.builder("phocap.heartbeat.batch.retries")
                .description("Batches tried again after a deadlock or serialization failure")
                .register(metrics);
    }

    Uni<List<HeartbeatBatch.Outcome>> submit(HeartbeatBatch.Submission submission) {
        return Uni.createFrom().emitter(emitter -> {
            List<Pending> batch = null;
            boolean full;
            synchronized (this) {
                // The database is not keeping up: refuse now rather than queue past what drains in a second.
                full = queue.size() >= maxQueued;
                if (!full) {
                    queue.add(new Pending(submission, emitter));
                    batch = takeIfDue();
                }
            }
            if (full) {
                emitter.fail(
                        Overload.shed(
                                "heartbeat-queue",
                                "Too many heartbeats are waiting to be saved; nothing was credited. Retry the same heartbeat."));
                return;
            }
            write(batch);
        });
    }

    /** Takes the next batch if one may go now, else arms the wait timer; called under the lock. */
    private List<Pending> takeIfDue() {
        if (queue.isEmpty() || inFlight >= maxInFlight) {
            return null;
        }
        if (queue.size() >= maxSize || maxWaitMs <= 0) {
            return take();
        }
        if (!timerSet) {
            timerSet = true;
            vertx.setTimer(maxWaitMs, id -> {
                List<Pending> batch;
                synchronized (this) {
                    timerSet = false;
                    batch = queue.isEmpty() || inFlight >= maxInFlight ? null : take();
                }
                write(batch);
            });
        }
        return null;
    }

    private List<Pending> take() {
        int n = Math.min(maxSize, queue.size());
        List<Pending> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            batch.add(queue.poll());
        }
        inFlight++;
        return batch;
    }

    private void write(List<Pending> batch) {
        if (batch == null) {
            return;
        }
        batchSize.record(batch.size());
        long started = System.nanoTime();
        List<Runnable> answers = new ArrayList<>(1);
        attempt(batch, true, answers).subscribe().with(done -> {
            commitTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            // The slot is freed and the next batch sent before this one's answers are written:
            // writing a few hundred HTTP answers takes longer than the database takes to commit, and
            // holding the slot meanwhile left the database idle most of the time.
            finished();
            // Each committed part on its own: a reaction that throws must not leave the next part
            // of a split batch unanswered.
            for (Runnable answer : answers) {
                try {
                    answer.run();
                } catch (RuntimeException e) {
                    SafeLog.error(LOG, "Reacting to committed heartbeats failed; they were answered", e);
                }
            }
        });
    }

    /**
     * Commits the batch and answers each submission. A batch that fails because of what one
     * submission carries (a data error, not an unreachable database) is split in two and each half
     * tried on its own, so the offending submission fails alone and everyone else is answered as
     * usual. The slot stays taken meanwhile, which keeps the retries inside the in-flight limit.
     */
    private Uni<Void> attempt(List<Pending> batch, boolean mayRetry, List<Runnable> answers) {
        return Uni.createFrom()
                .deferred(() ->
                        commit.apply(batch.stream().map(Pending::submission).toList()))
                .onItemOrFailure()
                .transformToUni((committed, failure) -> {
                    if (failure == null) {
                        // Committed: answered once the slot is free (see write).
                        answers.add(() -> {
                            for (int i = 0; i < batch.size(); i++) {
                                batch.get(i)
                                        .emitter()
                                        .complete(committed.outcomes().get(i));
                            }
                            onCommitted.accept(committed);
                        });
                        return Uni.createFrom().voidItem();
                    }
                    if (mayRetry && concurrencyConflict(failure)) {
                        // A deadlock or serialization failure with a concurrent batch: nothing was
                        // kept, and the same batch normally goes through at once.
                        retries.increment();
                        return attempt(batch, false, answers);
                    }
                    boolean dataError = causedByData(failure);
                    if (dataError && batch.size() > 1) {
                        isolations.increment();
                        int half = batch.size() / 2;
                        return attempt(batch.subList(0, half), true, answers)
                                .chain(() -> attempt(batch.subList(half, batch.size()), true, answers));
                    }
                    if (dataError) {
                        LOG.warnf(
                                "A heartbeat submission could not be applied (%s); answered 400, its batch went on without it",
                                failure.getClass().getSimpleName());
                        batch.forEach(
                                p -> p.emitter()
                                        .fail(
                                                ProblemException.badRequest(
                                                        "This heartbeat could not be applied; nothing was credited. Check its fields.")));
                    } else if (Overload.cause(failure) != null) {
                        // The pool refused at its bound: shed, counted per request by the error mapper.
                        ProblemException shed = Overload.shed(
                                Overload.cause(failure),
                                "The service is busy just now; nothing was credited. Retry the same heartbeat.");
                        batch.forEach(p -> p.emitter().fail(shed));
                    } else {
                        if (Overload.databaseUnavailable(failure)) {
                            // Expected while PostgreSQL restarts: clients retry; one line per 10 s is enough.
                            ThrottledLog.warn(
                                    LOG, "Heartbeat batches fail while the database is unavailable; answered 503");
                        } else {
                            SafeLog.error(
                                    LOG,
                                    "A heartbeat batch failed; its " + batch.size() + " requests are answered 503",
                                    failure);
                        }
                        ProblemException unavailable = ProblemException.unavailable(
                                "Progress could not be saved just now; nothing was credited. Retry the same heartbeat.",
                                2);
                        batch.forEach(p -> p.emitter().fail(unavailable));
                    }
                    return Uni.createFrom().voidItem();
                });
    }

    /**
     * Whether a failure comes from the data of some submission (and so would fail again the same
     * way): a PostgreSQL data exception (SQL state class 22) or an arithmetic, time or argument error
     * in the rules. Pool, connection and concurrency failures are not: splitting would only multiply them.
     */
    static boolean concurrencyConflict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg) {
                return "40P01".equals(pg.getSqlState()) || "40001".equals(pg.getSqlState());
            }
        }
        return false;
    }

    static boolean causedByData(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg) {
                return pg.getSqlState() != null && pg.getSqlState().startsWith("22");
            }
            if (t instanceof ArithmeticException
                    || t instanceof DateTimeException
                    || t instanceof IllegalArgumentException
                    || t instanceof NullPointerException
                    || t instanceof IndexOutOfBoundsException
                    || t instanceof ClassCastException) {
                return true;
            }
        }
        return false;
    }

    /** A batch ended: what queued meanwhile goes out at once instead of waiting. */
    private void finished() {
        List<Pending> next;
        synchronized (this) {
            inFlight--;
            next = queue.isEmpty() || inFlight >= maxInFlight ? null : take();
        }
        write(next);
    }
}
