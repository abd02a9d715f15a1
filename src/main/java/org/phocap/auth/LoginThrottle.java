package org.phocap.auth;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import io.quarkus.scheduler.Scheduled;
import java.util.HashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.phocap.platform.ProblemException;

/**
 * Counts failed logins and activations per account and per client address inside a sliding
 * window; past the limit, further tries answer 429 until the oldest failure leaves the window.
 * Kept in memory: each instance throttles on its own (see README, "Limits").
 */
@ApplicationScoped
public class LoginThrottle {
    // Logins are rare next to heartbeats: one lock over a plain map is enough.
    private final Map<String, Deque<Instant>> failures = new HashMap<>();
    private final int accountLimit;
    private final int addressLimit;
    private final Duration window;
    private final Clock clock = Clock.systemUTC();

    public LoginThrottle(@ConfigProperty(name = "phocap.auth.lockout.account-failures") int accountLimit,
                         @ConfigProperty(name = "phocap.auth.lockout.address-failures") int addressLimit,
                         @ConfigProperty(name = "phocap.auth.lockout.window") Duration window) {
        this.accountLimit = accountLimit;
        this.addressLimit = addressLimit;
        this.window = window;
    }

    /** Throws 429 when either the account or the address is locked. */
    public synchronized void check(String account, String address) {
        Duration wait = lockedFor("a:" + account, accountLimit);
        if (wait.isZero()) {
            wait = lockedFor("ip:" + address, addressLimit);
        }
        if (!wait.isZero()) {
            throw new ProblemException(429, "locked", "Too many attempts",
                    "Too many failed attempts; try again in " + Math.max(1, wait.toMinutes()) + " minute(s).");
        }
    }

    public synchronized void failed(String account, String address) {
        record("a:" + account);
        record("ip:" + address);
    }

    public synchronized void succeeded(String account) {
        failures.remove("a:" + account);
    }

    private void record(String key) {
        Instant now = clock.instant();
        Deque<Instant> list = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        prune(list, now);
        list.addLast(now);
    }

    private Duration lockedFor(String key, int limit) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return Duration.ZERO;
        }
        Instant now = clock.instant();
        prune(times, now);
        if (times.size() < limit) {
            return Duration.ZERO;
        }
        return Duration.between(now, times.peekFirst().plus(window));
    }

    /** Forgets addresses and accounts whose failures have all left the window. */
    @Scheduled(every = "5m", identity = "login-throttle-sweep")
    synchronized void sweep() {
        Instant now = clock.instant();
        failures.values().removeIf(times -> {
            prune(times, now);
            return times.isEmpty();
        });
    }

    private void prune(Deque<Instant> times, Instant now) {
        Instant oldest = now.minus(window);
        while (!times.isEmpty() && times.peekFirst().isBefore(oldest)) {
            times.pollFirst();
        }
    }
}
