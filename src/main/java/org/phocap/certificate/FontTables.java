package org.phocap.certificate;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Two edits of a TrueType font's bytes, made once in memory when the certificate fonts load (the
 * shipped files are untouched). Both keep every outline and metric: a PDF draws the same glyphs.
 */
final class FontTables {
    private static final Set<String> HINTING = Set.of("fpgm", "prep", "cvt ");

    private FontTables() {}

    /**
     * Hides the font's GSUB table by renaming its tag in the table directory. PDFBox otherwise
     * applies Latin ligature rules to every line it draws, compiling regular expressions each time:
     * most of a render's CPU. Vietnamese needs no glyph substitution (Noto Sans has every
     * precomposed letter), and without "fi"-style ligatures the text extracts exactly as written.
     */
    static byte[] withoutGlyphSubstitution(byte[] ttf) {
        int tables = u16(ttf, 4);
        for (int i = 0; i < tables; i++) {
            if (tag(ttf, i).equals("GSUB")) {
                ttf[12 + 16 * i] = 'x';
            }
        }
        return ttf;
    }

    /**
     * The same font with every glyph's hinting instructions removed (42 % of Noto Sans' outlines).
     * Hints fit outlines to a screen's pixel grid at small sizes; PDF viewers and printers do not
     * need them, and every certificate carries its fonts, so they are only weight. The glyph table
     * is rewritten without them and the location table with long offsets, and the tables only
     * hinting reads (fpgm, prep, cvt) are left out.
     */
    static byte[] withoutHinting(byte[] ttf) {
        int tables = u16(ttf, 4);
        int head = -1;
        int maxp = -1;
        int loca = -1;
        int glyf = -1;
        for (int i = 0; i < tables; i++) {
            switch (tag(ttf, i)) {
                case "head" -> head = i;
                case "maxp" -> maxp = i;
                case "loca" -> loca = i;
                case "glyf" -> glyf = i;
                default -> {}
            }
        }
        if (head < 0 || maxp < 0 || loca < 0 || glyf < 0) {
            throw new IllegalArgumentException("not a TrueType font with outlines");
        }
        int glyphs = u16(ttf, offset(ttf, maxp) + 4);
        boolean longOffsets = u16(ttf, offset(ttf, head) + 50) == 1;
        int glyfStart = offset(ttf, glyf);
        int locaStart = offset(ttf, loca);
        ByteBuffer newGlyf = ByteBuffer.allocate(length(ttf, glyf) + 4 * glyphs);
        ByteBuffer newLoca = ByteBuffer.allocate(4 * (glyphs + 1));
        for (int g = 0; g < glyphs; g++) {
            int from = glyfStart + location(ttf, locaStart, g, longOffsets);
            int to = glyfStart + location(ttf, locaStart, g + 1, longOffsets);
            newLoca.putInt(newGlyf.position());
            if (to > from) {
                stripGlyph(ttf, from, to, newGlyf);
                while (newGlyf.position() % 4 != 0) {
                    newGlyf.put((byte) 0);
                }
            }
        }
        newLoca.putInt(newGlyf.position());

        // The same tables in the same order but the hinting ones, glyf and loca replaced, each on a 4-byte boundary.
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < tables; i++) {
            if (!HINTING.contains(tag(ttf, i))) {
                kept.add(i);
            }
        }
        byte[][] bodies = new byte[tables][];
        for (int i : kept) {
            bodies[i] = i == glyf
                    ? Arrays.copyOf(newGlyf.array(), newGlyf.position())
                    : i == loca
                            ? newLoca.array()
                            : Arrays.copyOfRange(ttf, offset(ttf, i), offset(ttf, i) + length(ttf, i));
        }
        bodies[head][50] = 0;
        bodies[head][51] = 1; // indexToLocFormat: long offsets
        bodies[head][8] = bodies[head][9] = bodies[head][10] = bodies[head][11] = 0; // checkSumAdjustment
        int size = 12 + 16 * kept.size();
        for (int i : kept) {
            size += (bodies[i].length + 3) & ~3;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put(ttf, 0, 4);
        out.putShort((short) kept.size());
        out.put(ttf, 6, 6); // search hints: read by no parser that matters here
        int at = 12 + 16 * kept.size();
        for (int i : kept) {
            out.put(ttf, 12 + 16 * i, 4);
            out.putInt((int) checksum(bodies[i]));
            out.putInt(at);
            out.putInt(bodies[i].length);
            at += (bodies[i].length + 3) & ~3;
        }
        for (int i : kept) {
            out.put(bodies[i]);
            while (out.position() % 4 != 0) {
                out.put((byte) 0);
            }
        }
        return out.array();
    }

    /** Copies one glyph without its instructions: simple glyphs keep their contours, compound ones their components. */
    private static void stripGlyph(byte[] ttf, int from, int to, ByteBuffer out) {
        short contours = (short) u16(ttf, from);
        if (contours >= 0) {
            int lengthAt = from + 10 + 2 * contours;
            int instructions = u16(ttf, lengthAt);
            out.put(ttf, from, lengthAt - from);
            out.putShort((short) 0);
            int rest = lengthAt + 2 + instructions;
            out.put(ttf, rest, to - rest);
            return;
        }
        out.put(ttf, from, 10);
        int p = from + 10;
        int flags;
        do {
            flags = u16(ttf, p);
            int size = 4 + ((flags & 0x0001) != 0 ? 4 : 2);
            if ((flags & 0x0080) != 0) {
                size += 8;
            } else if ((flags & 0x0040) != 0) {
                size += 4;
            } else if ((flags & 0x0008) != 0) {
                size += 2;
            }
            out.putShort((short) (flags & ~0x0100)); // WE_HAVE_INSTRUCTIONS off
            out.put(ttf, p + 2, size - 2);
            p += size;
        } while ((flags & 0x0020) != 0); // MORE_COMPONENTS
    }

    /** The tag of the table directory's entry {@code table}. */
    private static String tag(byte[] ttf, int table) {
        return new String(ttf, 12 + 16 * table, 4, StandardCharsets.ISO_8859_1);
    }

    private static int location(byte[] ttf, int loca, int glyph, boolean longOffsets) {
        return longOffsets ? ByteBuffer.wrap(ttf, loca + 4 * glyph, 4).getInt() : 2 * u16(ttf, loca + 2 * glyph);
    }

    private static int offset(byte[] ttf, int table) {
        return ByteBuffer.wrap(ttf, 12 + 16 * table + 8, 4).getInt();
    }

    private static int length(byte[] ttf, int table) {
        return ByteBuffer.wrap(ttf, 12 + 16 * table + 12, 4).getInt();
    }

    private static long checksum(byte[] body) {
        long sum = 0;
        for (int i = 0; i < body.length; i += 4) {
            long word = 0;
            for (int j = 0; j < 4; j++) {
                word = (word << 8) | (i + j < body.length ? body[i + j] & 0xff : 0);
            }
            sum = (sum + word) & 0xffffffffL;
        }
        return sum;
    }

    private static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }
}
