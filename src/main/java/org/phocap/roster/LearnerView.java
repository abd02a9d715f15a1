package org.phocap.roster;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;

/** A learner as staff in scope see them. */
public record LearnerView(
        long id,
        String fullName,
        String phone,
        Integer birthYear,
        String gender,
        String ethnicity,
        String localityCode,
        boolean activated,
        Instant activatedAt) {
    static LearnerView of(Row row) {
        OffsetDateTime activatedAt = row.getOffsetDateTime("activated_at");
        return new LearnerView(
                row.getLong("id"),
                row.getString("full_name"),
                row.getString("phone"),
                row.getInteger("birth_year"),
                row.getString("gender"),
                row.getString("ethnicity"),
                row.getString("locality_code"),
                activatedAt != null,
                activatedAt == null ? null : activatedAt.toInstant());
    }
}
