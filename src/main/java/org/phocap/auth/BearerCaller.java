package org.phocap.auth;

import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.phocap.platform.ProblemException;

/**
 * The caller of a plain Vert.x route (the heartbeat hot path, which skips Quarkus REST): the bearer
 * token verified exactly as the REST security mechanism verifies it (the same {@link
 * VerifiedTokenCache}: signature, issuer, expiry, signed-out families), then the role checked as
 * {@code @RolesAllowed} would. Failures are the same 401 and 403 problems REST answers.
 */
@ApplicationScoped
public class BearerCaller {
    private static final String SCHEME = "Bearer ";

    private final VerifiedTokenCache tokens;

    public BearerCaller(VerifiedTokenCache tokens) {
        this.tokens = tokens;
    }

    /** The learner the Authorization header speaks for; 401 without a valid token, 403 for staff. */
    public Subject learner(String authorization) {
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
        Subject subject;
        try {
            subject = CurrentUser.subjectOf(jwt);
        } catch (RuntimeException e) {
            throw unauthorized();
        }
        if (subject.kind() != Subject.Kind.LEARNER || !jwt.getGroups().contains(Role.LEARNER)) {
            throw ProblemException.forbidden("Your role does not allow this call.");
        }
        return subject;
    }

    private static ProblemException unauthorized() {
        return ProblemException.unauthorized("A valid bearer token is required.");
    }
}
