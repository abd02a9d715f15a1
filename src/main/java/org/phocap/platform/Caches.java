package org.phocap.platform;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one way to make a cache: Caffeine, bounded and timed by {@code phocap.cache."name".*} (each
 * entry's lifetime spread over the last fifth of the configured one: {@link SpreadExpiry}), its
 * meters on /q/metrics ({@code cache_gets_total{cache,result}}, {@code cache_size},
 * {@code cache_evictions_total}, ...).
 *
 * <p>Not quarkus-cache, measured: its Caffeine caches run their housekeeping on the common
 * fork-join pool, and on a machine with two cores the JDK turns every such task into a new thread
 * (CompletableFuture's thread-per-task fallback when the common pool's parallelism is 1). Replacing
 * an entry is one such task, so the heartbeat path, which replaces its learners' states on every
 * batch, started a thread per heartbeat: 910 heartbeats/s instead of 6,300-8,400/s on this box
 * (loadtests/RESULTS.md, "Round 2 of the house"). Here the housekeeping runs on the caller, which is
 * what Caffeine's author recommends for cheap maintenance.
 */
@Startup
@ApplicationScoped
public class Caches {
    private final Map<String, SyncCache<?, ?>> caches = new TreeMap<>();

    /** Every configured cache is made at start, so each one's meters are there before its first use. */
    public Caches(CacheConfig config, MeterRegistry metrics) {
        config.caches().forEach((name, spec) -> {
            Caffeine<Object, Object> builder = Caffeine.newBuilder()
                    .executor(Runnable::run)
                    .maximumSize(spec.maximumSize())
                    .recordStats();
            spec.expireAfterWrite().ifPresent(lifetime -> builder.expireAfter(new SpreadExpiry(lifetime)));
            AsyncCache<Object, Object> cache = builder.buildAsync();
            CaffeineCacheMetrics.monitor(metrics, cache.synchronous(), name);
            caches.put(name, new SyncCache<>(cache));
        });
    }

    /** The cache of that name, as application.properties sizes it; a name not configured fails at start. */
    @SuppressWarnings("unchecked")
    public <K, V> SyncCache<K, V> named(String name) {
        SyncCache<?, ?> cache = caches.get(name);
        if (cache == null) {
            throw new IllegalStateException("No phocap.cache.\"" + name + "\".maximum-size in the configuration");
        }
        return (SyncCache<K, V>) cache;
    }
}
