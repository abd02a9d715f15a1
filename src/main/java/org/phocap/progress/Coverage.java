package org.phocap.progress;

import java.util.BitSet;

/**
 * The played part of a video timeline as 1-second buckets. A bucket counts as played when a
 * normally played interval covers its midpoint. Consecutive intervals of one playback are
 * contiguous, so together they cover every midpoint of the part that was played, whatever the
 * player's reporting interval (every 0.5 s or every 60 s gives the same bitmap); an interval over-
 * or under-counts by at most half a second at each of its ends. Stored as a PostgreSQL bit string,
 * which ORs cheaply and takes one bit per second (a one-hour video: 450 bytes).
 */
final class Coverage {
    static final int BUCKET_SEC = 1;

    private Coverage() {}

    static int buckets(int durationSec) {
        return (durationSec + BUCKET_SEC - 1) / BUCKET_SEC;
    }

    /** Marks the buckets whose midpoint lies in [from, to) (seconds of the timeline, clamped to the lesson). */
    static void mark(BitSet bits, double from, double to, int durationSec) {
        double start = Math.max(0, from);
        double end = Math.min(durationSec, to);
        if (end <= start) {
            return;
        }
        int first = (int) Math.ceil(start / BUCKET_SEC - 0.5);
        int count = buckets(durationSec);
        for (int k = Math.max(0, first); k < count; k++) {
            double mid = Math.min((k + 0.5) * BUCKET_SEC, (k * BUCKET_SEC + durationSec) / 2.0);
            if (mid >= end) {
                break;
            }
            if (mid >= start) {
                bits.set(k);
            }
        }
    }

    /** Seconds of the timeline inside marked buckets (the last bucket may be shorter than a bucket). */
    static int coveredSec(BitSet bits, int durationSec) {
        int total = 0;
        for (int k = bits.nextSetBit(0); k >= 0 && k < buckets(durationSec); k = bits.nextSetBit(k + 1)) {
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
