package org.phocap.platform;

import io.micrometer.core.instrument.Metrics;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Vert.x' handler for exceptions nobody caught, as Quarkus installs it (an ERROR with a stack
 * trace), except for one known library fault: when a connection cannot be made (PostgreSQL
 * restarting), the SQL pool fails the request at once but leaves its wait timer running, and the
 * timer then fails the same promise again (eclipse-vertx/vertx-sql-client#1706). The request was
 * answered correctly; only the second, impossible completion is thrown. Those are counted
 * ({@code phocap_vertx_pool_timer_races_total}) instead of writing a stack trace per request.
 */
@Singleton
public class VertxUncaught {
    private static final Logger LOG = Logger.getLogger("io.quarkus.vertx.core.runtime.VertxCoreRecorder");

    void onStart(@Observes StartupEvent started, Vertx vertx) {
        vertx.exceptionHandler(failure -> {
            if (poolTimerRace(failure)) {
                Metrics.counter("phocap.vertx.pool.timer.races").increment();
            } else {
                LOG.error("Uncaught exception received by Vert.x", failure);
            }
        });
    }

    static boolean poolTimerRace(Throwable failure) {
        if (!(failure instanceof IllegalStateException) || !"Result is already complete".equals(failure.getMessage())) {
            return false;
        }
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (frame.getClassName().startsWith("io.vertx.sqlclient.impl.pool.SqlConnectionPool")) {
                return true;
            }
        }
        return false;
    }
}
