package org.phocap.roster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.List;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/** Builds roster files the way villages send them: UTF-8 CSV, CSV with a BOM, Windows-1258 CSV, .xlsx. */
final class RosterFiles {
    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private RosterFiles() {}

    static byte[] utf8(String csv) {
        return csv.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] withBom(String csv) {
        byte[] body = utf8(csv);
        byte[] out = new byte[body.length + 3];
        out[0] = (byte) 0xEF;
        out[1] = (byte) 0xBB;
        out[2] = (byte) 0xBF;
        System.arraycopy(body, 0, out, 3, body.length);
        return out;
    }

    /**
     * Windows-1258 has letters with a vowel mark (ê, ơ, ă, ...) but writes tone marks as separate
     * combining characters, so "ễ" is ê followed by a combining tilde: encode that way.
     */
    static byte[] cp1258(String text) {
        Charset cp1258 = Charset.forName("windows-1258");
        CharsetEncoder encoder = cp1258.newEncoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            String ch = String.valueOf(text.charAt(i));
            if (encoder.canEncode(ch)) {
                out.writeBytes(ch.getBytes(cp1258));
                continue;
            }
            String decomposed = Normalizer.normalize(ch, Normalizer.Form.NFD);
            // Recompose the base with its vowel mark when the charset has that letter; keep the tone apart.
            String base = decomposed.substring(0, Math.min(2, decomposed.length()));
            String composedBase = Normalizer.normalize(base, Normalizer.Form.NFC);
            if (composedBase.length() == 1 && encoder.canEncode(composedBase)) {
                out.writeBytes(composedBase.getBytes(cp1258));
                out.writeBytes(decomposed.substring(2).getBytes(cp1258));
            } else {
                out.writeBytes(decomposed.substring(0, 1).getBytes(cp1258));
                out.writeBytes(decomposed.substring(1).getBytes(cp1258));
            }
        }
        return out.toByteArray();
    }

    /** One sheet; numbers stay numbers (as Excel keeps phones typed without quotes). */
    static byte[] xlsx(List<String> header, List<List<Object>> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Workbook workbook = new Workbook(out, "phocap-test", "1.0");
            Worksheet sheet = workbook.newWorksheet("Danh sách");
            for (int c = 0; c < header.size(); c++) {
                sheet.value(0, c, header.get(c));
            }
            for (int r = 0; r < rows.size(); r++) {
                List<Object> row = rows.get(r);
                for (int c = 0; c < row.size(); c++) {
                    Object v = row.get(c);
                    if (v instanceof Number n) {
                        sheet.value(r + 1, c, n);
                    } else if (v != null) {
                        sheet.value(r + 1, c, v.toString());
                    }
                }
            }
            workbook.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
