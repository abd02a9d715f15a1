package org.phocap.certificate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TTFSubsetter;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * The certificate's two Noto Sans faces. Building a font subset and deflating it for every PDF was
 * most of a render's CPU; yet almost every certificate needs only the Vietnamese alphabet. So a
 * subset of that alphabet ({@link #COMMON}) is made once, embedded once per render thread into a
 * template document, and each certificate gets a copy of those finished font objects (their
 * streams copied as already-compressed bytes). A certificate whose text has a character outside
 * the alphabet falls back to a subset of the whole font built for it alone, as before.
 */
final class CertificateFonts {
    private static final byte[] REGULAR = font("NotoSans-Regular.ttf");
    private static final byte[] BOLD = font("NotoSans-Bold.ttf");

    /**
     * The alphabet every certificate can use without a font of its own: ASCII, Latin-1, Ă ă Đ đ
     * Ĩ ĩ Ũ ũ Ơ ơ Ư ư, the Vietnamese letters with tone marks (U+1EA0–U+1EF9), the combining tone
     * marks, the đồng sign and common punctuation; less anything either face lacks, so the
     * subset has every letter it promises.
     */
    static final BitSet COMMON;

    private static final byte[] REGULAR_COMMON;
    private static final byte[] BOLD_COMMON;

    static {
        // Each face parsed once here, for both the alphabet and its subset.
        try (TrueTypeFont regular = parse(REGULAR);
                TrueTypeFont bold = parse(BOLD)) {
            COMMON = alphabet(regular, bold);
            REGULAR_COMMON = subset(regular);
            BOLD_COMMON = subset(bold);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parsed fonts and PDFBox's font objects are not safe to share between threads: one kit per render thread. */
    private static final ThreadLocal<Kit> KITS = ThreadLocal.withInitial(Kit::new);

    private CertificateFonts() {}

    /** The two faces for one document: {@code regular} and {@code bold}, then {@link Pair#finish} once the page is drawn. */
    static Pair forDocument(PDDocument doc, String... texts) throws IOException {
        Kit kit = KITS.get();
        for (String text : texts) {
            if (text != null && !text.codePoints().allMatch(COMMON::get)) {
                return new Pair(PDType0Font.load(doc, kit.regular, true), PDType0Font.load(doc, kit.bold, true), false);
            }
        }
        return new Pair(kit.commonRegular, kit.commonBold, true);
    }

    /**
     * The text as both faces can print it: a character neither has (an emoji, a Chinese character
     * in a roster name) becomes '?', so one character can never leave a certificate unrenderable.
     */
    static String printable(String text) {
        Kit kit = null;
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (!COMMON.get(c)) {
                kit = kit == null ? KITS.get() : kit;
                if (!kit.has(c)) {
                    out.append('?');
                    continue;
                }
            }
            out.appendCodePoint(c);
        }
        return out.toString();
    }

    /** Fonts for one document; common ones belong to the thread's template until {@link #finish} copies them in. */
    record Pair(PDFont regular, PDFont bold, boolean common) {
        /**
         * Points the page's font resources at copies of the template's font objects, so the saved
         * document owns everything it writes (and the template is never touched by a writer).
         */
        void finish(PDPage page) {
            if (!common) {
                return;
            }
            COSDictionary fonts = page.getResources().getCOSObject().getCOSDictionary(COSName.FONT);
            if (fonts == null) {
                return;
            }
            Map<COSBase, COSBase> copies = new IdentityHashMap<>();
            for (COSName name : List.copyOf(fonts.keySet())) {
                fonts.setItem(name, copy(fonts.getDictionaryObject(name), copies));
            }
        }
    }

    /** A deep copy of a font's objects; streams keep their encoded bytes, so nothing is compressed again. */
    static COSBase copy(COSBase base, Map<COSBase, COSBase> copies) {
        COSBase object = base instanceof COSObject indirect ? indirect.getObject() : base;
        if (object == null) {
            return null;
        }
        COSBase done = copies.get(object);
        if (done != null) {
            return done;
        }
        try {
            if (object instanceof COSStream stream) {
                COSStream to = new COSStream();
                copies.put(object, to);
                for (Map.Entry<COSName, COSBase> e : stream.entrySet()) {
                    if (!COSName.LENGTH.equals(e.getKey())) {
                        to.setItem(e.getKey(), copy(e.getValue(), copies));
                    }
                }
                try (InputStream in = stream.createRawInputStream();
                        OutputStream out = to.createRawOutputStream()) {
                    in.transferTo(out);
                }
                return to;
            }
            if (object instanceof COSDictionary dictionary) {
                COSDictionary to = new COSDictionary();
                to.setDirect(object.isDirect());
                copies.put(object, to);
                for (Map.Entry<COSName, COSBase> e : dictionary.entrySet()) {
                    to.setItem(e.getKey(), copy(e.getValue(), copies));
                }
                return to;
            }
            if (object instanceof COSArray array) {
                COSArray to = new COSArray();
                to.setDirect(object.isDirect());
                copies.put(object, to);
                for (int i = 0; i < array.size(); i++) {
                    to.add(copy(array.get(i), copies));
                }
                return to;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Names, numbers, strings, booleans: immutable in use, shared as they are.
        return object;
    }

    /** One render thread's fonts: the whole faces (for the rare fallback) and the template with the common ones. */
    private static final class Kit {
        final TrueTypeFont regular = parse(REGULAR);
        final TrueTypeFont bold = parse(BOLD);
        // The template document stays open for the thread's life: its font objects' streams live in it.
        final PDDocument template = new PDDocument();
        final PDFont commonRegular = embedWhole(template, parse(REGULAR_COMMON));
        final PDFont commonBold = embedWhole(template, parse(BOLD_COMMON));

        boolean has(int codePoint) {
            try {
                return regular.getUnicodeCmapLookup().getGlyphId(codePoint) != 0
                        && bold.getUnicodeCmapLookup().getGlyphId(codePoint) != 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static PDFont embedWhole(PDDocument doc, TrueTypeFont ttf) {
        try {
            return PDType0Font.load(doc, ttf, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BitSet alphabet(TrueTypeFont regular, TrueTypeFont bold) throws IOException {
        BitSet set = wanted();
        for (int c = set.nextSetBit(0); c >= 0; c = set.nextSetBit(c + 1)) {
            if (regular.getUnicodeCmapLookup().getGlyphId(c) == 0
                    || bold.getUnicodeCmapLookup().getGlyphId(c) == 0) {
                set.clear(c);
            }
        }
        return set;
    }

    private static BitSet wanted() {
        BitSet set = new BitSet();
        set.set(0x20, 0x7F);
        set.set(0xA0, 0x100);
        for (int c : new int[] {
            0x102, 0x103, 0x110, 0x111, 0x128, 0x129, 0x168, 0x169, 0x1A0, 0x1A1, 0x1AF, 0x1B0, 0x300, 0x301, 0x303,
            0x309, 0x323, 0x20AB
        }) {
            set.set(c);
        }
        set.set(0x1EA0, 0x1EFA);
        set.set(0x2010, 0x2027);
        return set;
    }

    /** The common alphabet's subset of a face, named as PDF wants a subset named (a six-letter tag and '+'). */
    private static byte[] subset(TrueTypeFont face) throws IOException {
        TTFSubsetter subsetter = new TTFSubsetter(
                face, List.of("head", "hhea", "loca", "maxp", "glyf", "hmtx", "cmap", "OS/2", "post", "name"));
        subsetter.setPrefix("PHOCVN+");
        COMMON.stream().forEach(subsetter::add);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        subsetter.writeToStream(out);
        return out.toByteArray();
    }

    private static byte[] font(String name) {
        try (InputStream in = CertificateFonts.class.getResourceAsStream("/certificate/fonts/" + name)) {
            if (in == null) {
                throw new IllegalStateException("Font " + name + " is missing from the application");
            }
            return FontTables.withoutHinting(FontTables.withoutGlyphSubstitution(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TrueTypeFont parse(byte[] bytes) {
        try {
            return new TTFParser().parse(new RandomAccessReadBuffer(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
