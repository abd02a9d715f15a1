package org.phocap.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Event ids come from a sequence, but transactions commit out of id order: an announcement to a whole
 * campaign takes its ids first and commits after learners' own events. The wave rehearsal found streams
 * that missed such an announcement; these cases pin down that none is dropped.
 */
class StreamHubTest {
    static final long COURSE = 7;
    static final long LEARNER = 42;

    final StreamHub hub = new StreamHub(
            100,
            3,
            10_000,
            java.time.Duration.ofSeconds(3),
            java.time.Duration.ofSeconds(10),
            16,
            java.time.Duration.ofSeconds(30),
            new SimpleMeterRegistry());
    final List<Long> received = new CopyOnWriteArrayList<>();
    final AtomicReference<UniEmitter<? super StreamHub.Start>> opening = new AtomicReference<>();

    void open() {
        hub.open(COURSE, LEARNER, () -> true, () -> Uni.createFrom().<StreamHub.Start>emitter(opening::set))
                .subscribe()
                .with(e -> received.add(e.id()));
    }

    static StreamEvent event(long id, String kind, String data) {
        return new StreamEvent(id, COURSE, LEARNER, kind, data);
    }

    static StreamEvent announcement(long id, long announcementId) {
        return event(id, "announcement", "{\"announcementId\":" + announcementId + ",\"text\":\"x\"}");
    }

    @Test
    void theInstanceIsFullAtItsStreamCapAndHasRoomAgainWhenOneCloses() {
        StreamHub small = new StreamHub(
                100,
                3,
                2,
                java.time.Duration.ofSeconds(3),
                java.time.Duration.ofSeconds(10),
                16,
                java.time.Duration.ofSeconds(30),
                new SimpleMeterRegistry());
        var first = small.open(COURSE, 1, () -> true, () -> Uni.createFrom().item(new StreamHub.Start(List.of())))
                .subscribe()
                .with(e -> {});
        small.open(COURSE, 2, () -> true, () -> Uni.createFrom().item(new StreamHub.Start(List.of())))
                .subscribe()
                .with(e -> {});
        assertEquals(true, small.full());
        first.cancel();
        assertEquals(false, small.full());
    }

    @Test
    void anOpeningThatNeverAnswersIsToldToReconnectAndFreesItsTurn() {
        StreamHub one = new StreamHub(
                100,
                3,
                100,
                java.time.Duration.ofSeconds(3),
                java.time.Duration.ofSeconds(10),
                1,
                java.time.Duration.ofMillis(200),
                new SimpleMeterRegistry());
        List<Long> stuck = new CopyOnWriteArrayList<>();
        one.open(COURSE, 1, () -> true, () -> Uni.createFrom().<StreamHub.Start>nothing())
                .subscribe()
                .with(e -> stuck.add(e.id()));
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(5))
                .until(() -> stuck.contains(StreamHub.RECONNECT.id()));
        // The only turn is free again: the next stream opens.
        List<Long> next = new CopyOnWriteArrayList<>();
        one.open(
                        COURSE,
                        2,
                        () -> true,
                        () -> Uni.createFrom().item(new StreamHub.Start(List.of(event(5, "ready", "{}")))))
                .subscribe()
                .with(e -> next.add(e.id()));
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(5))
                .until(() -> next.contains(5L));
    }

    @Test
    void reconnectHintsAreSpreadOverTheJitter() {
        java.util.Set<Long> delays = new java.util.HashSet<>();
        for (int i = 0; i < 1000; i++) {
            long delay = hub.reconnectDelayMs();
            org.junit.jupiter.api.Assertions.assertTrue(delay >= 3000 && delay <= 13_000, "retry: " + delay);
            delays.add(delay / 1000);
        }
        // 1,000 closed streams come back over the whole 10 s, not in one second.
        org.junit.jupiter.api.Assertions.assertTrue(delays.size() >= 10, "seconds used: " + delays);
        org.junit.jupiter.api.Assertions.assertTrue(
                hub.refusedRetryAfterSec() >= 3 && hub.refusedRetryAfterSec() <= 13);
    }

    @Test
    void aLiveEventWithALowerIdThanOneAlreadySentStillArrives() {
        open();
        opening.get().complete(new StreamHub.Start(List.of(event(10, "ready", "{}"))));
        hub.deliver(event(12, "progress", "{}"));
        hub.deliver(announcement(11, 3));
        assertEquals(List.of(10L, 12L, 11L), received);
    }

    @Test
    void whatArrivesWhileTheSnapshotLoadsIsSentAfterItUnlessTheSnapshotCarriedIt() {
        open();
        // Committed after the stream registered, while its snapshot was being read.
        hub.deliver(announcement(9, 1)); // id below the snapshot's head, not in the snapshot: must come
        hub.deliver(announcement(15, 2)); // also listed in the snapshot: once is enough
        hub.deliver(event(20, "progress", "{}"));
        opening.get()
                .complete(new StreamHub.Start(
                        List.of(event(14, "lesson", "{}"), announcement(14, 2), event(14, "ready", "{}"))));
        assertEquals(List.of(14L, 14L, 14L, 9L, 20L), received);
    }

    @Test
    void aReplayedEventThatAlsoArrivesLiveIsSentOnce() {
        open();
        hub.deliver(event(31, "progress", "{}"));
        opening.get().complete(new StreamHub.Start(List.of(event(30, "progress", "{}"), event(31, "progress", "{}"))));
        hub.deliver(event(32, "lesson-completed", "{}"));
        assertEquals(List.of(30L, 31L, 32L), received);
    }

    @Test
    void broadcastsWithoutAStoredAnnouncementAreNeverTakenForOneAnother() {
        open();
        hub.deliver(new StreamEvent(5, COURSE, null, "announcement", "{\"text\":\"a\"}"));
        opening.get()
                .complete(new StreamHub.Start(
                        List.of(new StreamEvent(4, COURSE, null, "announcement", "{\"text\":\"b\"}"))));
        assertEquals(List.of(4L, 5L), received);
    }

    @Test
    void reconnectAllEndsEveryStreamWithTheHintAfterWhatItHadAndLaterStreamsGetOnlyTheHint() {
        java.util.concurrent.atomic.AtomicBoolean completed = new java.util.concurrent.atomic.AtomicBoolean();
        hub.open(COURSE, LEARNER, () -> true, () -> Uni.createFrom().<StreamHub.Start>emitter(opening::set))
                .subscribe()
                .with(e -> received.add(e.id()), f -> {}, () -> completed.set(true));
        opening.get().complete(new StreamHub.Start(List.of(event(10, "ready", "{}"))));
        hub.deliver(event(11, "progress", "{}"));
        hub.reconnectAll();
        hub.deliver(event(12, "progress", "{}"));
        assertEquals(List.of(10L, 11L, StreamHub.RECONNECT.id()), received);
        assertEquals(true, completed.get());
        assertEquals(0, hub.openStreams());

        hub.drain(new io.quarkus.runtime.ShutdownEvent());
        List<StreamEvent> late = hub.open(
                        COURSE, LEARNER, () -> true, () -> Uni.createFrom().nothing())
                .collect()
                .asList()
                .await()
                .atMost(java.time.Duration.ofSeconds(5));
        assertEquals(List.of(StreamHub.RECONNECT), late);
    }

    @Test
    void aFourthStreamOfOneLearnerClosesTheirOldestWithARetryHint() {
        List<List<Long>> streams = new java.util.ArrayList<>();
        List<java.util.concurrent.atomic.AtomicBoolean> ended = new java.util.ArrayList<>();
        for (long course = 1; course <= 4; course++) {
            List<Long> ids = new CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            hub.open(course, LEARNER, () -> true, () -> Uni.createFrom().item(new StreamHub.Start(List.of())))
                    .subscribe()
                    .with(e -> ids.add(e.id()), failure -> {}, () -> done.set(true));
            streams.add(ids);
            ended.add(done);
        }
        assertEquals(List.of(StreamHub.RECONNECT.id()), streams.get(0), "the oldest got the retry hint");
        assertEquals(true, ended.get(0).get(), "and ended");
        assertEquals(
                List.of(false, false, false),
                List.of(ended.get(1).get(), ended.get(2).get(), ended.get(3).get()));
        assertEquals(3, hub.streamsOf(LEARNER));
        assertEquals(3, hub.openStreams());
    }

    @Test
    void aStreamWhoseTokenExpiredOrWasRevokedEndsAtTheNextKeepAlive() {
        java.util.concurrent.atomic.AtomicBoolean valid = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        hub.open(
                        COURSE,
                        LEARNER,
                        valid::get,
                        () -> Uni.createFrom().item(new StreamHub.Start(List.of(event(5, "ready", "{}")))))
                .subscribe()
                .with(e -> received.add(e.id()), failure -> {}, () -> done.set(true));
        hub.keepAlive();
        assertEquals(List.of(5L, StreamHub.PING.id()), received);
        valid.set(false);
        hub.keepAlive();
        assertEquals(List.of(5L, StreamHub.PING.id(), StreamHub.RECONNECT.id()), received);
        assertEquals(true, done.get());
        assertEquals(0, hub.openStreams());
    }

    @Test
    void streamsGetEveryEventInOrderOnTheirOwnEventLoops() throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(2));
        try {
            int streams = 40;
            List<List<Long>> got = new java.util.ArrayList<>();
            List<java.util.Set<String>> threads = new java.util.ArrayList<>();
            java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(streams);
            for (int i = 0; i < streams; i++) {
                List<Long> ids = new CopyOnWriteArrayList<>();
                java.util.Set<String> on = java.util.concurrent.ConcurrentHashMap.newKeySet();
                got.add(ids);
                threads.add(on);
                long learner = 1000 + i;
                // Each stream opens from a request's (duplicated) context of some event loop, as in the server.
                io.vertx.core.impl.ContextInternal loop =
                        (io.vertx.core.impl.ContextInternal) vertx.getOrCreateContext();
                loop.duplicate()
                        .runOnContext(ignored -> hub.open(
                                        COURSE,
                                        learner,
                                        () -> true,
                                        () -> Uni.createFrom().item(new StreamHub.Start(List.of())))
                                .subscribe()
                                .with(e -> {
                                    ids.add(e.id());
                                    on.add(Thread.currentThread().getName());
                                    if (e.id() == 0) {
                                        opened.countDown();
                                    }
                                }));
            }
            // A first event to all once every stream is registered (one still opening keeps it for later).
            long registered = System.nanoTime() + 5_000_000_000L;
            while (hub.openStreams() < streams && System.nanoTime() < registered) {
                java.util.concurrent.TimeUnit.MILLISECONDS.sleep(5);
            }
            hub.deliver(new StreamEvent(0, COURSE, null, "announcement", "{}"));
            assertEquals(true, opened.await(5, java.util.concurrent.TimeUnit.SECONDS));
            List<StreamEvent> batch = new java.util.ArrayList<>();
            for (long id = 1; id <= 50; id++) {
                batch.add(new StreamEvent(id, COURSE, id % 2 == 0 ? null : 1000 + (id % streams), "progress", "{}"));
            }
            hub.deliverAll(batch);
            hub.deliver(new StreamEvent(51, COURSE, null, "announcement", "{}"));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (got.stream().anyMatch(ids -> !ids.contains(51L)) && System.nanoTime() < deadline) {
                java.util.concurrent.TimeUnit.MILLISECONDS.sleep(10);
            }
            for (int i = 0; i < streams; i++) {
                List<Long> expected = new java.util.ArrayList<>(List.of(0L));
                for (long id = 1; id <= 50; id++) {
                    if (id % 2 == 0 || 1000 + (id % streams) == 1000 + i) {
                        expected.add(id);
                    }
                }
                expected.add(51L);
                assertEquals(expected, got.get(i), "stream " + i);
                assertEquals(1, threads.get(i).size(), "stream " + i + " written from " + threads.get(i));
                assertEquals(true, threads.get(i).iterator().next().startsWith("vert.x-eventloop-thread-"));
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
