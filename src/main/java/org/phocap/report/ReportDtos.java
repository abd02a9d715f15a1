package org.phocap.report;

import java.util.List;

/** Answer shapes of reports. */
public final class ReportDtos {
    private ReportDtos() {
    }

    /** One group of a report: its key (locality code, wave id, or the value itself) and name, with its counts. */
    public record ReportRow(String key, String name, long enrolled, long activated, long started, long completed,
                            double completionRate) {
        static ReportRow of(String key, String name, Counts c) {
            return new ReportRow(key, name, c.enrolled(), c.activated(), c.started(), c.completed(), c.completionRate());
        }
    }

    public record Report(long campaignId, String groupBy, Integer level, Counts totals, List<ReportRow> rows) {}

    public record LeaderboardRow(int rank, String key, String name, long enrolled, long completed, double completionRate) {}

    public record Leaderboard(long campaignId, int level, List<LeaderboardRow> rows) {}
}
