package org.phocap.roster;

import java.io.Closeable;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Rows of a roster file, read one at a time so memory stays flat whatever the file's size. */
public interface RowSource extends Closeable {

    /** The next data row, or null at the end. */
    RawRow next() throws java.io.IOException;

    /** Maps header cells to fields; unknown columns are ignored, missing required ones refuse the file. */
    static Map<Integer, RosterField> mapHeader(List<String> header) {
        Map<Integer, RosterField> columns = new java.util.HashMap<>();
        EnumMap<RosterField, Boolean> seen = new EnumMap<>(RosterField.class);
        for (int i = 0; i < header.size(); i++) {
            int index = i;
            RosterField.byHeader(header.get(i)).ifPresent(field -> {
                if (seen.put(field, true) == null) {
                    columns.put(index, field);
                }
            });
        }
        List<String> missing = java.util.Arrays.stream(RosterField.values())
                .filter(f -> f.required() && !seen.containsKey(f))
                .map(RosterField::column)
                .toList();
        if (!missing.isEmpty()) {
            throw new RosterFileException(
                    "The header (line 1) lacks required column(s): " + String.join(", ", missing)
                            + ". Headers may be English (full_name, phone, ...) or Vietnamese (Họ và tên, Số điện thoại, ...).");
        }
        return columns;
    }
}
