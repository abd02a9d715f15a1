package org.phocap.stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.phocap.platform.DbConfig;
import org.phocap.platform.InstanceId;
import org.phocap.platform.Overload;
import org.phocap.platform.SafeLog;
import org.phocap.platform.ThrottledLog;

/**
 * Carries stream events between instances sharing one database. The statement that stores events
 * also notifies channel {@value #CHANNEL} with {@code <instance>:<id>,<id>,...} (ids only, in chunks
 * of {@value StreamEvents#IDS_PER_NOTICE}, far below PostgreSQL's 8,000-byte payload limit); every
 * instance LISTENs on one connection of its own, skips its own notices (it delivered those itself),
 * loads the others' events by id and hands them to {@link StreamHub#deliver}.
 *
 * <p>Notices without ids tell who is there: {@code <instance>:} (alive, every keep-alive period),
 * {@code <instance>:?} (just started: peers answer alive), {@code <instance>:-} (stopping). While
 * peers are alive, a learner's stream may be open on another instance, so progress events are
 * written even when no stream of theirs is open here.
 *
 * <p>PostgreSQL drops notices sent while a listener is disconnected, so when the listener comes
 * back the open streams here are closed with a {@code retry:} hint: their clients reconnect with
 * Last-Event-ID and replay the missed events from the log.
 */
@ApplicationScoped
public class StreamBridge {
    static final String CHANNEL = "phocap_stream";
    private static final Logger LOG = Logger.getLogger(StreamBridge.class);

    private final Vertx vertx;
    private final Pool pool;
    private final StreamHub hub;
    private final StreamEvents events;
    private final String self;
    private final PgConnectOptions options;
    /** Other instances heard from, and when (liveness state, not a cache). */
    private final Map<String, Long> peers = new ConcurrentHashMap<>();

    private final AtomicInteger subscriptions = new AtomicInteger();
    private volatile PgSubscriber subscriber;
    private volatile boolean stopping;
    /** A peer not heard from for three and a half keep-alive periods is gone (a crash says no goodbye). */
    private final long peerTimeoutNanos;

    public StreamBridge(
            Vertx vertx,
            Pool pool,
            StreamHub hub,
            StreamEvents events,
            InstanceId instance,
            DbConfig dbConfig,
            StreamConfig streamConfig,
            MeterRegistry metrics) {
        String url = dbConfig.directUrl();
        String user = dbConfig.user();
        Optional<String> password = dbConfig.password();
        Duration keepAlive = streamConfig.keepAlive();
        this.peerTimeoutNanos = keepAlive.toNanos() * 7 / 2;
        this.vertx = vertx;
        this.pool = pool;
        this.hub = hub;
        this.events = events;
        this.self = instance.value();
        // A name of its own, so its metrics do not collide with the pool's.
        this.options = PgConnectOptions.fromUri(url).setMetricsName("phocap-stream-bridge");
        options.setUser(user);
        password.ifPresent(options::setPassword);
        // 1 while this instance listens for its peers' events; 0 means its streams miss events
        // published elsewhere until it listens again (alerted on when it lasts).
        metrics.gauge("phocap.stream.bridge.listening", this, StreamBridge::listening);
    }

    private double listening() {
        PgSubscriber current = subscriber;
        return current != null && !current.closed() && current.actualConnection() != null ? 1 : 0;
    }

    void start(@Observes StartupEvent started) {
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1000L);
        subscriber.channel(CHANNEL).handler(this::onNotice).subscribeHandler(v -> {
            if (subscriptions.incrementAndGet() > 1) {
                LOG.warn("Stream bridge listener reconnected; open streams are asked to reconnect and replay");
                hub.reconnectAll();
            }
            say("?");
        });
        connect();
    }

    private void connect() {
        subscriber.connect().onFailure(e -> {
            if (!stopping) {
                SafeLog.error(LOG, "Stream bridge could not listen; retrying in 2 s", e);
                vertx.setTimer(2000, t -> connect());
            }
        });
    }

    void stop(@Observes ShutdownEvent stopped) {
        stopping = true;
        say("-");
        if (subscriber != null) {
            subscriber.close();
        }
    }

    /** Whether another instance is alive: a learner's stream may then be open there. */
    public boolean hasPeers() {
        long now = System.nanoTime();
        peers.values().removeIf(seen -> now - seen > peerTimeoutNanos);
        return !peers.isEmpty();
    }

    @Scheduled(every = "${phocap.stream.keep-alive}", identity = "stream-bridge-alive")
    void alive() {
        say("");
    }

    private void say(String what) {
        pool.preparedQuery("SELECT pg_notify($1, $2)")
                .execute(Tuple.of(CHANNEL, self + ":" + what))
                .subscribe()
                .with(done -> {}, e -> {
                    if (Overload.transientDatabase(e)) {
                        ThrottledLog.warn(
                                LOG, "Stream bridge notices are not sent while the database is busy or unreachable");
                    } else {
                        SafeLog.error(LOG, "Stream bridge notice not sent", e);
                    }
                });
    }

    private void onNotice(String payload) {
        int colon = payload.indexOf(':');
        if (colon < 0) {
            return;
        }
        String origin = payload.substring(0, colon);
        String body = payload.substring(colon + 1);
        if (origin.equals(self)) {
            return;
        }
        switch (body) {
            case "-" -> peers.remove(origin);
            case "?" -> {
                peers.put(origin, System.nanoTime());
                say("");
            }
            case "" -> peers.put(origin, System.nanoTime());
            default -> {
                peers.put(origin, System.nanoTime());
                if (hub.openStreams() > 0) {
                    load(body);
                }
            }
        }
    }

    private void load(String ids) {
        List<Long> parsed = new ArrayList<>();
        for (String id : ids.split(",")) {
            try {
                parsed.add(Long.parseLong(id));
            } catch (NumberFormatException e) {
                LOG.warn("Stream bridge ignored a malformed notice");
                return;
            }
        }
        events.byIds(parsed.toArray(Long[]::new))
                .subscribe()
                .with(hub::deliverAll, e -> SafeLog.error(LOG, "Stream bridge could not load announced events", e));
    }
}
