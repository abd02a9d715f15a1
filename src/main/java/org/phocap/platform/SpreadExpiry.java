package org.phocap.platform;

import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Expire-after-write with each entry's lifetime drawn between 80 % and 100 % of the configured one.
 * Entries loaded together (thousands of learners reconnecting after a restart) otherwise expire
 * together and reload in one burst that fills the database pool's queue (503 db-queue-full at
 * 4,000 heartbeat connections, loadtests/RESULTS.md, "The evening"). Never longer than configured:
 * a lifetime is also a promise (how long a learner's access or a verified token is reused).
 */
final class SpreadExpiry implements Expiry<Object, Object> {
    static final double SPREAD = 0.2;

    private final long lifetimeNanos;

    SpreadExpiry(Duration lifetime) {
        this.lifetimeNanos = Math.max(0, lifetime.toNanos());
    }

    long draw() {
        return lifetimeNanos
                - (long) (lifetimeNanos * SPREAD * ThreadLocalRandom.current().nextDouble());
    }

    @Override
    public long expireAfterCreate(Object key, Object value, long currentTime) {
        return draw();
    }

    @Override
    public long expireAfterUpdate(Object key, Object value, long currentTime, long currentDuration) {
        return draw();
    }

    @Override
    public long expireAfterRead(Object key, Object value, long currentTime, long currentDuration) {
        return currentDuration;
    }
}
