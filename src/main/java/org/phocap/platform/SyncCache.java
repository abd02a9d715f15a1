package org.phocap.platform;

import com.github.benmanes.caffeine.cache.AsyncCache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A cache made by {@link Caches}: a hit is answered at once, on the caller's thread; concurrent
 * misses of one key share one load; values can also be read and written directly (the heartbeat
 * batch's states, the verified-token claims).
 */
public final class SyncCache<K, V> {
    private final AsyncCache<K, V> cache;

    SyncCache(AsyncCache<K, V> cache) {
        this.cache = cache;
    }

    /** The value from memory, else loaded once for every concurrent miss; a failed load is not kept. */
    public Uni<V> get(K key, Function<K, Uni<V>> loader) {
        V present = get(key);
        if (present != null) {
            return Uni.createFrom().item(present);
        }
        Context caller = Vertx.currentContext();
        Uni<V> loaded = Uni.createFrom()
                .completionStage(
                        () -> cache.get(key, (k, executor) -> loader.apply(k).subscribeAsCompletionStage()));
        // Callers that waited on another's load continue on their own context, as they started.
        return caller == null
                ? loaded
                : loaded.emitOn(task -> {
                    if (Vertx.currentContext() == caller) {
                        task.run();
                    } else {
                        caller.runOnContext(ignored -> task.run());
                    }
                });
    }

    /** The value, or null when absent (or still loading). */
    public V get(K key) {
        CompletableFuture<V> value = cache.getIfPresent(key);
        return value == null || !value.isDone() || value.isCompletedExceptionally() ? null : value.join();
    }

    public void put(K key, V value) {
        cache.synchronous().put(key, value);
    }

    /** Keeps the value unless one is there already. */
    public void putIfAbsent(K key, V value) {
        cache.asMap().putIfAbsent(key, CompletableFuture.completedFuture(value));
    }

    public boolean contains(K key) {
        return cache.getIfPresent(key) != null;
    }

    public void remove(K key) {
        cache.synchronous().invalidate(key);
    }

    public void clear() {
        cache.synchronous().invalidateAll();
    }

    public long size() {
        return cache.synchronous().estimatedSize();
    }
}
