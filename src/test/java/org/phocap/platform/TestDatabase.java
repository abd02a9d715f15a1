package org.phocap.platform;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.Arrays;

/**
 * The tests' own connection to the database the application under test uses, for fixtures built
 * faster in SQL than through the API and for checks of stored rows. Unlike the application's
 * injected pool it also works when an {@code *IT} runs the test against the packaged jar.
 */
public final class TestDatabase {
    private static Pool pool;

    private TestDatabase() {}

    /** The first row a query answers (with its parameters, if any), for checks of one stored value. */
    public static Row first(Pool pool, String sql, Object... args) {
        return (args.length == 0
                        ? pool.query(sql).execute()
                        : pool.preparedQuery(sql).execute(Tuple.from(Arrays.asList(args))))
                .await()
                .atMost(Duration.ofSeconds(30))
                .iterator()
                .next();
    }

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
