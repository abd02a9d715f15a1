package org.phocap.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The one cache style, without Quarkus: shared loads, failures not kept, hits at once, meters. */
class SyncCacheTest {
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final SyncCache<Long, String> cache = new Caches(
                    () -> Map.of("test", new CacheConfig.Spec() {
                        @Override
                        public long maximumSize() {
                            return 100;
                        }

                        @Override
                        public Optional<Duration> expireAfterWrite() {
                            return Optional.empty();
                        }
                    }),
                    metrics)
            .named("test");

    @Test
    void concurrentMissesShareOneLoadAndHitsAnswerAtOnce() {
        AtomicInteger loads = new AtomicInteger();
        AtomicReference<UniEmitter<? super String>> pending = new AtomicReference<>();
        Uni<String> first = cache.get(1L, k -> {
            loads.incrementAndGet();
            return Uni.createFrom().<String>emitter(pending::set);
        });
        Uni<String> second = cache.get(1L, k -> {
            loads.incrementAndGet();
            return Uni.createFrom().item("other");
        });
        var a = first.subscribeAsCompletionStage();
        var b = second.subscribeAsCompletionStage();
        assertNull(cache.get(1L), "still loading");
        pending.get().complete("one");
        assertEquals("one", a.join());
        assertEquals("one", b.join());
        assertEquals(1, loads.get());
        assertEquals(
                "one",
                cache.get(1L, k -> Uni.createFrom().item("never")).await().indefinitely());
        assertEquals(1, loads.get());
        org.junit.jupiter.api.Assertions.assertTrue(
                metrics.get("cache.gets").tag("result", "hit").functionCounter().count() >= 1, "hits are counted");
    }

    @Test
    void aCallerThatGoesAwayDoesNotCancelTheLoadTheOthersShare() {
        AtomicReference<UniEmitter<? super String>> pending = new AtomicReference<>();
        var leaving = cache.get(3L, k -> Uni.createFrom().<String>emitter(pending::set))
                .subscribe()
                .with(v -> {}, e -> {});
        var staying = cache.get(3L, k -> Uni.createFrom().item("other")).subscribeAsCompletionStage();
        // A client that disconnects cancels its own subscription, as the server does for its request.
        leaving.cancel();
        pending.get().complete("three");
        assertEquals("three", staying.join());
        assertEquals("three", cache.get(3L));
    }

    @Test
    void aFailedLoadIsNotKept() {
        AtomicInteger loads = new AtomicInteger();
        assertThrows(
                ProblemException.class,
                () -> cache.get(2L, k -> {
                            loads.incrementAndGet();
                            return Uni.createFrom().failure(ProblemException.notFound("No lesson 2 for you."));
                        })
                        .await()
                        .indefinitely());
        assertNull(cache.get(2L));
        assertEquals(
                "two",
                cache.get(2L, k -> {
                            loads.incrementAndGet();
                            return Uni.createFrom().item("two");
                        })
                        .await()
                        .indefinitely());
        assertEquals(2, loads.get(), "the failure was loaded again, not served from the cache");
    }
}
