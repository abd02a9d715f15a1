package org.phocap.auth;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.phocap.platform.Overload;

/**
 * Token families signed out or revoked (refresh-token reuse): their access tokens stop working
 * at once on this instance and, on every other, at its next poll ({@code phocap.auth.revocation-poll},
 * 20 s). A family is remembered for one access-token lifetime after its revocation: by then
 * every access token it issued has expired anyway. Checked on every request, so it is a map lookup.
 */
@ApplicationScoped
public class RevokedFamilies {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RevokedFamilies.class);
    /** The revocation list (not a cache: an evicted entry would let a revoked token work); entries leave when the tokens expire. */
    private final Map<String, Long> revokedUntil = new ConcurrentHashMap<>();

    private final Pool pool;
    private final Duration accessTtl;

    public RevokedFamilies(Pool pool, AuthConfig authConfig) {
        Duration accessTtl = authConfig.accessTokenTtl();
        this.pool = pool;
        this.accessTtl = accessTtl;
    }

    public boolean isRevoked(String family) {
        if (family == null) {
            return false;
        }
        Long until = revokedUntil.get(family);
        return until != null && until > System.currentTimeMillis();
    }

    /** Called once the revocation is committed here. */
    void revoked(UUID family) {
        revokedUntil.put(family.toString(), System.currentTimeMillis() + accessTtl.toMillis());
    }

    /** Learns what other instances revoked, and forgets what can no longer matter. */
    @Scheduled(every = "${phocap.auth.revocation-poll}", identity = "revoked-families-poll")
    Uni<Void> poll() {
        long now = System.currentTimeMillis();
        revokedUntil.values().removeIf(until -> until <= now);
        return Overload.orSkipped(
                pool.preparedQuery("""
                        SELECT DISTINCT family::text, max(revoked_at) FROM refresh_token
                        WHERE revoked_at > now() - make_interval(secs => $1) GROUP BY family""")
                        .execute(Tuple.of((double) accessTtl.toSeconds()))
                        .invoke(rows -> rows.forEach(row -> revokedUntil.merge(
                                row.getString(0),
                                row.getOffsetDateTime(1)
                                        .toInstant()
                                        .plus(accessTtl)
                                        .toEpochMilli(),
                                Math::max)))
                        .replaceWithVoid(),
                LOG,
                "Polling revoked sign-ins");
    }
}
