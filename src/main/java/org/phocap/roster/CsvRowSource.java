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

    CsvRowSource(Reader input) {
        this.reader = Csv.reader(input);
        this.records = reader.iterator();
        if (!records.hasNext()) {
            throw new RosterFileException("The file is empty: expected a header row and data rows.");
        }
        this.columns = RowSource.mapHeader(records.next().getFields());
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
        return new RawRow((int) record.getStartingLineNumber(), cells, String.join(",", record.getFields()));
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
