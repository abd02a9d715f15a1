package org.phocap.roster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Live counters of an import running on this instance, read by the status call and the SSE stream. */
final class ImportProgress {
    static final int ERROR_LIMIT = 100;

    private final long id;
    private final long campaignId;
    private final Instant startedAt = Instant.now();
    private final List<ImportStatus.ImportError> errors = new ArrayList<>();
    private int total;
    private int created;
    private int updated;
    private int rejected;

    ImportProgress(long id, long campaignId) {
        this.id = id;
        this.campaignId = campaignId;
    }

    synchronized void rejected(Rejection rejection) {
        total++;
        rejected++;
        if (errors.size() < ERROR_LIMIT) {
            errors.add(new ImportStatus.ImportError(rejection.line(), rejection.field(), rejection.message()));
        }
    }

    synchronized void written(int createdNow, int updatedNow) {
        total += createdNow + updatedNow;
        created += createdNow;
        updated += updatedNow;
    }

    synchronized ImportStatus snapshot() {
        return new ImportStatus(
                id,
                campaignId,
                ImportStatus.RUNNING,
                total,
                created,
                updated,
                rejected,
                List.copyOf(errors),
                null,
                startedAt,
                null);
    }
}
