package org.phocap.roster;

import java.time.Instant;
import java.util.List;

/** What GET /imports/{id} answers; errors hold the first 100 rejected rows. */
public record ImportStatus(long id, long campaignId, String status, int total, int created, int updated,
                           int rejected, List<ImportError> errors, String message, Instant startedAt,
                           Instant finishedAt) {
    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";

    public record ImportError(int line, String field, String message) {}

    public boolean finished() {
        return !RUNNING.equals(status);
    }
}
