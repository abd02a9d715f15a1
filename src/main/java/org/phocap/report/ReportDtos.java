package org.phocap.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Answer shapes of reports. */
public final class ReportDtos {
    private ReportDtos() {}

    /**
     * One group of a report: its key (locality code, wave id, or the value itself) and name, with its
     * counts. Grouped by locality, also the integrity flags of its learners: {@code openFlags} (flags
     * not yet reviewed), {@code flaggedCompleted} (completed learners with an open or confirmed flag)
     * and the completion rate without them; absent for the other groupings.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReportRow(
            String key,
            String name,
            long enrolled,
            long activated,
            long started,
            long completed,
            double completionRate,
            Long openFlags,
            Long flaggedCompleted,
            Double completionRateUnflagged) {
        static ReportRow of(String key, String name, Counts c) {
            return new ReportRow(
                    key,
                    name,
                    c.enrolled(),
                    c.activated(),
                    c.started(),
                    c.completed(),
                    c.completionRate(),
                    null,
                    null,
                    null);
        }

        ReportRow withName(String name) {
            return new ReportRow(
                    key,
                    name,
                    enrolled,
                    activated,
                    started,
                    completed,
                    completionRate,
                    openFlags,
                    flaggedCompleted,
                    completionRateUnflagged);
        }

        ReportRow withFlags(long open, long flaggedCompleted) {
            return new ReportRow(
                    key,
                    name,
                    enrolled,
                    activated,
                    started,
                    completed,
                    completionRate,
                    open,
                    flaggedCompleted,
                    Counts.of(enrolled, activated, started, Math.max(0, completed - flaggedCompleted))
                            .completionRate());
        }
    }

    /**
     * A report; {@code totals} and {@code openFlags} (grouped by locality only) cover every row, and
     * {@code rows} is one page of them: {@code page} (from 0) of {@code size}, {@code total} rows in all.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Report(
            long campaignId,
            String groupBy,
            Integer level,
            Counts totals,
            Long openFlags,
            List<ReportRow> rows,
            int page,
            int size,
            long total) {
        /** This report with only the rows of one page. */
        public Report page(int page, int size) {
            return new Report(
                    campaignId, groupBy, level, totals, openFlags, slice(rows, page, size), page, size, total);
        }

        Report withRows(List<ReportRow> shown) {
            return new Report(campaignId, groupBy, level, totals, openFlags, shown, page, size, total);
        }
    }

    /** Ranked by {@code completionRate}; the flag counts and the rate without flagged completions are shown beside it. */
    public record LeaderboardRow(
            int rank,
            String key,
            String name,
            long enrolled,
            long completed,
            double completionRate,
            long openFlags,
            long flaggedCompleted,
            double completionRateUnflagged) {}

    /** One page of the ranking: {@code page} (from 0) of {@code size}, {@code total} localities ranked in all. */
    public record Leaderboard(long campaignId, int level, List<LeaderboardRow> rows, int page, int size, long total) {}

    static <T> List<T> slice(List<T> all, int page, int size) {
        long from = (long) page * size;
        if (from >= all.size()) {
            return List.of();
        }
        return List.copyOf(all.subList((int) from, (int) Math.min(all.size(), from + size)));
    }
}
