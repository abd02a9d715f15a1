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

    /** A report; {@code openFlags} totals its rows' (grouped by locality only). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Report(
            long campaignId, String groupBy, Integer level, Counts totals, Long openFlags, List<ReportRow> rows) {}

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

    public record Leaderboard(long campaignId, int level, List<LeaderboardRow> rows) {}
}
