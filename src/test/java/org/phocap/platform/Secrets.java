package org.phocap.platform;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every phone, PIN, password, activation code and token the tests handled, for the log check. */
public final class Secrets {
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    private Secrets() {}

    public static String remember(String secret) {
        if (secret != null && secret.length() >= 6) {
            SEEN.add(secret);
        }
        return secret;
    }

    static Set<String> all() {
        return Set.copyOf(SEEN);
    }
}
