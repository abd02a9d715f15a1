package org.phocap.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;

/**
 * bcrypt costs tens of milliseconds of CPU by design, so it runs on the worker pool and the
 * answer comes back on the caller's Vert.x context (where Hibernate Reactive needs to be).
 */
@ApplicationScoped
public class PasswordHasher {
    // A hash of a random secret, verified against when the account does not exist, so that
    // unknown usernames cost as much time as known ones.
    private final String decoy;

    private final Vertx vertx;
    private final int cost;

    public PasswordHasher(Vertx vertx, AuthConfig authConfig) {
        int cost = authConfig.bcryptCost();
        this.vertx = vertx;
        this.cost = cost;
        this.decoy = BCrypt.withDefaults()
                .hashToString(cost, java.util.UUID.randomUUID().toString().toCharArray());
    }

    public Uni<String> hash(String secret) {
        return vertx.executeBlocking(
                Uni.createFrom().item(() -> BCrypt.withDefaults().hashToString(cost, secret.toCharArray())), false);
    }

    public Uni<Boolean> verify(String secret, String hash) {
        String against = hash != null ? hash : decoy;
        return vertx.executeBlocking(
                Uni.createFrom()
                        .item(() -> BCrypt.verifyer()
                                        .verify(
                                                secret.getBytes(StandardCharsets.UTF_8),
                                                against.getBytes(StandardCharsets.UTF_8))
                                        .verified
                                && hash != null),
                false);
    }
}
