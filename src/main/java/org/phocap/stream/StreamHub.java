package org.phocap.stream;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.phocap.platform.CallerContext;
import org.phocap.platform.ClientGone;
import org.phocap.platform.Overload;
import org.phocap.platform.ThrottledLog;

/**
 * In-process fan-out of stream events to the open lesson streams of this instance.
 *
 * <p>Back-pressure: the SSE writer asks for the next event only when the previous one is
 * written, so events for a client that stops reading wait in its stream's own bounded backlog
 * ({@code phocap.stream.buffer-events}); past that the stream fails and the connection is
 * closed, so a stalled phone cannot grow the server's memory. Keep-alive pings travel the
 * same path, so an idle stalled client is eventually cut too.
 *
 * <p>Events arrive through {@link #deliver}: from this instance's publishers once their
 * transaction committed, and from {@link StreamBridge} for events other instances stored.
 */
@ApplicationScoped
public class StreamHub {
    private static final Logger LOG = Logger.getLogger(StreamHub.class);
    /** A comment line that keeps proxies from closing an idle stream; never stored, never replayed. */
    public static final StreamEvent PING = new StreamEvent(-1, -1, null, null, "");
    /** The last event of a stream the server closes on purpose: a {@code retry:} hint, then the end. */
    public static final StreamEvent RECONNECT = new StreamEvent(-2, -1, null, null, "");

    /** Open streams by course (a registry of live connections, not a cache; so are the two maps below). */
    private final Map<Long, Set<Stream>> byCourse = new ConcurrentHashMap<>();
    /**
     * Open streams per (course, learner): a learner's event goes straight to their streams (an
     * announcement to 10,000 learners walked all 10,000 streams per event before), and publishers
     * skip events nobody here would see.
     */
    private final Map<Watcher, Set<Stream>> byLearner = new ConcurrentHashMap<>();
    /** Every open stream of a learner, oldest first, across courses: one learner opens at most {@code max-per-learner}. */
    private final Map<Long, Deque<Stream>> ofLearner = new ConcurrentHashMap<>();

    private final int bufferSize;
    private final int maxPerLearner;
    private final int maxOpen;
    private final long reconnectAfterMs;
    private final long reconnectJitterMs;
    private final AtomicInteger open = new AtomicInteger();
    private final OpeningGate openings;
    private final Duration openingWait;
    private final Counter dropped;
    private final Counter superseded;
    private volatile boolean draining;

    @jakarta.inject.Inject
    public StreamHub(StreamConfig config, MeterRegistry metrics) {
        this(
                config.bufferEvents(),
                config.maxPerLearner(),
                config.maxOpen(),
                config.reconnectAfter(),
                config.reconnectJitter(),
                config.openingConcurrency(),
                config.openingWait(),
                metrics);
    }

    /** With the settings given: the configured ones above, or a unit test's. */
    StreamHub(
            int bufferSize,
            int maxPerLearner,
            int maxOpen,
            Duration reconnectAfter,
            Duration reconnectJitter,
            int openingConcurrency,
            Duration openingWait,
            MeterRegistry metrics) {
        this.bufferSize = bufferSize;
        this.maxPerLearner = Math.max(1, maxPerLearner);
        this.maxOpen = Math.max(1, maxOpen);
        this.reconnectAfterMs = Math.max(0, reconnectAfter.toMillis());
        this.reconnectJitterMs = Math.max(0, reconnectJitter.toMillis());
        this.openingWait = openingWait;
        this.openings = new OpeningGate(openingConcurrency, openingWait.toNanos(), System::nanoTime);
        metrics.gauge("phocap.stream.open", open);
        metrics.gauge("phocap.stream.opening.waiting", this, hub -> hub.openings.waiting());
        // The cap beside the count: dashboards and the streams-near-cap alert divide one by the other.
        metrics.gauge("phocap.stream.capacity", this, hub -> hub.maxOpen);
        this.dropped = metrics.counter("phocap.stream.dropped", "reason", "slow-client");
        this.superseded = metrics.counter("phocap.stream.dropped", "reason", "superseded");
    }

    /** What a new stream sends before live events, and the event id that leaves it at. */
    public record Start(List<StreamEvent> events) {}

    /**
     * Opens a stream; {@code opening} runs once the stream is registered, so nothing live is missed.
     * A learner's stream past {@code max-per-learner} closes their oldest (with a {@code retry:} hint).
     * {@code valid} is asked at every keep-alive: once false (the access token expired, or its sign-in
     * was ended) the stream gets the hint and ends, and the client reconnects with a fresh token.
     */
    public Multi<StreamEvent> open(long courseId, long learnerId, BooleanSupplier valid, Supplier<Uni<Start>> opening) {
        if (draining) {
            return Multi.createFrom().item(RECONNECT);
        }
        return Multi.createFrom()
                .<StreamEvent>emitter(
                        emitter -> {
                            Stream stream = new Stream(
                                    courseId, learnerId, eventLoopOfCaller(), emitter, bufferSize, dropped, valid);
                            byCourse.computeIfAbsent(courseId, k -> ConcurrentHashMap.newKeySet())
                                    .add(stream);
                            open.incrementAndGet();
                            byLearner
                                    .computeIfAbsent(
                                            new Watcher(courseId, learnerId), k -> ConcurrentHashMap.newKeySet())
                                    .add(stream);
                            Stream oldest = null;
                            Deque<Stream> mine = ofLearner.computeIfAbsent(learnerId, k -> new ArrayDeque<>());
                            synchronized (mine) {
                                mine.addLast(stream);
                                if (mine.size() > maxPerLearner) {
                                    oldest = mine.pollFirst();
                                }
                            }
                            if (oldest != null) {
                                superseded.increment();
                                oldest.finish();
                            }
                            emitter.onTermination(() -> close(stream));
                            emitter.onRequest(n -> stream.drain());
                            takeTurn(
                                    stream::wanted,
                                    opening,
                                    stream::start,
                                    failure -> openingFailed(stream, failure),
                                    stream::finish);
                        },
                        BackPressureStrategy.ERROR);
    }

    /**
     * Runs a stream's check before it opens (its status line is not out yet) in a turn at the same
     * gate, so a storm of checks queues there instead of in the database pool; when the turn does
     * not come within {@code opening-wait} the caller gets 503 overloaded with a Retry-After.
     */
    public <T> Uni<T> inTurn(Supplier<Uni<T>> work) {
        return Uni.createFrom()
                .<T>emitter(emitter -> takeTurn(
                        () -> true,
                        work,
                        emitter::complete,
                        emitter::fail,
                        () -> emitter.fail(Overload.shed(
                                "stream-opening",
                                "Too many lesson streams are opening on this server; reconnect after the time given.",
                                refusedRetryAfterSec()))));
    }

    /**
     * Runs {@code work} in a turn at the opening gate, on the caller's own context (the turn may come
     * from another stream's thread), and ends the turn when it answers; {@code expired} instead when
     * the turn did not come within {@code opening-wait}; nothing when {@code wanted} turned false.
     */
    private <T> void takeTurn(
            BooleanSupplier wanted,
            Supplier<Uni<T>> work,
            Consumer<T> done,
            Consumer<Throwable> failed,
            Runnable expired) {
        CallerContext caller = CallerContext.capture();
        Runnable run = () -> {
            Uni<T> running;
            try {
                running = work.get();
            } catch (RuntimeException e) {
                running = Uni.createFrom().failure(e);
            }
            // A turn is bounded like the wait for it: a query that never answers (a lock, a silent
            // network) must not hold one of the few turns for good and stop every later opening.
            running.ifNoItem()
                    .after(openingWait)
                    .failWith(() -> Overload.shed(
                            "stream-opening",
                            "Opening this lesson stream took too long; reconnect after the time given.",
                            refusedRetryAfterSec()))
                    .subscribe()
                    .with(
                            item -> {
                                openings.leave();
                                done.accept(item);
                            },
                            failure -> {
                                openings.leave();
                                failed.accept(failure);
                            });
        };
        openings.enter(wanted, () -> caller.execute(run), expired);
    }

    private static void openingFailed(Stream stream, Throwable failure) {
        if (Overload.transientDatabase(failure)) {
            // The stream is open already: told to reconnect (retry:) instead of broken.
            // Named by what failed (a bound's cause, or the exception's kind), so a log says which.
            String cause = Overload.cause(failure);
            ThrottledLog.warn(
                    LOG,
                    "Lesson streams could not load their opening events (database busy or unreachable: "
                            + (cause != null ? cause : failure.getClass().getSimpleName())
                            + "); their clients are asked to reconnect");
            stream.finish();
        } else {
            stream.emitter.fail(failure);
        }
    }

    public void deliver(StreamEvent event) {
        deliverAll(List.of(event));
    }

    /**
     * Hands committed events to their streams on the streams' own event loops, one task per loop:
     * an announcement to 10,000 learners (10,000 events, one per learner) is formatted and written
     * by both loops at once in two tasks, instead of by the caller's thread with a hop per write.
     * Always through the loop's queue, even from that loop, so every stream gets events in the
     * order they were delivered.
     */
    public void deliverAll(List<StreamEvent> events) {
        Map<Context, List<Delivery>> byLoop = new HashMap<>(4);
        for (StreamEvent event : events) {
            Set<Stream> streams = event.learnerId() == null
                    ? byCourse.get(event.courseId())
                    : byLearner.get(new Watcher(event.courseId(), event.learnerId()));
            if (streams != null) {
                for (Stream stream : streams) {
                    byLoop.computeIfAbsent(stream.loop, loop -> new ArrayList<>())
                            .add(new Delivery(stream, event));
                }
            }
        }
        byLoop.forEach((loop, deliveries) -> {
            if (loop == null) {
                deliveries.forEach(Delivery::offer);
            } else {
                loop.runOnContext(ignored -> deliveries.forEach(Delivery::offer));
            }
        });
    }

    private record Delivery(Stream stream, StreamEvent event) {
        /** One stream's failure stays its own: a loop's task carries thousands of deliveries. */
        void offer() {
            try {
                stream.offer(event);
            } catch (RuntimeException e) {
                ThrottledLog.warn(LOG, "A lesson stream could not take an event; the others got it");
                stream.emitter.fail(e);
            }
        }
    }

    /** The event loop of the calling request (shared by all its requests), or null off Vert.x. */
    private static Context eventLoopOfCaller() {
        Context current = Vertx.currentContext();
        return current instanceof ContextInternal internal ? internal.unwrap() : current;
    }

    /**
     * Shutdown begins (readiness is down from here on): every open stream gets a {@code retry:} hint
     * and is closed once what it has pending is written, so its client reconnects to another
     * instance and replays with Last-Event-ID; streams opened meanwhile get the hint at once. This
     * runs before the server waits for requests in flight, which therefore end.
     */
    void drain(@Observes ShutdownDelayInitiatedEvent shutdown) {
        draining = true;
        reconnectAll();
    }

    /** Without a shutdown delay configured, the same happens at shutdown itself. */
    void drain(@Observes ShutdownEvent shutdown) {
        if (!draining) {
            draining = true;
            reconnectAll();
        }
    }

    /** Asks every open stream's client to reconnect (and replay what it missed). */
    public void reconnectAll() {
        byCourse.values().forEach(streams -> streams.forEach(Stream::finish));
    }

    @Scheduled(every = "${phocap.stream.keep-alive}", identity = "stream-keep-alive")
    void keepAlive() {
        byCourse.values()
                .forEach(streams -> streams.forEach(stream -> {
                    if (stream.valid.getAsBoolean()) {
                        stream.ping();
                    } else {
                        stream.finish();
                    }
                }));
    }

    /** How many streams the learner has open here (all courses). */
    public int streamsOf(long learnerId) {
        Deque<Stream> mine = ofLearner.get(learnerId);
        if (mine == null) {
            return 0;
        }
        synchronized (mine) {
            return mine.size();
        }
    }

    public int openStreams() {
        return open.get();
    }

    /** Whether this instance holds as many streams as it may ({@code phocap.stream.max-open}). */
    public boolean full() {
        return open.get() >= maxOpen;
    }

    /**
     * The {@code retry:} a closed stream's client is given: the base wait plus a random share of the
     * jitter, so that the thousands of streams a stopping pod closes at once come back spread over
     * the jitter instead of in the same second.
     */
    public long reconnectDelayMs() {
        return reconnectAfterMs
                + (reconnectJitterMs == 0 ? 0 : ThreadLocalRandom.current().nextLong(reconnectJitterMs + 1));
    }

    /** Seconds a client refused at the cap is asked to wait (Retry-After): about the reconnect spread. */
    public int refusedRetryAfterSec() {
        return (int) Math.max(1, (reconnectDelayMs() + 999) / 1000);
    }

    /** Whether this learner has a stream of the course open on this instance. */
    public boolean isWatching(long courseId, long learnerId) {
        Set<Stream> streams = byLearner.get(new Watcher(courseId, learnerId));
        return streams != null && !streams.isEmpty();
    }

    private record Watcher(long courseId, long learnerId) {}

    private void close(Stream stream) {
        Set<Stream> streams = byCourse.get(stream.courseId);
        if (streams != null && streams.remove(stream)) {
            open.decrementAndGet();
            byLearner.computeIfPresent(
                    new Watcher(stream.courseId, stream.learnerId),
                    (k, streamsOfLearner) ->
                            streamsOfLearner.remove(stream) && streamsOfLearner.isEmpty() ? null : streamsOfLearner);
        }
        ofLearner.computeIfPresent(stream.learnerId, (k, mine) -> {
            synchronized (mine) {
                mine.remove(stream);
                return mine.isEmpty() ? null : mine;
            }
        });
    }

    /**
     * The reason the server closed a stream: failing it (rather than completing) makes RESTEasy
     * reset the connection, so a client that stopped reading holds no buffers; logged at DEBUG only.
     */
    static final class SlowClientException extends ClientGone {
        SlowClientException() {
            super("the client stopped reading; stream closed");
        }
    }

    /**
     * One open stream. Live events wait in {@code pending} until the opening events are out; after
     * that, events go out as the writer asks for them and wait in {@code backlog} meanwhile.
     */
    private static final class Stream {
        final long courseId;
        final long learnerId;
        /** Where its events are written from: the loop its connection lives on. */
        final Context loop;

        final MultiEmitter<? super StreamEvent> emitter;
        final int capacity;
        final Counter dropped;
        final BooleanSupplier valid;
        private final ArrayDeque<StreamEvent> backlog = new ArrayDeque<>();
        private List<StreamEvent> pending = new ArrayList<>();
        private boolean cut;
        private boolean finishing;

        Stream(
                long courseId,
                long learnerId,
                Context loop,
                MultiEmitter<? super StreamEvent> emitter,
                int capacity,
                Counter dropped,
                BooleanSupplier valid) {
            this.valid = valid;
            this.courseId = courseId;
            this.learnerId = learnerId;
            this.loop = loop;
            this.emitter = emitter;
            this.capacity = capacity;
            this.dropped = dropped;
        }

        /**
         * Every live event is sent: ids come from a sequence, and transactions commit out of id order (an
         * announcement to 10,000 learners takes its ids first and commits last), so an id at or below one
         * already sent is no sign of a duplicate. The hub delivers each committed event once.
         */
        synchronized void offer(StreamEvent event) {
            if (finishing) {
                return;
            }
            if (pending != null) {
                pending.add(event);
            } else {
                send(event);
            }
        }

        /** Whether the stream still wants its opening events: its client is there and it is not closing. */
        synchronized boolean wanted() {
            return !finishing && !cut && !emitter.isCancelled();
        }

        synchronized void ping() {
            if (pending == null) {
                send(PING);
            }
        }

        /**
         * Sends the opening events, then what arrived live meanwhile, skipping only what the opening
         * already carried: the same replayed event, or an announcement the snapshot listed. A live
         * progress event whose effect the snapshot already shows is sent anyway; it repeats a state.
         */
        synchronized void start(Start start) {
            if (finishing) {
                return;
            }
            Set<Long> sentIds = new HashSet<>();
            Set<Long> announced = new HashSet<>();
            for (StreamEvent event : start.events()) {
                send(event);
                sentIds.add(event.id());
                if (event.isAnnouncement() && event.announcementId() != null) {
                    announced.add(event.announcementId());
                }
            }
            List<StreamEvent> live = pending;
            pending = null;
            live.sort(Comparator.comparingLong(StreamEvent::id));
            for (StreamEvent event : live) {
                if (!sentIds.contains(event.id())
                        && !(event.isAnnouncement() && announced.contains(event.announcementId()))) {
                    send(event);
                }
            }
        }

        synchronized void drain() {
            while (!backlog.isEmpty() && emitter.requested() > 0 && !cut) {
                emitter.emit(backlog.poll());
            }
            if (finishing && backlog.isEmpty() && !cut) {
                cut = true;
                emitter.complete();
            }
        }

        /** Sends the reconnect hint after everything pending, then completes the stream. */
        synchronized void finish() {
            if (finishing) {
                return;
            }
            // A stream still opening drops its live events: the client's reconnect starts over.
            pending = null;
            send(RECONNECT);
            finishing = true;
            drain();
        }

        private void send(StreamEvent event) {
            if (cut || emitter.isCancelled()) {
                return;
            }
            backlog.add(event);
            if (backlog.size() > capacity) {
                cut = true;
                backlog.clear();
                dropped.increment();
                emitter.fail(new SlowClientException());
                return;
            }
            drain();
        }
    }
}
