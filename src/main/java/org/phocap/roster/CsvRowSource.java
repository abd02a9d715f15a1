package org.phocap.roster;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.Reader;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import org.phocap.platform.Csv;

final class CsvRowSource implements RowSource {
    private final CsvReader<CsvRecord> reader;
    private final Iterator<CsvRecord> records;
    private final Map<Integer, RosterField> columns;
    private final int headerColumns;
    /** The field of the header's last known column: where a row's extra values most likely came from. */
    private final RosterField lastField;

    CsvRowSource(Reader input) {
        this.reader = Csv.reader(input);
        this.records = reader.iterator();
        if (!records.hasNext()) {
            throw new RosterFileException("The file is empty: expected a header row and data rows.");
        }
        java.util.List<String> header = records.next().getFields();
        this.columns = RowSource.mapHeader(header);
        this.headerColumns = header.size();
        this.lastField = columns.entrySet().stream()
                .max(Map.Entry.comparingByKey())
                .map(Map.Entry::getValue)
                .orElseThrow();
    }

    @Override
    public RawRow next() {
        if (!records.hasNext()) {
            return null;
        }
        CsvRecord record = records.next();
        EnumMap<RosterField, String> cells = new EnumMap<>(RosterField.class);
        for (int i = 0; i < record.getFieldCount(); i++) {
            RosterField field = columns.get(i);
            if (field != null) {
                cells.put(field, record.getField(i));
            }
        }
        // More values than the header has columns: a value with a comma that was not put in quotes
        // (Học sinh, sinh viên). Read by position, the row would lose or shift what followed the
        // comma without a word, so it is refused with the reason. Empty values past the header
        // (a spreadsheet's trailing commas) are nothing lost.
        boolean split = false;
        for (int i = headerColumns; i < record.getFieldCount() && !split; i++) {
            split = !record.getField(i).isBlank();
        }
        return new RawRow(
                (int) record.getStartingLineNumber(),
                cells,
                String.join(",", record.getFields()),
                split ? lastField : null);
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
