package org.phocap.certificate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/** The certificate's fonts without the application: the common alphabet's subset made once, and the fallback. */
class CertificateFontsTest {
    static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");
    static final String URL = "https://phocap.example/verify/VP-26-000001?c=0123456789ABCDEF";

    static Certificate certificate(String holder) {
        return new Certificate(
                "VP-26-000001",
                1,
                1,
                1,
                1,
                holder,
                1990,
                "VP01",
                "Thôn Đồng Ước, xã Yên Lạc",
                "Kỹ năng số cơ bản",
                "Chiến dịch Chuyển đổi số «2026» – đợt 1",
                "Ủy ban nhân dân tỉnh Vĩnh Phúc",
                Instant.parse("2026-11-30T03:00:00Z"),
                null,
                null,
                "0123456789ABCDEF");
    }

    @Test
    void theVietnameseAlphabetIsCoveredWholeByTheCommonSubset() {
        String letters = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ";
        String all =
                letters + letters.toUpperCase(java.util.Locale.forLanguageTag("vi")) + "0123456789 .,;:!?-–—«»“”‘’()/₫";
        all.codePoints().forEach(c -> assertTrue(CertificateFonts.COMMON.get(c), "U+" + Integer.toHexString(c)));
    }

    @Test
    void aVietnameseCertificateCarriesTheCommonSubsetAndReadsAsWritten() throws Exception {
        byte[] pdf = CertificatePdf.render(certificate("Nguyễn Thị Hồng Nhung"), URL, ZONE);
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(doc);
            for (String expected : new String[] {
                "Nguyễn Thị Hồng Nhung",
                "GIẤY CHỨNG NHẬN",
                "Thôn Đồng Ước, xã Yên Lạc",
                "Chiến dịch Chuyển đổi số «2026» – đợt 1",
                "ỦY BAN NHÂN DÂN TỈNH VĨNH PHÚC",
                URL
            }) {
                assertTrue(text.contains(expected), expected + " in " + text);
            }
            Set<String> names = fontNames(doc.getPage(0));
            assertEquals(Set.of("PHOCVN+NotoSans-Regular", "PHOCVN+NotoSans-Bold"), names);
            // Every glyph drawn: a page that renders without a missing-glyph error.
            new PDFRenderer(doc).renderImageWithDPI(0, 36);
        }
    }

    @Test
    void aNameOutsideTheAlphabetGetsASubsetOfTheWholeFontMadeForIt() throws Exception {
        String holder = "Łukasz Żółć Σοφία";
        assertFalse(holder.codePoints().allMatch(CertificateFonts.COMMON::get));
        byte[] pdf = CertificatePdf.render(certificate(holder), URL, ZONE);
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            assertTrue(new PDFTextStripper().getText(doc).contains(holder));
            for (String name : fontNames(doc.getPage(0))) {
                assertTrue(name.matches("[A-Z]{6}\\+NotoSans-(Regular|Bold)") && !name.startsWith("PHOCVN+"), name);
            }
        }
        // And the next certificate on the same thread is back on the common subset.
        try (PDDocument doc = Loader.loadPDF(CertificatePdf.render(certificate("Trần Văn Đức"), URL, ZONE))) {
            assertTrue(fontNames(doc.getPage(0)).stream().allMatch(n -> n.startsWith("PHOCVN+")));
        }
    }

    @Test
    void aCharacterNeitherFaceHasPrintsAsAQuestionMarkInsteadOfFailingTheCertificate() throws Exception {
        // Rosters accept any letters; Noto Sans has no emoji and no Chinese characters.
        byte[] pdf = CertificatePdf.render(certificate("Trần 😀 王小明 Σοφία"), URL, ZONE);
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            assertTrue(new PDFTextStripper().getText(doc).contains("Trần ? ??? Σοφία"));
            new PDFRenderer(doc).renderImageWithDPI(0, 36);
        }
        // The verification URL is the operator's setting: shown as printable, carried exactly by the QR code.
        try (PDDocument doc = Loader.loadPDF(
                CertificatePdf.render(certificate("Lê Văn Tám"), "https://王.example/verify/1?c=AB", ZONE))) {
            assertTrue(new PDFTextStripper().getText(doc).contains("https://?.example/verify/1?c=AB"));
        }
        assertEquals("Trần ? ???", CertificateFonts.printable("Trần 😀 王小明"));
        assertEquals("Nguyễn Thị Ánh", CertificateFonts.printable("Nguyễn Thị Ánh"));
    }

    @Test
    void theSameCertificateGivesTheSameBytesOnAnyThreadAfterAnyOther() throws Exception {
        Certificate c = certificate("Phạm Thị Ngọc Ánh");
        byte[] first = CertificatePdf.render(c, URL, ZONE);
        CertificatePdf.render(certificate("Σοφία"), URL, ZONE);
        CertificatePdf.render(certificate("Lê Văn Tám"), URL, ZONE);
        assertArrayEquals(first, CertificatePdf.render(c, URL, ZONE));
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            assertArrayEquals(
                    first,
                    other.submit(() -> CertificatePdf.render(c, URL, ZONE)).get());
        } finally {
            other.shutdown();
        }
    }

    static Set<String> fontNames(PDPage page) throws Exception {
        Set<String> names = new HashSet<>();
        for (COSName n : page.getResources().getFontNames()) {
            PDFont font = page.getResources().getFont(n);
            assertTrue(font.isEmbedded(), font.getName());
            names.add(font.getName());
        }
        return names;
    }
}
