package org.phocap.platform;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CaffeineCache;
import io.smallrye.mutiny.Uni;
import java.util.concurrent.CompletableFuture;

/**
 * A Quarkus cache (Caffeine: size, expiry and metrics from {@code quarkus.cache.caffeine."name".*})
 * used synchronously, for the two hot paths whose callers are already on the event loop with the
 * value in hand: the heartbeat batch's states and the verified-token claims. Everywhere else, the
 * cache's own {@code getAsync} serves (one load shared by concurrent misses).
 */
public final class SyncCache<K, V> {
    private final Cache cache;
    private final CaffeineCache caffeine;

    public SyncCache(Cache cache) {
        this.cache = cache;
        this.caffeine = cache.as(CaffeineCache.class);
    }

    /** The value, or null when absent (or still loading through getAsync). */
    public V get(K key) {
        CompletableFuture<V> value = caffeine.getIfPresent(key);
        return value == null ? null : value.getNow(null);
    }

    public void put(K key, V value) {
        caffeine.put(key, CompletableFuture.completedFuture(value));
    }

    /** Keeps the value unless one is there already (atomic, as the cache's getAsync is). */
    public void putIfAbsent(K key, V value) {
        cache.getAsync(key, k -> Uni.createFrom().item(value)).subscribe().with(ignored -> {});
    }

    public boolean contains(K key) {
        return caffeine.getIfPresent(key) != null;
    }

    public void remove(K key) {
        cache.invalidate(key).subscribe().with(ignored -> {});
    }

    public void clear() {
        cache.invalidateAll().subscribe().with(ignored -> {});
    }

    public int size() {
        return caffeine.keySet().size();
    }
}
