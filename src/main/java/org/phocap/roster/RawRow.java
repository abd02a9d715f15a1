package org.phocap.roster;

import java.util.EnumMap;

/** One data row as read from a file: its spreadsheet line number, cells by field, and the original text. */
public record RawRow(int line, EnumMap<RosterField, String> cells, String raw) {
    public String get(RosterField field) {
        String value = cells.get(field);
        return value == null ? "" : value.strip();
    }
}
