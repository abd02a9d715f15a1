package org.phocap.stream;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * At most {@code limit} lesson streams load their opening events at once; the others wait here, in
 * the order they came, for a turn.
 *
 * <p>Why: after a pod restart thousands of clients reconnect in the same second, each opening
 * costing a few queries. Let through all at once, they filled the database queue, most were shed,
 * and each shed stream came back only after its reconnect hint (3 to 13 s): 10,000 streams took
 * about 40 s to open. Their connections are open already (the stream is registered, so nothing
 * live is missed while it waits), so waiting here costs a few hundred bytes each, and the database
 * works at the pace it can. A stream that has waited longer than {@code maxWait} is told to
 * reconnect instead, so no client waits in silence for long; one whose client left is skipped.
 *
 * <p>A turn ends with {@link #leave()}, exactly once per turn started.
 */
final class OpeningGate {
    private final int limit;
    private final long maxWaitNanos;
    private final LongSupplier nanoTime;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final ConcurrentLinkedQueue<Turn> queue = new ConcurrentLinkedQueue<>();
    /** Set while this thread pumps: a turn that ends at once (its load failed synchronously) does not recurse. */
    private static final ThreadLocal<boolean[]> PUMPING = ThreadLocal.withInitial(() -> new boolean[1]);

    private record Turn(long since, BooleanSupplier wanted, Runnable start, Runnable expired) {}

    OpeningGate(int limit, long maxWaitNanos, LongSupplier nanoTime) {
        this.limit = Math.max(1, limit);
        this.maxWaitNanos = maxWaitNanos;
        this.nanoTime = nanoTime;
    }

    /**
     * Queues a stream's opening: {@code start} runs when its turn comes (and must end with
     * {@link #leave()}), {@code expired} instead when it waited past the limit; neither when
     * {@code wanted} says its client left meanwhile.
     */
    void enter(BooleanSupplier wanted, Runnable start, Runnable expired) {
        queue.add(new Turn(nanoTime.getAsLong(), wanted, start, expired));
        waiting.incrementAndGet();
        pump();
    }

    /** The end of a turn: the next waiting stream starts. */
    void leave() {
        running.decrementAndGet();
        pump();
    }

    int waiting() {
        return waiting.get();
    }

    int running() {
        return running.get();
    }

    private void pump() {
        boolean[] pumping = PUMPING.get();
        if (pumping[0]) {
            return; // the loop below, further up this thread's stack, takes the next turn
        }
        pumping[0] = true;
        try {
            while (!queue.isEmpty()) {
                int now = running.get();
                if (now >= limit) {
                    return;
                }
                if (!running.compareAndSet(now, now + 1)) {
                    continue;
                }
                Turn turn = queue.poll();
                if (turn == null) {
                    running.decrementAndGet();
                    continue;
                }
                waiting.decrementAndGet();
                if (!turn.wanted().getAsBoolean()) {
                    running.decrementAndGet();
                } else if (nanoTime.getAsLong() - turn.since() > maxWaitNanos) {
                    running.decrementAndGet();
                    turn.expired().run();
                } else {
                    turn.start().run();
                }
            }
        } finally {
            pumping[0] = false;
        }
    }
}
