package org.phocap.auth;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.phocap.platform.ProblemException;

/**
 * Throttles failed logins and activations so that an attacker cannot lock a user out:
 * <ul>
 * <li>per (account, client address): {@code pair-failures} failures in the window, then 429 with
 * Retry-After for that client only;</li>
 * <li>per client address, across accounts: {@code address-failures}, then 429 (guessing many
 * accounts from one place);</li>
 * <li>per account, from anywhere: never a lock. Past {@code account-failures} the answer is only
 * slowed down, doubling from {@code account-delay-start} to at most {@code account-delay-max},
 * so a stranger can make a sign-in slower but never impossible.</li>
 * </ul>
 * The client address is the TCP peer, or the forwarded client when the peer is a trusted proxy
 * ({@code quarkus.http.proxy.*}). Kept in memory: each instance throttles on its own (docs/api.md, "Limits").
 */
@ApplicationScoped
public class LoginThrottle {
    // Logins are rare next to heartbeats: one lock over a plain map is enough.
    private final Map<String, Deque<Instant>> failures = new HashMap<>();
    private final int pairLimit;
    private final int addressLimit;
    private final int accountSlowAfter;
    private final Duration delayStart;
    private final Duration delayMax;
    private final Duration window;
    private final Clock clock = Clock.systemUTC();

    public LoginThrottle(AuthConfig authConfig) {
        int pairLimit = authConfig.throttle().pairFailures();
        int addressLimit = authConfig.throttle().addressFailures();
        int accountSlowAfter = authConfig.throttle().accountFailures();
        Duration delayStart = authConfig.throttle().accountDelayStart();
        Duration delayMax = authConfig.throttle().accountDelayMax();
        Duration window = authConfig.throttle().window();
        this.pairLimit = pairLimit;
        this.addressLimit = addressLimit;
        this.accountSlowAfter = accountSlowAfter;
        this.delayStart = delayStart;
        this.delayMax = delayMax;
        this.window = window;
    }

    /**
     * Throws 429 (with Retry-After) when this client is throttled for this account or overall;
     * otherwise answers how long to hold the attempt back because the account is under attack.
     */
    public synchronized Duration check(String account, String address) {
        Duration wait = lockedFor(pair(account, address), pairLimit);
        if (wait.isZero()) {
            wait = lockedFor("ip:" + address, addressLimit);
        }
        if (!wait.isZero()) {
            int seconds = (int) Math.max(1, (wait.toMillis() + 999) / 1000);
            throw new ProblemException(
                            429,
                            "locked",
                            "Too many attempts",
                            "Too many failed attempts from this device; try again in "
                                    + Math.max(1, (seconds + 59) / 60) + " minute(s), or ask your supporter.")
                    .retryAfter(seconds);
        }
        Deque<Instant> times = failures.get("a:" + account);
        if (times == null) {
            return Duration.ZERO;
        }
        prune(times, clock.instant());
        int over = times.size() - accountSlowAfter;
        if (over < 0) {
            return Duration.ZERO;
        }
        long millis = delayStart.toMillis() << Math.min(over, 20);
        return Duration.ofMillis(Math.min(millis, delayMax.toMillis()));
    }

    public synchronized void failed(String account, String address) {
        record("a:" + account);
        record(pair(account, address));
        record("ip:" + address);
    }

    /** A success clears this client's failures on the account, not what others did. */
    public synchronized void succeeded(String account, String address) {
        failures.remove(pair(account, address));
    }

    private static String pair(String account, String address) {
        return "p:" + address + "|" + account;
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
