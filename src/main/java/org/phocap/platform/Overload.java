package org.phocap.platform;

import io.micrometer.core.instrument.Metrics;

/**
 * Load shed on purpose: a bound was reached (the database pool's wait or its queue of waiters, a
 * path's own queue) and the request was refused at once. Answered 503 with Retry-After, counted
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
            // How the Vert.x SQL pool reports phocap.db.max-wait passing (a shared exception without a type of its own).
            if (t instanceof io.vertx.core.VertxException && "Timeout waiting for connection".equals(t.getMessage())) {
                return "db-wait";
            }
        }
        return null;
    }

    /** A path's own queue is full: the exception to fail the request with (counted when it is answered). */
    public static ProblemException shed(String cause, String detail) {
        return ProblemException.overloaded(cause, detail, RETRY_AFTER_SEC);
    }

    static void count(String cause) {
        Metrics.counter("phocap.overload.rejections", "cause", cause).increment();
    }
}
