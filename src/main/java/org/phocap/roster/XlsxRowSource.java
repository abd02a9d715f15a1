package org.phocap.roster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;

/** The first sheet of an .xlsx workbook, streamed row by row; line numbers are the sheet's rows. */
final class XlsxRowSource implements RowSource {
    private final ReadableWorkbook workbook;
    private final Stream<Row> rows;
    private final Iterator<Row> iterator;
    private final Map<Integer, RosterField> columns;

    XlsxRowSource(java.nio.file.Path file) throws IOException {
        try {
            // From the file, not a stream: the ZIP is then read in place instead of into memory.
            this.workbook = new ReadableWorkbook(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new RosterFileException("The file is not a readable .xlsx workbook.");
        }
        Sheet sheet = workbook.getFirstSheet();
        this.rows = sheet.openStream();
        this.iterator = rows.iterator();
        Row header = nextNonEmpty();
        if (header == null) {
            throw new RosterFileException("The first sheet is empty: expected a header row and data rows.");
        }
        this.columns = RowSource.mapHeader(texts(header));
    }

    @Override
    public RawRow next() {
        Row row = nextNonEmpty();
        if (row == null) {
            return null;
        }
        EnumMap<RosterField, String> cells = new EnumMap<>(RosterField.class);
        List<String> texts = texts(row);
        for (int i = 0; i < texts.size(); i++) {
            RosterField field = columns.get(i);
            if (field != null) {
                cells.put(field, texts.get(i));
            }
        }
        return new RawRow(row.getRowNum(), cells, String.join(",", texts));
    }

    private Row nextNonEmpty() {
        while (iterator.hasNext()) {
            Row row = iterator.next();
            for (Cell cell : row) {
                if (cell != null && !text(cell).isBlank()) {
                    return row;
                }
            }
        }
        return null;
    }

    private static List<String> texts(Row row) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < row.getCellCount(); i++) {
            Cell cell = row.getCell(i);
            texts.add(cell == null ? "" : text(cell));
        }
        return texts;
    }

    private static String text(Cell cell) {
        // Numbers (phones, years) come as raw values so "0912345678" typed as a number still reads.
        String raw = cell.getRawValue();
        return raw == null ? "" : raw;
    }

    @Override
    public void close() throws IOException {
        rows.close();
        workbook.close();
    }
}
