package org.phocap.report;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The subtrees a report sums, as locality paths ({@code /VP/BP07/}): the caller's scope inside the
 * campaign's locality. A scope path above the campaign's locality (the province's admin) becomes the
 * campaign's; one beside it is dropped; one inside another is dropped, so no learner counts twice.
 */
public record ReportRoots(List<String> paths) {

    public static ReportRoots of(String campaignPath, String[] scopePaths) {
        TreeSet<String> inside = new TreeSet<>();
        for (String p : scopePaths) {
            if (campaignPath.startsWith(p)) {
                inside.add(campaignPath);
            } else if (p.startsWith(campaignPath)) {
                inside.add(p);
            }
        }
        List<String> roots = new ArrayList<>();
        for (String p : inside) {
            // Sorted, so an enclosing path comes right before the paths inside it.
            if (roots.isEmpty() || !p.startsWith(roots.get(roots.size() - 1))) {
                roots.add(p);
            }
        }
        return new ReportRoots(List.copyOf(roots));
    }

    /** The roots' own locality codes (a path's last segment). */
    public String[] codes() {
        return paths.stream().map(ReportRoots::code).toArray(String[]::new);
    }

    /** LIKE patterns for the localities inside the roots shallower than {@code depth}. */
    public String[] patternsAbove(int depth) {
        return paths.stream()
                .filter(p -> depth(p) < depth)
                .map(p -> org.phocap.locality.Scope.escapeLike(p) + "%")
                .toArray(String[]::new);
    }

    /** Path segments: a province ({@code /VP/}) is 1. */
    public static int depth(String path) {
        int slashes = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                slashes++;
            }
        }
        return Math.max(0, slashes - 1);
    }

    /** The code of the path's locality at {@code depth} (1 = its first segment), or "" above it. */
    public static String codeAt(String path, int depth) {
        String[] segments = path.substring(1).split("/");
        return depth >= 1 && depth <= segments.length ? segments[depth - 1] : "";
    }

    static String code(String path) {
        return codeAt(path, depth(path));
    }
}
