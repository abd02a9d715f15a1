package org.phocap.auth;

import java.util.List;

/**
 * Who a token speaks for: a staff account (with its scope) or a learner. The JWT subject is
 * "{kind}:{id}" so the two id spaces never collide.
 */
public record Subject(Kind kind, long id, String username, String role, List<String> scope) {
    public enum Kind {
        STAFF,
        LEARNER
    }

    public String jwtSubject() {
        return kind.name().toLowerCase() + ":" + id;
    }
}
