package org.phocap.platform;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.Reader;
import java.util.Locale;

/** One way to read CSV across the app, so parsing rules never differ between features. */
public final class Csv {
    private Csv() {}

    public static CsvReader<CsvRecord> reader(Reader reader) {
        return CsvReader.builder()
                .skipEmptyLines(true)
                .ignoreDifferentFieldCount(true)
                .ofCsvRecord(reader);
    }

    /** Header cells compared without case, surrounding space or a byte-order mark. */
    public static String headerKey(String cell) {
        String key = cell.strip();
        if (!key.isEmpty() && key.charAt(0) == '\uFEFF') {
            key = key.substring(1).strip();
        }
        return java.text.Normalizer.normalize(key, java.text.Normalizer.Form.NFC)
                .toLowerCase(Locale.ROOT);
    }
}
