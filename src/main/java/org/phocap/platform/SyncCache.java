package org.phocap.platform;

import com.github.benmanes.caffeine.cache.AsyncCache;
import io.smallrye.mutiny.Uni;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A cache made by {@link Caches}: a hit is answered at once, on the caller's thread; concurrent
 * misses of one key share one load; values can also be read and written directly (the heartbeat
 * batch's states, the verified-token claims).
 */
public final class SyncCache<K, V> {
    /**
     * A load that failed (a 404, a busy database), kept as a value for the callers that shared it,
     * then removed: a future failing inside Caffeine is logged as a WARN with its stack trace, and
     * a lesson nobody has is no warning.
     */
    private record Failed(Throwable error) {}

    private final AsyncCache<K, Object> cache;

    SyncCache(AsyncCache<K, Object> cache) {
        this.cache = cache;
    }

    /** The value from memory, else loaded once for every concurrent miss; a failed load is not kept. */
    public Uni<V> get(K key, Function<K, Uni<V>> loader) {
        V present = get(key);
        if (present != null) {
            return Uni.createFrom().item(present);
        }
        CallerContext caller = CallerContext.capture();
        // Each caller waits on its own copy of the shared future: a caller that goes away (its client
        // disconnected) cancels what it waits on, and cancelling the shared one would fail every
        // other caller of the key with a CancellationException.
        Uni<V> loaded = Uni.createFrom()
                .completionStage(() -> cache.get(
                                key,
                                (k, executor) -> loader.apply(k)
                                        .<Object>map(v -> v)
                                        .onFailure()
                                        .recoverWithItem(Failed::new)
                                        .subscribeAsCompletionStage())
                        .copy())
                .flatMap(value -> {
                    if (value instanceof Failed failed) {
                        cache.asMap().computeIfPresent(key, (k, current) -> isFailed(current) ? null : current);
                        return Uni.createFrom().<V>failure(failed.error());
                    }
                    return Uni.createFrom().item(cast(value));
                });
        // Callers that waited on another's load continue on their own context, as they started.
        return loaded.emitOn(caller);
    }

    /** The value, or null when absent (or still loading, or its load failed). */
    public V get(K key) {
        CompletableFuture<Object> value = cache.getIfPresent(key);
        return value == null || !value.isDone() || value.isCompletedExceptionally() || isFailed(value)
                ? null
                : cast(value.join());
    }

    private static boolean isFailed(CompletableFuture<Object> value) {
        return value.isDone() && !value.isCompletedExceptionally() && value.join() instanceof Failed;
    }

    @SuppressWarnings("unchecked")
    private V cast(Object value) {
        return (V) value;
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
