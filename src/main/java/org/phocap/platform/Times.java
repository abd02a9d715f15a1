package org.phocap.platform;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Between the database's timestamptz values and instants, null staying null. */
public final class Times {
    private Times() {}

    public static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    public static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }

    /** A query parameter holding an RFC 3339 time, or null when absent; 400 naming the parameter otherwise. */
    public static Instant param(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, "an RFC 3339 UTC time such as 2026-08-01T07:00:00Z");
        }
    }
}
