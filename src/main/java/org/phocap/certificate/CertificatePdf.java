package org.phocap.certificate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.Locale;
import java.util.TimeZone;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;

/**
 * Draws a certificate as an A4 landscape PDF in Vietnamese with the embedded Noto Sans (subset), and a
 * QR code of its verification URL. Blocking and CPU-bound: call it on a worker thread. Everything
 * that could vary between runs (dates, document id) is derived from the certificate, so the same
 * certificate always gives the same bytes.
 */
public final class CertificatePdf {
    private static final float WIDTH = PDRectangle.A4.getHeight();
    private static final float HEIGHT = PDRectangle.A4.getWidth();
    private static final float[] RED = {0.62f, 0.09f, 0.11f};
    private static final float[] BLUE = {0.08f, 0.20f, 0.45f};
    private static final float[] INK = {0.1f, 0.1f, 0.1f};

    private CertificatePdf() {}

    public static byte[] render(Certificate c, String verifyUrl, ZoneId zone) {
        try (PDDocument doc = new PDDocument()) {
            String holder = clean(c.holderName());
            String locality = clean(c.localityName());
            String course = clean(c.courseTitle());
            String campaign = clean(c.campaignName());
            String body = upper(c.issuingBody());
            // The URL comes from the operator's setting; the QR code below carries it exactly.
            String url = clean(verifyUrl);
            CertificateFonts.Pair fonts =
                    CertificateFonts.forDocument(doc, holder, locality, course, campaign, body, c.serial(), url);
            PDFont regular = fonts.regular();
            PDFont bold = fonts.bold();
            PDPage page = new PDPage(new PDRectangle(WIDTH, HEIGHT));
            doc.addPage(page);
            ZonedDateTime issued = c.issuedAt().atZone(zone);
            try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
                frame(s);
                centred(s, bold, 12, INK, body, 215, 530, 330);
                centred(s, bold, 11, INK, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 610, 530, 330);
                centred(s, regular, 11, INK, "Độc lập - Tự do - Hạnh phúc", 610, 514, 330);
                centred(s, bold, 34, RED, "GIẤY CHỨNG NHẬN", WIDTH / 2, 440, 700);
                centred(s, bold, 16, INK, "HOÀN THÀNH KHÓA HỌC", WIDTH / 2, 412, 700);
                centred(s, regular, 14, INK, "Chứng nhận Ông/Bà", WIDTH / 2, 374, 700);
                centred(s, bold, 28, BLUE, holder, WIDTH / 2, 338, 700);
                String born = c.birthYear() == null ? "" : "Năm sinh: " + c.birthYear() + "      ";
                centred(s, regular, 13, INK, born + "Nơi cư trú: " + locality, WIDTH / 2, 306, 700);
                centred(s, regular, 13, INK, "Đã hoàn thành khóa học", WIDTH / 2, 272, 700);
                centred(s, bold, 18, BLUE, course, WIDTH / 2, 248, 700);
                centred(s, regular, 13, INK, "Thuộc chương trình: " + campaign, WIDTH / 2, 220, 700);
                centred(
                        s,
                        regular,
                        12,
                        INK,
                        String.format(
                                Locale.ROOT,
                                "Ngày %02d tháng %02d năm %d",
                                issued.getDayOfMonth(),
                                issued.getMonthValue(),
                                issued.getYear()),
                        610,
                        160,
                        330);
                centred(s, bold, 12, INK, body, 610, 142, 330);
                QrCodes.draw(s, verifyUrl, 56, 48, 104);
                left(s, bold, 13, INK, "Số hiệu: " + c.serial(), 172, 126, 300);
                left(s, regular, 10, INK, "Quét mã QR hoặc mở địa chỉ dưới đây để kiểm tra:", 172, 106, 300);
                left(s, regular, 10, BLUE, url, 172, 92, 300);
            }
            fonts.finish(page);
            metadata(doc, c, issued);
            ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
            // Page content and fonts are compressed streams already; packing the few small
            // dictionaries into a compressed object stream as well cost a quarter of a render for
            // about 3 KB.
            doc.save(out, CompressParameters.NO_COMPRESSION);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("Certificate " + c.serial() + " could not be rendered", e);
        }
    }

    private static void frame(PDPageContentStream s) throws IOException {
        s.setStrokingColor(RED[0], RED[1], RED[2]);
        s.setLineWidth(3);
        s.addRect(24, 24, WIDTH - 48, HEIGHT - 48);
        s.stroke();
        s.setLineWidth(0.8f);
        s.addRect(32, 32, WIDTH - 64, HEIGHT - 64);
        s.stroke();
        s.setStrokingColor(INK[0], INK[1], INK[2]);
        s.setLineWidth(0.6f);
        s.moveTo(555, 503);
        s.lineTo(665, 503);
        s.stroke();
    }

    /** Text centred on x; a long line is set smaller until it fits maxWidth. */
    private static void centred(
            PDPageContentStream s,
            PDFont font,
            float size,
            float[] colour,
            String text,
            float x,
            float y,
            float maxWidth)
            throws IOException {
        float fitted = fit(font, size, text, maxWidth);
        float width = font.getStringWidth(text) / 1000 * fitted;
        show(s, font, fitted, colour, text, x - width / 2, y);
    }

    private static void left(
            PDPageContentStream s,
            PDFont font,
            float size,
            float[] colour,
            String text,
            float x,
            float y,
            float maxWidth)
            throws IOException {
        show(s, font, fit(font, size, text, maxWidth), colour, text, x, y);
    }

    private static float fit(PDFont font, float size, String text, float maxWidth) throws IOException {
        float width = font.getStringWidth(text) / 1000 * size;
        return width <= maxWidth ? size : Math.max(6, size * maxWidth / width);
    }

    private static void show(
            PDPageContentStream s, PDFont font, float size, float[] colour, String text, float x, float y)
            throws IOException {
        s.beginText();
        s.setNonStrokingColor(colour[0], colour[1], colour[2]);
        s.setFont(font, size);
        s.newLineAtOffset(x, y);
        s.showText(text);
        s.endText();
    }

    private static void metadata(PDDocument doc, Certificate c, ZonedDateTime issued) {
        PDDocumentInformation info = doc.getDocumentInformation();
        info.setTitle("Giấy chứng nhận " + c.serial());
        info.setAuthor(c.issuingBody());
        info.setSubject(c.courseTitle());
        info.setCreator("phocap");
        info.setProducer("phocap");
        Calendar at = GregorianCalendar.from(issued.withZoneSameInstant(ZoneId.of("UTC")));
        at.setTimeZone(TimeZone.getTimeZone("UTC"));
        info.setCreationDate(at);
        info.setModificationDate(at);
        // Without an /ID the writer makes one from the clock; this one comes from the serial.
        byte[] id = md5(c.serial());
        COSArray ids = new COSArray();
        ids.add(new COSString(id));
        ids.add(new COSString(id));
        doc.getDocument().getTrailer().setItem(COSName.ID, ids);
    }

    private static String upper(String text) {
        // Printable again: an upper-case letter is not always in the font when its lower case is.
        return CertificateFonts.printable(clean(text).toUpperCase(Locale.forLanguageTag("vi")));
    }

    /**
     * Control characters have no glyph: a stray tab or newline in a roster name must not break the
     * render; nor may a character the fonts lack (it prints as '?').
     */
    private static String clean(String text) {
        return text == null
                ? ""
                : CertificateFonts.printable(text.replaceAll("\\p{Cntrl}", " ").strip());
    }

    private static byte[] md5(String text) {
        try {
            return MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
