package org.phocap.certificate;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.io.IOException;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDPageContentStream;

/** QR codes drawn as vector squares: sharp at any zoom, no image, and the same bytes on every render. */
final class QrCodes {
    private static final int QUIET_MODULES = 4;

    private QrCodes() {}

    /** Draws the code for {@code text} with its lower-left corner at (x, y), {@code size} points wide including the quiet zone. */
    static void draw(PDPageContentStream content, String text, float x, float y, float size) throws IOException {
        BitMatrix matrix;
        try {
            matrix = new QRCodeWriter()
                    .encode(
                            text,
                            BarcodeFormat.QR_CODE,
                            0,
                            0,
                            Map.of(
                                    EncodeHintType.ERROR_CORRECTION,
                                    ErrorCorrectionLevel.M,
                                    EncodeHintType.CHARACTER_SET,
                                    "UTF-8",
                                    EncodeHintType.MARGIN,
                                    0));
        } catch (WriterException e) {
            throw new IllegalArgumentException("Text does not fit a QR code", e);
        }
        int n = matrix.getWidth();
        float module = size / (n + 2 * QUIET_MODULES);
        content.setNonStrokingColor(1f, 1f, 1f);
        content.addRect(x, y, size, size);
        content.fill();
        content.setNonStrokingColor(0f, 0f, 0f);
        float left = x + QUIET_MODULES * module;
        float top = y + size - QUIET_MODULES * module;
        for (int row = 0; row < n; row++) {
            int col = 0;
            while (col < n) {
                if (!matrix.get(col, row)) {
                    col++;
                    continue;
                }
                int start = col;
                while (col < n && matrix.get(col, row)) {
                    col++;
                }
                // One rectangle per run of dark modules keeps the page small.
                content.addRect(left + start * module, top - (row + 1) * module, (col - start) * module, module);
            }
        }
        content.fill();
    }
}
