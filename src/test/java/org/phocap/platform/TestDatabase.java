package org.phocap.platform;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * The tests' own connection to the database the application under test uses, for fixtures built
 * faster in SQL than through the API and for checks of stored rows. Unlike the application's
 * injected pool it also works when an {@code *IT} runs the test against the packaged jar.
 */
public final class TestDatabase {
    private static Pool pool;

    private TestDatabase() {}

    public static synchronized Pool pool() {
        if (pool == null) {
            String url = PostgresResource.url;
            if (url == null) {
                throw new IllegalStateException("PostgresResource has not started: annotate the test with it");
            }
            PgConnectOptions options = PgConnectOptions.fromUri(url);
            if (!url.contains("@")) {
                options.setUser("postgres");
            }
            pool = PgPool.pool(Vertx.vertx(), options, new PoolOptions().setMaxSize(2));
        }
        return pool;
    }
}
