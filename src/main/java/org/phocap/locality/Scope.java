package org.phocap.locality;

import java.util.Arrays;
import java.util.List;

/**
 * A staff member's reach: the paths of the subtrees they may see ({@code /26/243/}); the whole
 * tree is the root path {@code /}. Queries test {@code path LIKE ANY(patterns())}: the patterns are
 * the paths with LIKE's wildcards escaped, so a code holding {@code _} or {@code %} matches only
 * itself. An empty scope sees nothing.
 */
public record Scope(String[] paths) {
    public static final String WHOLE_TREE = "*";
    private static final String ROOT = "/";

    public static Scope of(List<String> paths) {
        return new Scope(paths.toArray(String[]::new));
    }

    public static Scope everything() {
        return new Scope(new String[] {ROOT});
    }

    public static Scope nothing() {
        return new Scope(new String[0]);
    }

    public boolean wholeTree() {
        return Arrays.asList(paths).contains(ROOT);
    }

    /** The LIKE patterns for {@code path LIKE ANY(...)}: each path, escaped, followed by {@code %}. */
    public String[] patterns() {
        return Arrays.stream(paths).map(p -> escapeLike(p) + "%").toArray(String[]::new);
    }

    /** Whether a locality with this path lies inside the scope. */
    public boolean covers(String path) {
        for (String prefix : paths) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every subtree of the other scope lies inside this one. */
    public boolean covers(Scope other) {
        return Arrays.stream(other.paths).allMatch(this::covers);
    }

    /** Escapes LIKE's wildcards and its escape character (PostgreSQL's default escape is {@code \}). */
    public static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
