package org.phocap.auth;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.phocap.platform.Hashing;
import org.phocap.platform.Overload;
import org.phocap.platform.ProblemException;

/**
 * Stream tickets: what a browser's {@code EventSource} opens a stream with, since it cannot send an
 * Authorization header and a long-lived token must not travel in a URL. A ticket is 32 random
 * bytes, single use, valid {@code phocap.stream.ticket-ttl} (60 s); it stands for the access token
 * it was traded for (its claims are kept with the ticket's hash, so the stream still ends when that
 * token expires or its sign-in is ended). Kept in PostgreSQL so that any instance can take it.
 */
@ApplicationScoped
public class StreamTickets {
    /** Why a ticket signs nobody in: unknown, used or expired, or its sign-in was ended since. */
    public static final String REFUSED = "Unknown, used or expired stream ticket";

    private static final Logger LOG = Logger.getLogger(StreamTickets.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Pool pool;
    private final RevokedFamilies revoked;
    private final Duration ttl;
    private final int maxOutstanding;

    public StreamTickets(Pool pool, RevokedFamilies revoked, AuthConfig authConfig) {
        this.revoked = revoked;
        Duration ttl = authConfig.streamTicketTtl();
        int maxOutstanding = authConfig.streamTicketMaxOutstanding();
        this.pool = pool;
        this.ttl = ttl;
        this.maxOutstanding = maxOutstanding;
    }

    public record Ticket(String ticket, Instant expiresAt) {}

    /** A new ticket for the caller's verified token; 429 past {@code ticket-max-outstanding} unused ones. */
    public Uni<Ticket> issue(JsonWebToken token) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String ticket = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        // The ticket lives no longer than the token it stands for.
        Instant expiresAt =
                Instant.ofEpochSecond(Math.min(Instant.now().plus(ttl).getEpochSecond(), token.getExpirationTime()));
        String claims = payloadOf(token.getRawToken());
        return pool.preparedQuery("""
                        INSERT INTO stream_ticket (ticket_hash, subject, claims, expires_at)
                        SELECT $1, $2, $3::jsonb, $4
                        WHERE (SELECT count(*) FROM stream_ticket WHERE subject = $2 AND expires_at > now()) < $5""")
                .execute(Tuple.of(
                        Hashing.sha256(ticket),
                        token.getSubject(),
                        claims,
                        expiresAt.atOffset(ZoneOffset.UTC),
                        maxOutstanding))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw new ProblemException(
                                        429,
                                        "too-many-requests",
                                        "Too many stream tickets",
                                        "Use the stream tickets already asked for, or wait until they expire.")
                                .retryAfter((int) ttl.toSeconds());
                    }
                    return new Ticket(ticket, expiresAt);
                });
    }

    /** The token a ticket stands for, taking the ticket (it works once); null when unknown, used or expired. */
    public Uni<JsonWebToken> redeem(String ticket) {
        if (ticket == null || ticket.length() != 43 || !ticket.matches("[A-Za-z0-9_-]{43}")) {
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery(
                        "DELETE FROM stream_ticket WHERE ticket_hash = $1 RETURNING claims::text, expires_at > now() AS live")
                .execute(Tuple.of(Hashing.sha256(ticket)))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    var row = rows.iterator().next();
                    if (!row.getBoolean("live")) {
                        return null;
                    }
                    try {
                        JwtClaims claims = JwtClaims.parse(row.getString(0));
                        return (JsonWebToken) new VerifiedToken(new DefaultJWTCallerPrincipal(claims));
                    } catch (InvalidJwtException e) {
                        return null;
                    }
                });
    }

    /**
     * The token a ticket stands for, taking the ticket, while the sign-in it was issued under is
     * still going; null when the ticket is unknown, used or expired, or that sign-in was ended since.
     */
    public Uni<JsonWebToken> holder(String ticket) {
        return redeem(ticket)
                .map(token ->
                        token == null || revoked.isRevoked(token.getClaim(TokenService.FAMILY_CLAIM)) ? null : token);
    }

    /** Expired tickets are deleted once a minute (a redeemed one is gone already). */
    @Scheduled(every = "60s", delayed = "60s", identity = "stream-ticket-expiry")
    Uni<Void> dropExpired() {
        return Overload.orSkipped(
                pool.query("DELETE FROM stream_ticket WHERE expires_at < now()")
                        .execute()
                        .replaceWithVoid(),
                LOG,
                "Expired stream tickets' deletion");
    }

    /** The claims part of a compact JWS (already verified by the caller's authentication). */
    private static String payloadOf(String rawToken) {
        String[] parts = rawToken == null ? new String[0] : rawToken.split("\\.");
        if (parts.length != 3) {
            throw ProblemException.unauthorized("A bearer token is required to ask for a stream ticket.");
        }
        return new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    }
}
