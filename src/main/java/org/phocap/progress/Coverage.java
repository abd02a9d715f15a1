package org.phocap.progress;

import java.util.BitSet;

/**
 * The played part of a video timeline as 5-second buckets. A bucket counts as played when a
 * normally played interval covers at least half of it, so two consecutive 10-second intervals
 * mark four buckets and a one-second nudge marks nothing. Stored as a PostgreSQL bit string,
 * which ORs cheaply and takes one bit per bucket (a one-hour video: 90 bytes).
 */
final class Coverage {
    static final int BUCKET_SEC = 5;

    private Coverage() {}

    static int buckets(int durationSec) {
        return (durationSec + BUCKET_SEC - 1) / BUCKET_SEC;
    }

    /** Marks the buckets that [from, to) (seconds of the timeline) covers at least half of. */
    static void mark(BitSet bits, double from, double to, int durationSec) {
        double start = Math.max(0, from);
        double end = Math.min(durationSec, to);
        if (end <= start) {
            return;
        }
        for (int k = (int) (start / BUCKET_SEC); k < buckets(durationSec) && k * BUCKET_SEC < end; k++) {
            double bucketStart = k * BUCKET_SEC;
            double bucketEnd = Math.min(durationSec, bucketStart + BUCKET_SEC);
            double overlap = Math.min(end, bucketEnd) - Math.max(start, bucketStart);
            if (overlap >= (bucketEnd - bucketStart) / 2) {
                bits.set(k);
            }
        }
    }

    /** Seconds of the timeline inside marked buckets (the last bucket may be shorter than 5 s). */
    static int coveredSec(BitSet bits, int durationSec) {
        int total = 0;
        for (int k = bits.nextSetBit(0); k >= 0; k = bits.nextSetBit(k + 1)) {
            total += Math.min(BUCKET_SEC, durationSec - k * BUCKET_SEC);
        }
        return total;
    }

    static BitSet parse(String text) {
        BitSet bits = new BitSet(text.length());
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '1') {
                bits.set(i);
            }
        }
        return bits;
    }

    /** The bit-string literal PostgreSQL reads with {@code ::varbit}; always the lesson's full length. */
    static String format(BitSet bits, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = bits.get(i) ? '1' : '0';
        }
        return new String(chars);
    }
}
