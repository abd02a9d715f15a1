package org.phocap.platform;

import io.micrometer.core.instrument.Metrics;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.SocketException;
import org.jboss.logging.Logger;

/**
 * Load shed on purpose: a bound was reached (the database pool's queue of waiters, a path's own
 * queue) and the request was refused at once. Answered 503 with Retry-After, counted
 * as {@code phocap_overload_rejections_total{cause}} — the meter to alert on. Also where the
 * other passing database failure (PostgreSQL restarting or out of reach) is recognised.
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
            if (t instanceof ConnectionPoolTooBusyException) {
                return "db-queue-full";
            }
        }
        return null;
    }

    /** A failure that passes by itself: load shed at a bound, or the database restarting or out of reach. */
    public static boolean transientDatabase(Throwable failure) {
        return cause(failure) != null || databaseUnavailable(failure);
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

    /** The same with a wait of the bound's own (a full instance asks its stream clients to wait longer). */
    public static ProblemException shed(String cause, String detail, int retryAfterSec) {
        return ProblemException.overloaded(cause, detail, retryAfterSec);
    }

    static final String METER = "phocap.overload.rejections";

    static void count(String cause) {
        Metrics.counter(METER, "cause", cause).increment();
    }

    /**
     * A failure to reach PostgreSQL rather than a fault of the request or the code: SQL state class
     * 08 (connection), 53 (insufficient resources), 57P01–57P03 (shutting down, starting up), or
     * the connection refused, reset or closed under the pool.
     */
    public static boolean databaseUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && pg.getSqlState() != null) {
                String state = pg.getSqlState();
                return state.startsWith("08") || state.startsWith("53") || state.startsWith("57P0");
            }
            if (t instanceof SocketException || t instanceof ClosedConnectionException) {
                return true;
            }
            // How the pool reports a connection the database dropped under it, and a pool this
            // instance closed while stopping (a scheduled job that fired during the stop): types
            // without a subclass, told apart by their message.
            if (t instanceof NoStackTraceThrowable
                    && t.getMessage() != null
                    && (t.getMessage().startsWith("Connection is not active")
                            || t.getMessage().equals("Pool closed"))) {
                return true;
            }
        }
        return false;
    }
}
