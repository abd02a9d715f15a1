package org.phocap.roster;

import java.time.Instant;
import java.util.List;

/** What GET /imports/{id} answers; errors hold the first 100 rejected rows. */
public record ImportStatus(
        long id,
        long campaignId,
        String status,
        int total,
        int created,
        int updated,
        int rejected,
        List<ImportError> errors,
        String message,
        Instant startedAt,
        Instant finishedAt) {
    public static final String RUNNING = "RUNNING";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";

    public record ImportError(int line, String field, String message) {}

    /** The same status without the rejected rows, for readers who may not see them. */
    public ImportStatus withoutErrors() {
        return new ImportStatus(
                id, campaignId, status, total, created, updated, rejected, List.of(), message, startedAt, finishedAt);
    }

    public boolean finished() {
        return !RUNNING.equals(status);
    }
}
