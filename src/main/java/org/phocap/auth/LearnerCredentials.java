package org.phocap.auth;

import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.Optional;

/**
 * Learners as signing in needs them. The roster owns the learner table and implements this;
 * signing in only asks (so auth does not depend on the roster, which depends on auth).
 */
public interface LearnerCredentials {
    /**
     * A learner's sign-in facts: the PIN hash (null before activation), the one-time activation
     * code (null once used) and when it expires (null for a roster import's code, which does not).
     */
    record Credential(long id, String phone, String pinHash, String activationCode, Instant codeExpiresAt) {}

    /** The learner with this normalised phone number, if any. */
    Uni<Optional<Credential>> byPhone(String phone);

    /** The learner with this id, if they still exist (a refresh signs in again as they are now). */
    Uni<Optional<Credential>> byId(long id);

    /**
     * Sets the first (or recovered) PIN and uses up the code, only if the code is still the one
     * given: false when someone used it a moment earlier.
     */
    Uni<Boolean> activate(long id, String code, String pinHash);

    /** Replaces the PIN only if it is still the one proven: false when it changed meanwhile. */
    Uni<Boolean> changePin(long id, String currentHash, String newHash);
}
