package org.phocap.platform;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * The contract's Idempotency-Key: the first successful answer to a write is kept for a day under
 * (caller, key); a retry with the same key and the same request gets that answer again without
 * doing the work twice. The same key with a different request, or while the first is still
 * running, is a 409. Failed requests keep nothing, so a retry runs again (and, since bad input
 * changes nothing, fails the same way).
 */
@ApplicationScoped
public class Idempotency {
    public static final String HEADER = "Idempotency-Key";
    private static final int MAX_KEY_LENGTH = 200;

    private final Pool pool;
    private final Json json;
    private final ClusterJobs jobs;
    private final java.time.Duration expireEvery;

    public Idempotency(Pool pool, Json json, ClusterJobs jobs, IdempotencyConfig idempotencyConfig) {
        java.time.Duration expireEvery = idempotencyConfig.expireEvery();
        this.jobs = jobs;
        this.expireEvery = expireEvery;
        this.pool = pool;
        this.json = json;
    }

    public <T> Uni<T> once(
            String key, String principal, String operation, Object request, Class<T> type, Supplier<Uni<T>> action) {
        if (key == null || key.isBlank()) {
            return action.get();
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw ProblemException.invalid(HEADER, "at most " + MAX_KEY_LENGTH + " characters");
        }
        String canonical = operation + "\n" + json.canonicalWithout(request, SECRETS);
        String fingerprint = fingerprint(newSalt(), canonical);
        return pool.preparedQuery("""
                        INSERT INTO idempotent_request (principal, key, fingerprint) VALUES ($1, $2, $3)
                        ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(principal, key, fingerprint))
                .flatMap(inserted -> inserted.rowCount() == 1
                        ? runAndKeep(key, principal, type, action)
                        : replay(key, principal, canonical, type));
    }

    private <T> Uni<T> runAndKeep(String key, String principal, Class<T> type, Supplier<Uni<T>> action) {
        return Uni.createFrom()
                .<T>deferred(action::get)
                .call(result -> pool.preparedQuery(
                                "UPDATE idempotent_request SET response = $3 WHERE principal = $1 AND key = $2")
                        .execute(Tuple.of(principal, key, json.write(result))))
                .onFailure()
                .call(() -> pool.preparedQuery("DELETE FROM idempotent_request WHERE principal = $1 AND key = $2")
                        .execute(Tuple.of(principal, key)));
    }

    /**
     * Fields never kept, not even hashed: a request's fingerprint is taken over its canonical form
     * without them, salted per record, so a stored fingerprint cannot be used to guess a password.
     */
    static final java.util.Set<String> SECRETS = java.util.Set.of(
            "password", "pin", "code", "newpin", "oldpin", "refreshtoken", "accesstoken", "token", "secret");

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private static String newSalt() {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return java.util.HexFormat.of().formatHex(salt);
    }

    /** "salt:sha256(salt + canonical request)". */
    static String fingerprint(String salt, String canonical) {
        return salt + ":" + Hashing.sha256(salt + "\n" + canonical);
    }

    private static boolean sameRequest(String stored, String canonical) {
        int colon = stored.indexOf(':');
        return colon > 0 && fingerprint(stored.substring(0, colon), canonical).equals(stored);
    }

    private <T> Uni<T> replay(String key, String principal, String canonical, Class<T> type) {
        return pool.preparedQuery(
                        "SELECT fingerprint, response FROM idempotent_request WHERE principal = $1 AND key = $2")
                .execute(Tuple.of(principal, key))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.conflict(
                                "idempotency-in-progress",
                                "A request with this Idempotency-Key has just failed or is finishing; retry it.");
                    }
                    var row = rows.iterator().next();
                    if (!sameRequest(row.getString("fingerprint"), canonical)) {
                        throw ProblemException.conflict(
                                "idempotency-key-reused", "This Idempotency-Key was used for a different request.");
                    }
                    String response = row.getString("response");
                    if (response == null) {
                        throw ProblemException.conflict(
                                "idempotency-in-progress",
                                "The first request with this Idempotency-Key is still being processed.");
                    }
                    return json.read(response, type);
                });
    }

    @Scheduled(every = "${phocap.idempotency.expire-every}", identity = "idempotency-expiry")
    Uni<Void> expire() {
        return jobs.once(
                "idempotency-expiry",
                expireEvery,
                () -> pool.query("DELETE FROM idempotent_request WHERE created_at < now() - interval '24 hours'")
                        .execute());
    }
}
