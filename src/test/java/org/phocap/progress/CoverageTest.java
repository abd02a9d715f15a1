package org.phocap.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The coverage bitmap alone: no application, no database. */
class CoverageTest {

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 1, 1.5, 2, 3, 5, 7.3, 15, 60})
    void contiguousIntervalsOfAnyLengthCoverTheWholeTimeline(double every) {
        int duration = 157;
        BitSet bits = new BitSet();
        double from = 0;
        while (from < duration) {
            double to = Math.min(duration, from + every);
            Coverage.mark(bits, from, to, duration);
            from = to;
        }
        assertEquals(duration, Coverage.coveredSec(bits, duration), "every " + every + " s");
    }

    @Test
    void partsNotPlayedStayUncoveredWithinHalfASecondAtEachEnd() {
        BitSet bits = new BitSet();
        // 10.5 s played: the buckets whose midpoints 10.5 … 20.5 it holds, 11 s.
        Coverage.mark(bits, 10.2, 20.7, 100);
        assertEquals(11, Coverage.coveredSec(bits, 100));
        assertTrue(bits.get(10) && bits.get(20) && !bits.get(9) && !bits.get(21), bits.toString());
        Coverage.mark(bits, 10.2, 20.7, 100);
        assertEquals(11, Coverage.coveredSec(bits, 100), "playing the same part again adds nothing");
        Coverage.mark(bits, 30, 30.4, 100);
        assertEquals(11, Coverage.coveredSec(bits, 100), "a nudge short of a midpoint marks nothing");
    }

    @Test
    void intervalsPastTheEndCountOnlyUpToTheEnd() {
        BitSet bits = new BitSet();
        Coverage.mark(bits, 0, 500, 30);
        assertEquals(30, Coverage.coveredSec(bits, 30));
        assertEquals(30, Coverage.format(bits, Coverage.buckets(30)).length());
        Coverage.mark(bits, 40, 50, 30);
        assertEquals(30, Coverage.coveredSec(bits, 30));
    }

    @Test
    void aOneHourVideoStaysWellUnderAKilobyte() {
        assertTrue(Coverage.buckets(3600) / 8 < 1024, "bits: " + Coverage.buckets(3600));
    }

    @Test
    void theTextFormRoundTrips() {
        BitSet bits = new BitSet();
        Coverage.mark(bits, 3, 9, 12);
        String text = Coverage.format(bits, Coverage.buckets(12));
        assertEquals("000111111000", text);
        assertEquals(bits, Coverage.parse(text));
    }
}
