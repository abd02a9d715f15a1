package org.phocap.platform;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Replaces the application's clock in tests: real time until a test fixes it, then exactly the
 * instant the test sets, so elapsed-time rules can be checked without sleeping.
 */
@Singleton
public class TestClock extends Clock {
    private volatile Instant fixed;

    public void set(Instant at) {
        fixed = at;
    }

    public void advance(long seconds) {
        fixed = instant().plus(Duration.ofSeconds(seconds));
    }

    public void release() {
        fixed = null;
    }

    @Override
    public Instant instant() {
        Instant at = fixed;
        return at != null ? at : Instant.now();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
