package org.phocap.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.phocap.integrity.DeviceSeen;
import org.phocap.integrity.IntegritySignal;

/** The pace bookkeeping of a batch, without a database: observed time, the day's credit, device moments. */
class HeartbeatBatchPaceTest {
    static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");
    static final PaceLimits LIMITS = new PaceLimits(ZONE, 36_000, 0.5);
    static final LessonMeta READING = new LessonMeta(7, 3, "READING", 60, 0.5);
    static final Instant NOON = Instant.parse("2026-11-30T05:00:00Z");

    final Map<HeartbeatBatch.LearnerLesson, ProgressState> states = new HashMap<>();
    final Map<Long, HeartbeatBatch.Presence> presences = new HashMap<>();

    HeartbeatBatch apply(String device, Instant at, boolean replay, List<Heartbeat> beats) {
        HeartbeatBatch batch = new HeartbeatBatch(states, presences, LIMITS);
        List<HeartbeatBatch.Item> items =
                beats.stream().map(h -> new HeartbeatBatch.Item(h, READING)).toList();
        batch.apply(List.of(new HeartbeatBatch.Submission(1, device, at, replay, items)));
        return batch;
    }

    static List<Heartbeat> session(String id, Instant from, int stepSec, int count) {
        List<Heartbeat> beats = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            beats.add(new Heartbeat(
                    READING.lessonId(), id, (long) i + 1, 0.0, true, from.plusSeconds((long) stepSec * i)));
        }
        return beats;
    }

    ProgressState state() {
        return states.get(new HeartbeatBatch.LearnerLesson(1, READING.lessonId()));
    }

    @Test
    void aReplayIsObservedOnlyAsFarAsTheTimeSinceTheLearnerWasLastHeard() {
        HeartbeatBatch first = apply("d", NOON, true, session("forged", NOON.minusSeconds(60), 10, 7));
        assertEquals(60, state().creditedSec, 1e-9);
        assertEquals(0, state().observedSec, 1e-9, "the server had never heard of the learner");
        assertEquals(
                "lesson-7", first.signals.get(0).get(0).reason(), "a lesson completed with nothing observed is a sign");
        // 20 s later another replayed session of 60 s: 20 s of it observed.
        apply("d", NOON.plusSeconds(20), true, session("more", NOON.minusSeconds(40), 10, 7));
        assertEquals(120, state().creditedSec, 1e-9);
        assertEquals(20, state().observedSec, 1e-9);
    }

    @Test
    void liveStudyIsObservedAsItIsCredited() {
        apply("d", NOON, false, List.of(new Heartbeat(7L, "s", 1L, 0.0, true, NOON)));
        HeartbeatBatch second = apply(
                "d", NOON.plusSeconds(10), false, List.of(new Heartbeat(7L, "s", 2L, 0.0, true, NOON.plusSeconds(10))));
        assertEquals(10, state().creditedSec, 1e-9);
        assertEquals(10, state().observedSec, 1e-9);
        assertTrue(second.signals.get(0).isEmpty());
        assertNull(second.devices.get(0), "same device, same day: no device moment");
    }

    @Test
    void theDaysCreditCrossingTheLimitIsASignOnceAndANewDayStartsAtZero() {
        presences.put(
                1L,
                new HeartbeatBatch.Presence(
                        1, "d", "x", NOON.minusSeconds(5), LocalDate.ofInstant(NOON, ZONE), 35_990, 1));
        HeartbeatBatch at = apply("d", NOON, true, session("a", NOON.minusSeconds(100), 10, 2));
        assertEquals(36_000, presences.get(1L).dayCreditedSec(), 1e-9);
        assertTrue(
                at.signals.get(0).stream().noneMatch(s -> s.reason().startsWith("day-")),
                "at the limit is not beyond it");
        HeartbeatBatch over = apply("d", NOON.plusSeconds(1), true, session("b", NOON.minusSeconds(50), 1, 2));
        List<IntegritySignal> day = over.signals.get(0).stream()
                .filter(s -> s.reason().equals("day-2026-11-30"))
                .toList();
        assertEquals(1, day.size());
        assertEquals("IMPLAUSIBLE_PACE", day.get(0).kind());
        HeartbeatBatch again = apply("d", NOON.plusSeconds(2), true, session("c", NOON.minusSeconds(40), 1, 2));
        assertTrue(again.signals.get(0).stream().noneMatch(s -> s.reason().startsWith("day-")), "once a day");
        // Past midnight in the province (17:00 UTC), the count starts again.
        Instant nextDay = Instant.parse("2026-11-30T17:00:01Z");
        HeartbeatBatch tomorrow = apply("d", nextDay, false, List.of(new Heartbeat(7L, "z", 1L, 0.0, true, nextDay)));
        assertEquals(LocalDate.parse("2026-12-01"), presences.get(1L).day());
        assertEquals(0, presences.get(1L).dayCreditedSec(), 1e-9);
        DeviceSeen moment = tomorrow.devices.get(0);
        assertFalse(moment.switched(), "a new day on the same device is a moment, not a switch");
    }

    @Test
    void anotherDeviceIsASwitchAndARefusalIsRecorded() {
        apply("phone", NOON, false, List.of(new Heartbeat(7L, "s", 1L, 0.0, true, NOON)));
        HeartbeatBatch refused = apply(
                "tablet",
                NOON.plusSeconds(30),
                false,
                List.of(new Heartbeat(7L, "t", 1L, 0.0, true, NOON.plusSeconds(30))));
        assertTrue(refused.devices.get(0).refused());
        HeartbeatBatch switched = apply(
                "tablet",
                NOON.plusSeconds(61),
                false,
                List.of(new Heartbeat(7L, "t", 2L, 0.0, true, NOON.plusSeconds(61))));
        assertTrue(switched.devices.get(0).switched());
    }
}
