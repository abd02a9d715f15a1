package org.phocap.auth;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.security.PublicKey;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.phocap.platform.Caches;
import org.phocap.platform.Hashing;
import org.phocap.platform.SyncCache;

/**
 * Verifies an access token's RS256 signature once and reuses the verified claims until the token
 * expires: a learner's player sends the same token with every heartbeat, and the signature check
 * (~70 µs of CPU) would otherwise dominate those requests. Keyed by the token's SHA-256, so the
 * cache holds no usable token. Entries live as long as an access token at most
 * (phocap.cache."verified-tokens": expire-after-write and a size bound), and each is
 * checked against its own expiry when read.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokenCache extends DefaultJWTParser {
    private SyncCache<String, JsonWebToken> verified;

    @Inject
    RevokedFamilies revoked;

    @Inject
    VerificationKeys keys;

    @Inject
    void cache(Caches caches) {
        this.verified = caches.named("verified-tokens");
    }

    /** The key set's version the cached entries were verified under. */
    private volatile long keysVersion;

    /** A verified token, unless its family was signed out or revoked since (then 401). */
    @Override
    public JsonWebToken parse(String token) throws ParseException {
        JsonWebToken jwt = verify(token);
        if (revoked != null && revoked.isRevoked(jwt.getClaim(TokenService.FAMILY_CLAIM))) {
            throw new ParseException("This sign-in was ended (signed out or revoked); sign in again.");
        }
        return jwt;
    }

    private JsonWebToken verify(String token) throws ParseException {
        String key = Hashing.sha256(token);
        long now = System.currentTimeMillis() / 1000;
        if (keys.version() != keysVersion) {
            // A key left the set: tokens it signed must stop working now, not when they expire.
            verified.clear();
            keysVersion = keys.version();
        }
        JsonWebToken known = verified.get(key);
        if (known != null) {
            if (known.getExpirationTime() > now) {
                return known;
            }
            verified.remove(key);
        }
        JsonWebToken fresh = verifyWithKeySet(token);
        verified.put(key, fresh);
        return fresh;
    }

    /** Verifies with the key the token's kid names; a token without a kid (signed before kids) with each key. */
    private JsonWebToken verifyWithKeySet(String token) throws ParseException {
        String kid = VerificationKeys.kidOf(token);
        if (kid != null) {
            PublicKey key = keys.byKid(kid);
            if (key == null) {
                throw new ParseException("The token was signed with a key this service does not accept.");
            }
            return new VerifiedToken(verify(token, key));
        }
        // Built only when every key failed: an exception made up front cost a stack trace per token.
        ParseException last = null;
        for (PublicKey key : keys.all()) {
            try {
                return new VerifiedToken(verify(token, key));
            } catch (ParseException e) {
                last = e;
            }
        }
        throw last != null ? last : new ParseException("No verification key.");
    }
}
