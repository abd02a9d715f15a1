package org.phocap.locality;

import java.util.List;

/**
 * A staff member's reach as SQL LIKE patterns over locality paths: one pattern per scope subtree.
 * Queries test {@code path LIKE ANY(patterns)}, so an empty scope sees nothing.
 */
public record Scope(String[] patterns) {
    public static final String WHOLE_TREE = "*";

    public static Scope of(List<String> codesAndPaths) {
        return new Scope(codesAndPaths.toArray(String[]::new));
    }

    public static Scope everything() {
        return new Scope(new String[] {"%"});
    }

    /** Whether a locality with this path lies inside the scope. */
    public boolean covers(String path) {
        for (String pattern : patterns) {
            String prefix = pattern.substring(0, pattern.length() - 1);
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
