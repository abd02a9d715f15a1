package org.phocap.auth;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.phocap.platform.Hashing;
import org.phocap.platform.ProblemException;

/**
 * Issues short-lived RS256 access tokens and rotating refresh tokens. A refresh token works once;
 * presenting a used one again means it leaked, so its whole family is revoked.
 */
@ApplicationScoped
public class TokenService {
    public static final String FAMILY_CLAIM = "fam";
    public static final String SCOPE_CLAIM = "scope";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Duration accessTtl;
    private final Duration refreshTtl;
    private final SigningKey signingKey;
    private final RevokedFamilies revoked;

    public TokenService(AuthConfig authConfig, SigningKey signingKey, RevokedFamilies revoked) {
        Duration accessTtl = authConfig.accessTokenTtl();
        Duration refreshTtl = authConfig.refreshTokenTtl();
        this.revoked = revoked;
        this.accessTtl = accessTtl;
        this.refreshTtl = refreshTtl;
        this.signingKey = signingKey;
    }

    /** Starts a new family (a login or an activation). Must run inside a transaction. */
    public Uni<TokenPair> issue(Subject subject) {
        return issue(subject, UUID.randomUUID());
    }

    /** Trades a refresh token for a new pair; the loader re-reads the subject so roles and scope stay current. */
    public Uni<TokenPair> refresh(String presented, Function<RefreshToken, Uni<Subject>> loader) {
        String hash = Hashing.sha256(presented);
        return Panache.withSession(
                        () -> RefreshToken.<RefreshToken>find("tokenHash", hash).firstResult())
                .flatMap(token -> {
                    if (token == null) {
                        return Uni.createFrom().failure(ProblemException.unauthorized("Unknown refresh token."));
                    }
                    if (token.usedAt != null || token.revokedAt != null) {
                        // Revocation commits on its own before the refusal goes out.
                        return Panache.withTransaction(() -> revokeFamily(token.family))
                                .flatMap(n -> Uni.createFrom()
                                        .failure(ProblemException.unauthorized(
                                                "This refresh token was already used or revoked; sign in again.")));
                    }
                    if (token.expiresAt.isBefore(Instant.now())) {
                        return Uni.createFrom()
                                .failure(ProblemException.unauthorized("The refresh token has expired."));
                    }
                    // Conditional update: of two racing refreshes with one token only one wins.
                    return Panache.withTransaction(() -> RefreshToken.update(
                                    "usedAt = ?1 where id = ?2 and usedAt is null", Instant.now(), token.id)
                            .flatMap(updated -> updated == 0
                                    ? Uni.createFrom()
                                            .failure(ProblemException.unauthorized(
                                                    "This refresh token was already used."))
                                    : loader.apply(token).flatMap(subject -> issue(subject, token.family))));
                });
    }

    /** Must run inside a transaction. The family's access tokens stop working here at once, elsewhere at the next poll. */
    public Uni<Integer> revokeFamily(UUID family) {
        return RefreshToken.update("revokedAt = ?1 where family = ?2 and revokedAt is null", Instant.now(), family)
                .invoke(updated -> revoked.revoked(family));
    }

    /**
     * Ends every other sign-in of this person (after a PIN change: whoever knew the old PIN is signed
     * out). Must run inside a transaction; their access tokens stop working here at once, elsewhere
     * at the next poll.
     */
    public Uni<Void> revokeOthers(Subject subject, UUID keep) {
        return RefreshToken.<RefreshToken>list(
                        "subjectKind = ?1 and subjectId = ?2 and family <> ?3 and revokedAt is null",
                        subject.kind().name(),
                        subject.id(),
                        keep)
                .flatMap(rows -> RefreshToken.update(
                                "revokedAt = ?1 where subjectKind = ?2 and subjectId = ?3 and family <> ?4 "
                                        + "and revokedAt is null",
                                Instant.now(),
                                subject.kind().name(),
                                subject.id(),
                                keep)
                        .invoke(n -> rows.stream().map(r -> r.family).distinct().forEach(revoked::revoked)))
                .replaceWithVoid();
    }

    /** Ends every sign-in of this person (after an activation with a recovery code). Must run inside a transaction. */
    public Uni<Void> revokeAll(Subject subject) {
        // A family no sign-in has: every one of theirs is "another".
        return revokeOthers(subject, UUID.randomUUID());
    }

    private Uni<TokenPair> issue(Subject subject, UUID family) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String refresh = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        RefreshToken row = new RefreshToken();
        row.tokenHash = Hashing.sha256(refresh);
        row.family = family;
        row.subjectKind = subject.kind().name();
        row.subjectId = subject.id();
        row.expiresAt = Instant.now().plus(refreshTtl);
        String access = Jwt.subject(subject.jwtSubject())
                .upn(subject.username())
                .groups(Set.of(subject.role()))
                .claim(SCOPE_CLAIM, subject.scope())
                .claim(FAMILY_CLAIM, family.toString())
                .expiresIn(accessTtl)
                .jws()
                .keyId(signingKey.kid())
                .sign(signingKey.key());
        return row.persist().replaceWith(new TokenPair(access, refresh, accessTtl.toSeconds(), subject.role()));
    }
}
