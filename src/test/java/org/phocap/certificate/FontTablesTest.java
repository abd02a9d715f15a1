package org.phocap.certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.PathIterator;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.fontbox.ttf.GlyphData;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.junit.jupiter.api.Test;

/** The font edits, checked glyph by glyph against the shipped fonts. */
class FontTablesTest {
    static byte[] shipped(String name) throws Exception {
        try (InputStream in = FontTablesTest.class.getResourceAsStream("/certificate/fonts/" + name)) {
            return in.readAllBytes();
        }
    }

    static TrueTypeFont parse(byte[] bytes) throws Exception {
        return new TTFParser().parse(new RandomAccessReadBuffer(bytes));
    }

    @Test
    void withoutHintingEveryGlyphHasTheSameOutlineAndWidthAndNoInstructions() throws Exception {
        for (String name : List.of("NotoSans-Regular.ttf", "NotoSans-Bold.ttf")) {
            byte[] original = shipped(name);
            byte[] stripped = FontTables.withoutHinting(original.clone());
            assertTrue(
                    stripped.length < original.length * 0.8, name + ": " + stripped.length + " of " + original.length);
            try (TrueTypeFont before = parse(original);
                    TrueTypeFont after = parse(stripped)) {
                assertEquals(before.getNumberOfGlyphs(), after.getNumberOfGlyphs());
                assertNull(after.getTableMap().get("fpgm"));
                assertNull(after.getTableMap().get("prep"));
                assertNull(after.getTableMap().get("cvt "));
                long hinted = 0;
                for (int gid = 0; gid < before.getNumberOfGlyphs(); gid++) {
                    GlyphData a = before.getGlyph().getGlyph(gid);
                    GlyphData b = after.getGlyph().getGlyph(gid);
                    assertEquals(a == null, b == null, name + " glyph " + gid);
                    if (a != null) {
                        assertEquals(outline(a), outline(b), name + " glyph " + gid);
                        assertEquals(0, instructionBytes(stripped, after, gid), name + " glyph " + gid);
                        hinted += instructionBytes(original, before, gid);
                    }
                    assertEquals(before.getAdvanceWidth(gid), after.getAdvanceWidth(gid));
                }
                assertTrue(hinted > 100_000, name + " had " + hinted + " bytes of instructions");
                assertEquals(
                        before.getUnicodeCmapLookup().getGlyphId('Ữ'),
                        after.getUnicodeCmapLookup().getGlyphId('Ữ'));
            }
        }
    }

    @Test
    void withoutGlyphSubstitutionHidesOnlyTheGsubTable() throws Exception {
        byte[] original = shipped("NotoSans-Regular.ttf");
        try (TrueTypeFont before = parse(original);
                TrueTypeFont after = parse(FontTables.withoutGlyphSubstitution(original.clone()))) {
            assertTrue(before.getTableMap().containsKey("GSUB"));
            assertFalse(after.getTableMap().containsKey("GSUB"));
            List<String> rest = new ArrayList<>(before.getTableMap().keySet());
            rest.remove("GSUB");
            assertTrue(after.getTableMap().keySet().containsAll(rest));
        }
    }

    /** A simple glyph's instruction length, read from the font's bytes; for a compound one, 1 if any component says it has some. */
    static int instructionBytes(byte[] font, TrueTypeFont ttf, int gid) throws java.io.IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(font);
        int at = (int) (ttf.getTableMap().get("glyf").getOffset()
                + ttf.getIndexToLocation().getOffsets()[gid]);
        short contours = b.getShort(at);
        if (contours >= 0) {
            return b.getShort(at + 10 + 2 * contours) & 0xffff;
        }
        int p = at + 10;
        int flags;
        do {
            flags = b.getShort(p) & 0xffff;
            if ((flags & 0x0100) != 0) {
                return 1;
            }
            p += 4
                    + ((flags & 1) != 0 ? 4 : 2)
                    + ((flags & 0x80) != 0 ? 8 : (flags & 0x40) != 0 ? 4 : (flags & 8) != 0 ? 2 : 0);
        } while ((flags & 0x20) != 0);
        return 0;
    }

    /** The glyph's path as drawn: every segment type and coordinate. */
    static List<String> outline(GlyphData glyph) throws java.io.IOException {
        List<String> segments = new ArrayList<>();
        double[] c = new double[6];
        for (PathIterator it = glyph.getPath().getPathIterator(null); !it.isDone(); it.next()) {
            int type = it.currentSegment(c);
            segments.add(type + ":" + c[0] + "," + c[1] + "," + c[2] + "," + c[3] + "," + c[4] + "," + c[5]);
        }
        return segments;
    }
}
