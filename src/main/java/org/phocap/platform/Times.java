package org.phocap.platform;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Between the database's timestamptz values and instants, null staying null. */
public final class Times {
    private Times() {
    }

    public static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    public static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }
}
