package org.phocap.platform;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Singleton;

/**
 * The reactive pool, as Quarkus configures it, with admission control added: at most
 * {@code phocap.db.max-waiters} requests wait for a connection at once. Past that the pool fails
 * the request at once and {@link Overload} answers 503 with Retry-After, so an overload costs the
 * client milliseconds, not a 30-second queue that ends in failures (Vert.x' default: an unbounded
 * queue and a 30 s wait). A short queue is also a short wait: it drains at the pool's pace, a few
 * hundred requests in well under a second. The bound sits at the one resource every expensive path
 * shares, so no path can starve the others for long; paths that need no connection (health, stream
 * keep-alives, cached reads) never queue here.
 *
 * <p>Why a bound on the queue's length and not on the wait's time: Vert.x 4.5's timed wait
 * ({@code PoolOptions.connectionTimeout}) races with the delivery of a connection. Under a 3x
 * overload (loadtests/overload.sh) it lost connections until the pool had none left and its queue
 * stayed full with no load at all (the race eclipse-vertx/vertx-sql-client#1620 fixes upstream,
 * and #1706). So the timer is off ({@code 0}); nothing here can lose a connection.
 */
@Singleton
public class DatabasePool implements PgPoolCreator {
    /** The longest statement text kept prepared on each connection (the client's default is 2,048). */
    static final int MAX_CACHED_SQL = 16_384;

    private final int maxWaiters;

    public DatabasePool(DbConfig dbConfig) {
        int maxWaiters = dbConfig.maxWaiters();
        this.maxWaiters = maxWaiters;
    }

    @Override
    @SuppressWarnings("deprecation") // Quarkus expects a PgPool from a creator
    public Pool create(Input input) {
        PoolOptions options =
                new PoolOptions(input.poolOptions()).setConnectionTimeout(0).setMaxWaitQueueSize(maxWaiters);
        // The SQL client registers its gauges (postgresql.queue.size, postgresql.current) for each
        // event loop's connection factory under one name: the second registration is ignored with
        // a WARN at every start, and each gauge shows one event loop only. They go (the client's
        // timers and counters are shared correctly and stay); the pool's own meters
        // (sql_pool_queue_size, sql_pool_queue_delay, sql_pool_usage) are the ones to watch, with
        // phocap_overload_rejections_total. Set here, before the pool makes its first connection.
        Metrics.globalRegistry
                .config()
                .meterFilter(MeterFilter.deny(
                        id -> id.getType() == Meter.Type.GAUGE && "sql".equals(id.getTag("clientType"))));
        // The client prepares and keeps a statement only if its text is at most 2,048 characters
        // (its default). The heartbeat batch's write is longer: it was parsed, described and planned
        // again for every batch (Parse + Describe before Bind, about 0.7 ms of the database's time
        // per batch, and a round trip more), so the limit is raised to keep every statement of ours.
        input.pgConnectOptionsList().forEach(connect -> connect.setPreparedStatementCacheSqlLimit(MAX_CACHED_SQL));
        return PgPool.pool(input.vertx(), input.pgConnectOptionsList(), options);
    }
}
