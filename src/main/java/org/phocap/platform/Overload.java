package org.phocap.platform;

import io.micrometer.core.instrument.Metrics;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;

/**
 * Load shed on purpose: a bound was reached (the database pool's queue of waiters, a path's own
 * queue) and the request was refused at once. Answered 503 with Retry-After, counted
 * as {@code phocap_overload_rejections_total{cause}} — the meter to alert on.
 */
public final class Overload {
    /** Seconds a shed client is asked to wait: short, the queues behind the bound drain in about that. */
    public static final int RETRY_AFTER_SEC = 1;

    private Overload() {}

    /** The bound a failure reports hitting, or null when it is some other failure. */
    public static String cause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProblemException pe && pe.overloadCause() != null) {
                return pe.overloadCause();
            }
            if (t instanceof io.vertx.core.http.ConnectionPoolTooBusyException) {
                return "db-queue-full";
            }
        }
        return null;
    }

    /** A failure that passes by itself: load shed at a bound, or the database restarting or out of reach. */
    public static boolean transientDatabase(Throwable failure) {
        return cause(failure) != null || ProblemMapper.databaseUnavailable(failure);
    }

    /**
     * Background work (a scheduled job, an event sent after the answer) that meets a busy or absent
     * database gives up quietly: one throttled warning, no stack trace, and the next run or the
     * outbox retries. Other failures pass on as they are.
     */
    public static <T> Uni<T> orSkipped(Uni<T> work, Logger log, String what) {
        return work.onFailure(Overload::transientDatabase).recoverWithItem(e -> {
            ThrottledLog.warn(log, what + " skipped: the database is busy or unreachable; it is tried again later");
            return null;
        });
    }

    /** A path's own queue is full: the exception to fail the request with (counted when it is answered). */
    public static ProblemException shed(String cause, String detail) {
        return ProblemException.overloaded(cause, detail, RETRY_AFTER_SEC);
    }

    static void count(String cause) {
        Metrics.counter("phocap.overload.rejections", "cause", cause).increment();
    }
}
