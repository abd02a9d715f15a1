package org.phocap.auth;

import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.phocap.platform.ProblemException;

/**
 * The caller of a plain Vert.x route (the heartbeat and lesson-stream hot paths, which skip Quarkus REST): the bearer
 * token verified exactly as the REST security mechanism verifies it (the same {@link
 * VerifiedTokenCache}: signature, issuer, expiry, signed-out families), then the role checked as
 * {@code @RolesAllowed} would. Failures are the same 401 and 403 problems REST answers.
 */
@ApplicationScoped
public class BearerCaller {
    private static final String SCHEME = "Bearer ";

    private final VerifiedTokenCache tokens;
    private final StreamTickets tickets;

    public BearerCaller(VerifiedTokenCache tokens, StreamTickets tickets) {
        this.tokens = tokens;
        this.tickets = tickets;
    }

    /** The learner the Authorization header speaks for; 401 without a valid token, 403 for staff. */
    public Subject learner(String authorization) {
        return CurrentUser.subjectOf(learnerToken(authorization));
    }

    /**
     * The learner's token of a stream request: the token its {@code ?ticket=} stands for when it is
     * an event-stream GET with one (taking the ticket, as {@link StreamTicketMechanism} does for REST),
     * else its bearer token. 401 without either, 403 for staff.
     */
    public Uni<SignIn> streamLearner(HttpServerRequest request) {
        String ticket = StreamTicketMechanism.ticketOf(request);
        if (ticket == null) {
            return Uni.createFrom().item(() -> SignIn.of(learnerToken(request.getHeader(HttpHeaders.AUTHORIZATION))));
        }
        return tickets.holder(ticket).map(token -> {
            if (token == null) {
                throw ProblemException.unauthorized(StreamTickets.REFUSED);
            }
            return SignIn.of(learnerOnly(token));
        });
    }

    /** A verified caller: who, until when its token holds (seconds since the epoch), and the sign-in it belongs to. */
    public record SignIn(Subject subject, long expiresAt, String family) {
        static SignIn of(JsonWebToken token) {
            return new SignIn(
                    CurrentUser.subjectOf(token), token.getExpirationTime(), token.getClaim(TokenService.FAMILY_CLAIM));
        }
    }

    /** The verified bearer token of a learner; 401 without a valid token, 403 for staff. */
    private JsonWebToken learnerToken(String authorization) {
        if (authorization == null
                || authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw unauthorized();
        }
        JsonWebToken jwt;
        try {
            jwt = tokens.parse(authorization.substring(SCHEME.length()).trim());
        } catch (ParseException | RuntimeException e) {
            throw unauthorized();
        }
        return learnerOnly(jwt);
    }

    /** The token when it speaks for a learner with the learner's role: 401 when it names nobody, else 403. */
    private static JsonWebToken learnerOnly(JsonWebToken jwt) {
        Subject subject;
        try {
            subject = CurrentUser.subjectOf(jwt);
        } catch (RuntimeException e) {
            throw unauthorized();
        }
        if (subject.kind() != Subject.Kind.LEARNER || !jwt.getGroups().contains(Role.LEARNER)) {
            throw ProblemException.forbidden("Your role does not allow this call.");
        }
        return jwt;
    }

    private static ProblemException unauthorized() {
        return ProblemException.unauthorized("A valid bearer token is required.");
    }
}
