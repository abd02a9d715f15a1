package org.phocap.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A batch's one-device rule and credit, without a database: another device is refused for 60 s. */
class HeartbeatBatchDeviceTest {
    static final PaceLimits LIMITS = new PaceLimits(ZoneId.of("Asia/Ho_Chi_Minh"), 36_000, 0.5);
    static final LessonMeta READING = new LessonMeta(7, 3, "READING", 600, 0.5);
    static final Instant T0 = Instant.parse("2026-11-30T05:00:00Z");

    @ParameterizedTest(name = "phone at 0 s, then {0} at {1} s → {2}")
    @CsvSource({
        "phone,  10, credited",
        "phone,  90, credited",
        "tablet, 10, concurrent-session",
        "tablet, 59, concurrent-session",
        "tablet, 60, accepted", // the other device has been quiet for the whole window
        "tablet, 600, accepted",
    })
    void anotherDeviceIsRefusedWhileTheFirstStudied(String device, int atSec, String expected) {
        Map<HeartbeatBatch.LearnerLesson, ProgressState> states = new HashMap<>();
        Map<Long, HeartbeatBatch.Presence> presences = new HashMap<>();
        submit(states, presences, "phone", T0, "s1", 1);
        Instant at = T0.plusSeconds(atSec);
        HeartbeatBatch batch = new HeartbeatBatch(states, presences, LIMITS);
        String session = device.equals("phone") ? "s1" : "s2";
        HeartbeatBatch.Outcome outcome =
                batch.apply(List.of(submission(device, at, session, 2))).get(0).get(0);
        ProgressState state = states.get(new HeartbeatBatch.LearnerLesson(1, READING.lessonId()));
        switch (expected) {
            case "concurrent-session" -> {
                assertNull(outcome.result());
                assertEquals(409, outcome.problem().toProblem().status());
                assertEquals(0, state.creditedSec, 1e-9, "nothing credited");
                assertNotNull(batch.devices.get(0), "the refusal is a device moment");
                assertEquals(0, batch.changedPresences.size(), "the studying device keeps the account");
            }
            case "credited" -> {
                assertNull(outcome.problem());
                assertEquals(Math.min(atSec, 60), outcome.result().creditedSec(), 1e-9);
            }
            default -> {
                // Accepted from the other device: a new session, whose first heartbeat is only an anchor.
                assertNull(outcome.problem());
                assertEquals(0, outcome.result().addedSec(), 1e-9);
                assertEquals(device, batch.changedPresences.get(1L).deviceId());
            }
        }
    }

    static HeartbeatBatch.Submission submission(String device, Instant at, String session, long seq) {
        Heartbeat h = new Heartbeat(READING.lessonId(), session, seq, 0.0, true, at);
        return new HeartbeatBatch.Submission(1, device, at, false, List.of(new HeartbeatBatch.Item(h, READING)));
    }

    static void submit(
            Map<HeartbeatBatch.LearnerLesson, ProgressState> states,
            Map<Long, HeartbeatBatch.Presence> presences,
            String device,
            Instant at,
            String session,
            long seq) {
        HeartbeatBatch batch = new HeartbeatBatch(states, presences, LIMITS);
        batch.apply(List.of(submission(device, at, session, seq)));
        presences.putAll(batch.changedPresences);
    }
}
