package org.phocap.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.phocap.platform.ProblemException;

/**
 * The group commit's isolation, with the commit step stood in: a batch that one submission's data
 * fails is split until only that submission fails (400); the others are answered as if it had never
 * come. A batch that fails because the database is away is not split and fails as a whole (503).
 */
class HeartbeatCommitterIsolationTest {
    static final long POISON = 666;
    static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close();
    }

    /** Stands in for ProgressStore.commit: fails any batch holding the poisoner, as a data error would. */
    static final class FakeStore {
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        final RuntimeException failure;

        FakeStore(RuntimeException failure) {
            this.failure = failure;
        }

        Uni<ProgressStore.Committed> commit(List<HeartbeatBatch.Submission> submissions) {
            batchSizes.add(submissions.size());
            if (submissions.stream().anyMatch(s -> s.learnerId() == POISON)) {
                return Uni.createFrom().failure(failure);
            }
            List<List<HeartbeatBatch.Outcome>> outcomes = new ArrayList<>();
            submissions.forEach(s -> outcomes.add(
                    List.of(new HeartbeatBatch.Outcome(new HeartbeatResult(1, 10, 10, 0.5, false, 10, false), null))));
            // Answered later, as the database would, so that submissions queue up into batches.
            return Uni.createFrom()
                    .item(new ProgressStore.Committed(outcomes, List.of(), List.of(), List.of()))
                    .onItem()
                    .delayIt()
                    .by(Duration.ofMillis(5));
        }
    }

    private static Map<Long, Object> run(FakeStore store, int honest) throws InterruptedException {
        return run(store, honest, changed -> {});
    }

    private static Map<Long, Object> run(
            FakeStore store, int honest, java.util.function.Consumer<ProgressStore.Committed> reaction)
            throws InterruptedException {
        HeartbeatCommitter committer = new HeartbeatCommitter(
                store::commit, reaction, vertx, new SimpleMeterRegistry(), 64, Duration.ofMillis(20), 1, 10_000);
        Map<Long, Object> answers = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(honest + 1);
        List<Long> learners = new ArrayList<>();
        for (long l = 1; l <= honest; l++) {
            learners.add(l);
        }
        learners.add(honest / 2, POISON);
        for (long learner : learners) {
            committer
                    .submit(new HeartbeatBatch.Submission(learner, "device", Instant.now(), false, List.of()))
                    .subscribe()
                    .with(
                            outcomes -> {
                                answers.put(learner, outcomes);
                                done.countDown();
                            },
                            failure -> {
                                answers.put(learner, failure);
                                done.countDown();
                            });
        }
        assertTrue(done.await(10, TimeUnit.SECONDS), "every submission answered");
        return answers;
    }

    @Test
    void oneSubmissionWhoseDataFailsTheBatchFailsAloneWith400() throws InterruptedException {
        FakeStore store = new FakeStore(new ArithmeticException("long overflow"));
        Map<Long, Object> answers = run(store, 40);
        assertEquals(41, answers.size());
        answers.forEach((learner, answer) -> {
            if (learner == POISON) {
                assertTrue(answer instanceof ProblemException p && p.status() == 400, String.valueOf(answer));
            } else {
                assertFalse(answer instanceof Throwable, "learner " + learner + ": " + answer);
            }
        });
        assertTrue(store.batchSizes.size() > 1, "the failed batch was split and retried: " + store.batchSizes);
    }

    @Test
    void aReactionThatThrowsLeavesNoPartOfASplitBatchUnanswered() throws InterruptedException {
        FakeStore store = new FakeStore(new ArithmeticException("long overflow"));
        Map<Long, Object> answers = run(store, 40, committed -> {
            throw new IllegalStateException("a bug in what follows a commit");
        });
        assertEquals(
                40,
                answers.values().stream().filter(a -> !(a instanceof Throwable)).count(),
                String.valueOf(answers));
    }

    @Test
    void aPostgresDataExceptionIsIsolatedTheSameWay() throws InterruptedException {
        FakeStore store = new FakeStore(
                new PgException("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "22021", null));
        Map<Long, Object> answers = run(store, 10);
        assertEquals(
                10,
                answers.values().stream().filter(a -> !(a instanceof Throwable)).count());
    }

    @Test
    void aDatabaseThatIsAwayFailsTheWholeBatchWith503WithoutSplitting() throws InterruptedException {
        FakeStore store =
                new FakeStore(new PgException("the database system is shutting down", "FATAL", "57P03", null));
        Map<Long, Object> answers = run(store, 10);
        // Every submission tried once and failed with its batch: nothing split off to be tried alone.
        // (Eleven usually arrive within the 20 ms wait as one batch; a busy machine may make two.)
        assertEquals(
                11,
                store.batchSizes.stream().mapToInt(Integer::intValue).sum(),
                "tried once each: " + store.batchSizes);
        answers.forEach((learner, answer) ->
                assertTrue(answer instanceof ProblemException p && p.status() == 503, learner + ": " + answer));
    }

    @Test
    void pastItsQueueBoundAHeartbeatIsShedAtOnceWith503AndRetryAfter() throws InterruptedException {
        // A database that never answers: one batch in flight, the rest wait in the queue (bound 5).
        HeartbeatCommitter committer = new HeartbeatCommitter(
                submissions -> Uni.createFrom().nothing(),
                changed -> {},
                vertx,
                new SimpleMeterRegistry(),
                1,
                Duration.ZERO,
                1,
                5);
        List<Object> answers = new CopyOnWriteArrayList<>();
        for (long learner = 1; learner <= 8; learner++) {
            committer
                    .submit(new HeartbeatBatch.Submission(learner, "device", Instant.now(), false, List.of()))
                    .subscribe()
                    .with(answers::add, answers::add);
        }
        long started = System.nanoTime();
        while (answers.size() < 2 && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1)) {
            Thread.sleep(5);
        }
        // One in flight, five queued, the last two refused without waiting.
        assertEquals(2, answers.size(), String.valueOf(answers));
        answers.forEach(answer -> assertTrue(
                answer instanceof ProblemException p
                        && p.status() == 503
                        && "overloaded".equals(p.slug())
                        && p.retryAfterSec() != null
                        && p.overloadCause() != null,
                String.valueOf(answer)));
    }
}
