package org.phocap.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The credit rules alone (docs/progress-credit.md): no application, no database. */
class CreditRulesTest {
    static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    static final LessonMeta VIDEO = new LessonMeta(1, 1, "VIDEO", 300, 0.9);
    static final LessonMeta READING = new LessonMeta(2, 1, "READING", 300, 0.8);

    static Heartbeat beat(long seq, double clientSec, double position, boolean playing) {
        return new Heartbeat(1L, "s1", seq, position, playing, T0.plusMillis((long) (clientSec * 1000)));
    }

    /** A state whose session already reported at client time 0, position {@code position}. */
    static ProgressState anchored(LessonMeta lesson, double position, boolean playing) {
        ProgressState s = new ProgressState(7, lesson);
        CreditRules.apply(s, beat(1, 0, position, playing), "phone", Double.POSITIVE_INFINITY);
        return s;
    }

    @ParameterizedTest(name = "video: client {0} s, server bound {1} s, position 30 → {2}: credit {3}")
    @CsvSource({
        // client, server bound, new position, expected credit
        "10, 12, 40, 10", // normal play: the advance
        "10, 8, 39, 8", // the server saw less time pass: its bound
        "10, 5, 40, 0", // the position ran ahead of the server's clock: nothing
        "10, 12, 35, 5", // the position moved less: the advance
        "90, 92, 120, 60", // a long interval: capped at 60 s
        "10, 12, 60, 0", // 30 s of position in 10 s: faster than play, nothing
        "10, 12, 42, 10", // 12 s in 10 s: within 1.1 × 10 + 1, credited up to the clock
        "10, 12, 25, 0", // backwards: a seek, nothing
        "10, 12, 30, 0", // paused in place: nothing
        "-5, 12, 40, 0", // the client's clock went back: nothing
    })
    void videoCreditIsTheLeastOfServerClientAndPositionCappedAtAMinute(
            double client, double serverBound, double position, double expected) {
        ProgressState s = anchored(VIDEO, 30, true);
        double credit = CreditRules.apply(s, beat(2, client, position, true), "phone", serverBound);
        assertEquals(expected, credit, 1e-9);
        assertEquals(expected, s.creditedSec, 1e-9);
    }

    @ParameterizedTest(name = "reading: was playing {0}, now playing {1} → credit {2}")
    @CsvSource({"true, true, 15", "true, false, 0", "false, true, 0", "false, false, 0"})
    void readingCreditsTheWindowOnlyWhileThePageStaysActive(boolean before, boolean now, double expected) {
        ProgressState s = anchored(READING, 0, before);
        assertEquals(expected, CreditRules.apply(s, beat(2, 15, 0, now), "phone", 20), 1e-9);
    }

    @Test
    void theFirstHeartbeatOfASessionCreditsNothingAndAReplayChangesNothing() {
        ProgressState s = new ProgressState(7, VIDEO);
        assertEquals(0, CreditRules.apply(s, beat(5, 0, 10, true), "phone", 100), 1e-9);
        assertEquals(10, CreditRules.apply(s, beat(6, 10, 20, true), "phone", 100), 1e-9);
        for (long seq : new long[] {6, 5, 1}) {
            assertEquals(-1, CreditRules.apply(s, beat(seq, 20, 30, true), "phone", 100), "seq " + seq);
        }
        assertEquals(10, s.creditedSec, 1e-9);
        assertEquals(6, s.lastSeq);
        // A new session starts again from nothing: its first heartbeat is only an anchor.
        Heartbeat other = new Heartbeat(1L, "s2", 1L, 25.0, true, T0.plusSeconds(30));
        assertEquals(0, CreditRules.apply(s, other, "phone", 100), 1e-9);
    }

    @Test
    void aPositionPastTheEndIsTheEndAndCreditsNothingBeyondIt() {
        ProgressState s = anchored(VIDEO, 295, true);
        assertEquals(5, CreditRules.apply(s, beat(2, 10, 310, true), "phone", 12), 1e-9);
        assertEquals(300, s.lastPosition, 1e-9);
    }

    @ParameterizedTest(name = "video covered {0} s of 300 with minCoverage 0.9 → complete {1}")
    @CsvSource({"269, false", "270, true", "300, true"})
    void videoCompletionFollowsCoverage(int covered, boolean complete) {
        ProgressState s = new ProgressState(7, VIDEO);
        Coverage.mark(s.coverage, 0, covered, 300);
        assertEquals(complete, CreditRules.meetsCompletion(s));
    }

    @ParameterizedTest(name = "reading credited {0} s of 300 with minCoverage 0.8 → complete {1}")
    @CsvSource({"239.9, false", "240, true"})
    void readingCompletionFollowsCredit(double credited, boolean complete) {
        ProgressState s = new ProgressState(7, READING);
        s.creditedSec = credited;
        assertEquals(complete, CreditRules.meetsCompletion(s));
    }

    @Test
    void theServerBoundIsElapsedTimePlusTwoSecondsAndNothingWithoutAnAnchor() {
        ProgressState s = new ProgressState(7, VIDEO);
        assertEquals(0, CreditRules.serverBound(s, T0), 1e-9);
        s.lastServerAt = T0;
        assertEquals(12, CreditRules.serverBound(s, T0.plusSeconds(10)), 1e-9);
        assertTrue(CreditRules.SERVER_TOLERANCE_SEC > 0);
        assertFalse(CreditRules.meetsCompletion(s));
    }
}
