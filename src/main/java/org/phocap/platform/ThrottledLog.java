package org.phocap.platform;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * A warning that can repeat thousands of times a second while a condition lasts (the database
 * away, load being shed) is written at most once per interval per message, with how many were
 * left out: the condition stays visible without burying every other line.
 */
public final class ThrottledLog {
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** When each message was last logged (throttle state, one entry per message key in the code). */
    private static final ConcurrentHashMap<String, State> STATES = new ConcurrentHashMap<>();

    private record State(AtomicLong lastAt, AtomicLong suppressed) {}

    private ThrottledLog() {}

    /** Warns with {@code message}, unless the same message was written less than 10 s ago. */
    public static void warn(Logger log, String message) {
        State state = STATES.computeIfAbsent(
                message, m -> new State(new AtomicLong(System.nanoTime() - INTERVAL_NANOS), new AtomicLong()));
        long now = System.nanoTime();
        long last = state.lastAt().get();
        if (now - last >= INTERVAL_NANOS && state.lastAt().compareAndSet(last, now)) {
            long left = state.suppressed().getAndSet(0);
            log.warn(left == 0 ? message : message + " (and " + left + " more like it in the last 10 s)");
        } else {
            state.suppressed().incrementAndGet();
        }
    }
}
