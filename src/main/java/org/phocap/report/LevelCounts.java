package org.phocap.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.phocap.report.ReportDtos.ReportRow;

/**
 * One locality level of a report summed from roll-up rows: the counts per group (a locality at the
 * level, or, for a root deeper than the level, its ancestor there), in key order, and the roots' own
 * sums. Immutable, so the counts of the roll-ups at one version can be kept while that version stays
 * and the changes not folded yet added per call ({@link #plus}); its rows and its ranking are worked
 * out once per instance.
 */
final class LevelCounts {
    /** The row of the learners registered above the level (say, at a commune when villages are asked for). */
    static final String ABOVE_KEY = "";

    static final String ABOVE_NAME = "(ở cấp trên)";

    private final String[] keys;
    /** Four per key, in key order: enrolled, activated, started, completed. */
    private final long[] counts;

    private final long[] inRoots;
    private List<ReportRow> rows;
    private Ranking ranking;

    private LevelCounts(String[] keys, long[] counts, long[] inRoots) {
        this.keys = keys;
        this.counts = counts;
        this.inRoots = inRoots;
    }

    /** The localities ranked by completion rate, then completions, then key, and each one's rank. */
    record Ranking(List<ReportRow> rows, int[] ranks) {}

    /** Sums roll-up rows (or changes not folded yet) into a level's groups. */
    static final class Builder {
        private final Set<String> rootCodes;
        private final int depth;
        private final Map<String, long[]> byKey = new HashMap<>();
        private final long[] inRoots = new long[4];

        /** For the level at {@code depth} (path segments) inside the roots with these codes. */
        Builder(Set<String> rootCodes, int depth) {
            this.rootCodes = rootCodes;
            this.depth = depth;
        }

        /**
         * A roll-up row of locality {@code code} at {@code rowDepth}; {@code path} is needed only when
         * it is a root deeper than the level (its ancestor at the level is its group).
         */
        Builder add(
                String code, int rowDepth, String path, long enrolled, long activated, long started, long completed) {
            boolean root = rootCodes.contains(code);
            if (root) {
                addTo(inRoots, enrolled, activated, started, completed);
            }
            String key = rowDepth == depth ? code : root && rowDepth > depth ? ReportRoots.codeAt(path, depth) : null;
            if (key != null) {
                addTo(byKey.computeIfAbsent(key, k -> new long[4]), enrolled, activated, started, completed);
            }
            return this;
        }

        LevelCounts build() {
            String[] keys = byKey.keySet().toArray(String[]::new);
            Arrays.sort(keys);
            long[] counts = new long[keys.length * 4];
            for (int i = 0; i < keys.length; i++) {
                System.arraycopy(byKey.get(keys[i]), 0, counts, i * 4, 4);
            }
            return new LevelCounts(keys, counts, inRoots.clone());
        }
    }

    private static void addTo(long[] sum, long enrolled, long activated, long started, long completed) {
        sum[0] += enrolled;
        sum[1] += activated;
        sum[2] += started;
        sum[3] += completed;
    }

    /** The last {@link #plus} worked out: while a wave's changes arrive, many calls add the same ones. */
    private record Sum(LevelCounts added, LevelCounts result) {}

    private volatile Sum last;

    /**
     * These counts with others added (the changes not folded yet): a merge of two key orders. The
     * last one is remembered, so calls adding the same changes share its rows and ranking.
     */
    LevelCounts plus(LevelCounts other) {
        if (other.isEmpty()) {
            return this;
        }
        Sum remembered = last;
        if (remembered != null && remembered.added().sameCounts(other)) {
            return remembered.result();
        }
        LevelCounts result = merged(other);
        last = new Sum(other, result);
        return result;
    }

    /** No group and nothing in the roots (no change waiting to be folded). */
    private boolean isEmpty() {
        return keys.length == 0 && Arrays.stream(inRoots).allMatch(c -> c == 0);
    }

    /** Whether both hold the same groups with the same counts. */
    boolean sameCounts(LevelCounts other) {
        return Arrays.equals(keys, other.keys)
                && Arrays.equals(counts, other.counts)
                && Arrays.equals(inRoots, other.inRoots);
    }

    private LevelCounts merged(LevelCounts other) {
        String[] mergedKeys = new String[keys.length + other.keys.length];
        long[] mergedCounts = new long[mergedKeys.length * 4];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < keys.length || j < other.keys.length) {
            int order = i == keys.length ? 1 : j == other.keys.length ? -1 : keys[i].compareTo(other.keys[j]);
            mergedKeys[n] = order <= 0 ? keys[i] : other.keys[j];
            for (int c = 0; c < 4; c++) {
                mergedCounts[n * 4 + c] =
                        (order <= 0 ? counts[i * 4 + c] : 0) + (order >= 0 ? other.counts[j * 4 + c] : 0);
            }
            if (order <= 0) {
                i++;
            }
            if (order >= 0) {
                j++;
            }
            n++;
        }
        long[] roots = inRoots.clone();
        for (int c = 0; c < 4; c++) {
            roots[c] += other.inRoots[c];
        }
        return new LevelCounts(Arrays.copyOf(mergedKeys, n), Arrays.copyOf(mergedCounts, n * 4), roots);
    }

    /**
     * One row per group with learners, in key order, after the row of those registered above the level
     * (key "", first in key order too) when there are any; no names, no flags (zero).
     */
    synchronized List<ReportRow> rows() {
        if (rows == null) {
            long[] above = inRoots.clone();
            List<ReportRow> list = new ArrayList<>(keys.length + 1);
            for (int i = 0; i < keys.length; i++) {
                for (int c = 0; c < 4; c++) {
                    above[c] -= counts[i * 4 + c];
                }
                if (counts[i * 4] > 0) {
                    list.add(row(keys[i], null, Arrays.copyOfRange(counts, i * 4, i * 4 + 4)));
                }
            }
            if (above[0] > 0) {
                list.add(0, row(ABOVE_KEY, ABOVE_NAME, above));
            }
            rows = Collections.unmodifiableList(list);
        }
        return rows;
    }

    /** {@link #rows()} with each group's flags (open, completed and flagged) from {@code flags}. */
    List<ReportRow> rows(Map<String, long[]> flags) {
        List<ReportRow> all = rows();
        if (flags.isEmpty()) {
            return all;
        }
        List<ReportRow> flagged = new ArrayList<>(all);
        flags.forEach((key, f) -> {
            int at = Collections.binarySearch(all, ReportRow.of(key, null, Counts.of(0, 0, 0, 0)), BY_KEY);
            if (at >= 0) {
                flagged.set(at, all.get(at).withFlags(f[0], f[1]));
            }
        });
        return flagged;
    }

    /**
     * The localities (not the row above the level) ranked by completion rate, then completions;
     * equal ones share a rank (1, 2, 2, 4) and are listed by key.
     */
    synchronized Ranking ranking() {
        if (ranking == null) {
            List<ReportRow> sorted = new ArrayList<>(
                    rows().stream().filter(r -> !r.key().isEmpty()).toList());
            sorted.sort(Comparator.comparingDouble(ReportRow::completionRate)
                    .reversed()
                    .thenComparing(
                            Comparator.comparingLong(ReportRow::completed).reversed())
                    .thenComparing(ReportRow::key));
            int[] ranks = new int[sorted.size()];
            for (int i = 0; i < sorted.size(); i++) {
                ReportRow r = sorted.get(i);
                ReportRow previous = i == 0 ? null : sorted.get(i - 1);
                ranks[i] = previous != null
                                && previous.completionRate() == r.completionRate()
                                && previous.completed() == r.completed()
                        ? ranks[i - 1]
                        : i + 1;
            }
            ranking = new Ranking(Collections.unmodifiableList(sorted), ranks);
        }
        return ranking;
    }

    private static final Comparator<ReportRow> BY_KEY = Comparator.comparing(ReportRow::key);

    private static ReportRow row(String key, String name, long[] c) {
        return ReportRow.of(key, name, Counts.of(c[0], c[1], c[2], c[3])).withFlags(0, 0);
    }
}
