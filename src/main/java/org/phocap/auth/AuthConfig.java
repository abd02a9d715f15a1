package org.phocap.auth;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;
import java.util.Optional;

/** Sign-in, tokens, the first ADMIN, throttling and stream tickets. Every key, with its meaning and default, is in application.properties. */
@ConfigMapping(prefix = "phocap.auth")
public interface AuthConfig {
    Duration accessTokenTtl();

    Optional<String> adminPassword();

    Duration adminReprintAfter();

    String adminUsername();

    int bcryptCost();

    /** Threads that compute bcrypt; one per core when not set. */
    java.util.OptionalInt hashThreads();

    int maxPendingHashes();

    Duration refreshTokenTtl();

    Duration revocationPoll();

    int streamTicketMaxOutstanding();

    Duration streamTicketTtl();

    Throttle throttle();

    interface Throttle {
        Duration accountDelayMax();

        Duration accountDelayStart();

        int accountFailures();

        int addressFailures();

        int pairFailures();

        Duration window();
    }
}
