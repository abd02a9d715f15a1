package org.phocap.roster;

import java.util.EnumMap;

/**
 * One data row as read from a file: its spreadsheet line number, cells by field, the original
 * text, and, when the row has more values than the header has columns, the field of the header's
 * last column (the value an unquoted comma most likely split; null otherwise).
 */
public record RawRow(int line, EnumMap<RosterField, String> cells, String raw, RosterField splitAfter) {
    public RawRow(int line, EnumMap<RosterField, String> cells, String raw) {
        this(line, cells, raw, null);
    }

    public String get(RosterField field) {
        String value = cells.get(field);
        return value == null ? "" : value.strip();
    }
}
