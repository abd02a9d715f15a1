package org.phocap.platform;

import io.vertx.pgclient.PgException;
import org.jboss.logging.Logger;

/**
 * Logs unexpected failures without the data they carry: PostgreSQL error details quote row
 * values ("Failing row contains (…, +8491…, …)"), so for those only the SQL state and constraint
 * are written.
 */
public final class SafeLog {
    private SafeLog() {}

    public static void error(Logger log, String what, Throwable failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof PgException)) {
            cause = cause.getCause();
        }
        if (cause instanceof PgException pg) {
            log.errorf(
                    "%s: database error, SQL state %s, constraint %s, in %s",
                    what, pg.getSqlState(), pg.getConstraint(), pg.getTable());
        } else {
            log.error(what, failure);
        }
    }
}
