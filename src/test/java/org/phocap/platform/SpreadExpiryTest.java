package org.phocap.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpreadExpiryTest {

    @Test
    void lifetimesSpreadOverTheLastFifthAndNeverExceedTheConfiguredOne() {
        long thirty = Duration.ofSeconds(30).toNanos();
        SpreadExpiry expiry = new SpreadExpiry(Duration.ofSeconds(30));
        Set<Long> seconds = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            long created = expiry.expireAfterCreate("k", "v", 0);
            long updated = expiry.expireAfterUpdate("k", "v", 0, created);
            for (long lifetime : new long[] {created, updated}) {
                assertTrue(lifetime <= thirty && lifetime >= thirty * 8 / 10, String.valueOf(lifetime));
                seconds.add(lifetime / 1_000_000_000L);
            }
        }
        assertTrue(seconds.containsAll(Set.of(24L, 25L, 26L, 27L, 28L, 29L)), seconds.toString());
        assertEquals(1234L, expiry.expireAfterRead("k", "v", 0, 1234L), "a read does not extend a lifetime");
    }

    @Test
    void aZeroLifetimeStaysZero() {
        assertEquals(0, new SpreadExpiry(Duration.ZERO).expireAfterCreate("k", "v", 0));
    }
}
