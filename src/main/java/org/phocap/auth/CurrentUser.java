package org.phocap.auth;

import jakarta.enterprise.context.RequestScoped;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.phocap.platform.ProblemException;

/** The verified caller of this request, read from its access token. */
@RequestScoped
public class CurrentUser {
    private final JsonWebToken jwt;

    public CurrentUser(JsonWebToken jwt) {
        this.jwt = jwt;
    }

    public Subject subject() {
        return subjectOf(jwt);
    }

    /** The subject a verified token speaks for (401 when it names none). */
    static Subject subjectOf(JsonWebToken jwt) {
        String sub = jwt.getSubject();
        if (sub == null) {
            throw ProblemException.unauthorized("A valid bearer token is required.");
        }
        int colon = sub.indexOf(':');
        Subject.Kind kind = Subject.Kind.valueOf(sub.substring(0, colon).toUpperCase());
        String role = jwt.getGroups().stream().findFirst().orElse("");
        return new Subject(kind, Long.parseLong(sub.substring(colon + 1)), jwt.getName(), role, scopeOf(jwt));
    }

    public long staffId() {
        Subject subject = subject();
        if (subject.kind() != Subject.Kind.STAFF) {
            throw ProblemException.forbidden("Staff only.");
        }
        return subject.id();
    }

    /** Locality codes whose subtrees the caller may see ("*" = all). */
    public List<String> scope() {
        return scopeOf(jwt);
    }

    private static List<String> scopeOf(JsonWebToken jwt) {
        Object claim = jwt.getClaim(TokenService.SCOPE_CLAIM);
        if (claim instanceof jakarta.json.JsonArray array) {
            return array.getValuesAs(jakarta.json.JsonString.class).stream()
                    .map(jakarta.json.JsonString::getString)
                    .toList();
        }
        if (claim instanceof java.util.Collection<?> values) {
            return values.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    /** When the access token expires, in seconds since the epoch. */
    public long expiresAt() {
        return jwt.getExpirationTime();
    }

    public String family() {
        return jwt.getClaim(TokenService.FAMILY_CLAIM);
    }
}
