package org.phocap.locality;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.RequestScoped;
import org.phocap.auth.CurrentUser;
import org.phocap.platform.ProblemException;

/**
 * The one scope guard: the calling staff member's reach, looked up once per request. Every staff
 * read and write asks it; nothing else turns a token's scope claim into locality paths.
 */
@RequestScoped
public class StaffScope {
    private final CurrentUser user;
    private final LocalityService localities;
    private Uni<Scope> scope;

    public StaffScope(CurrentUser user, LocalityService localities) {
        this.user = user;
        this.localities = localities;
    }

    /** The caller's subtrees (memoized for the request). */
    public Uni<Scope> scope() {
        if (scope == null) {
            scope = localities.scopeOf(user.scope()).memoize().indefinitely();
        }
        return scope;
    }

    /** Whether the caller's scope is the whole tree ("*"). */
    public boolean wholeTree() {
        return user.scope().contains(Scope.WHOLE_TREE);
    }

    /** Province-wide actions (the locality tree's roots, courses, course-wide broadcasts) need a whole-tree ADMIN. */
    public void requireWholeTree(String action) {
        if (!wholeTree()) {
            throw ProblemException.forbidden(action + " needs an ADMIN whose scope is the whole tree ('*').");
        }
    }
}
