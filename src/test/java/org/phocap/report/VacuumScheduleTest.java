package org.phocap.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VacuumScheduleTest {
    final Instant t0 = Instant.parse("2026-12-01T00:00:00Z");
    final VacuumSchedule schedule = new VacuumSchedule(Duration.ofMinutes(1), 10_000);

    Instant at(int seconds) {
        return t0.plusSeconds(seconds);
    }

    @Test
    void onceAtStartThenOnlyWhileFoldsDeleteRows() {
        assertTrue(schedule.due(at(0), 0), "once at start");
        assertFalse(schedule.due(at(70), 0), "nothing folded since");
        assertTrue(schedule.due(at(80), 5), "rows deleted, a minute after the last vacuum");
    }

    @Test
    void atMostOncePerPeriodAndOnceMoreAfterTheLastFold() {
        schedule.due(at(0), 0);
        assertFalse(schedule.due(at(10), 5), "within a minute of the last vacuum");
        assertFalse(schedule.due(at(59), 0));
        assertTrue(schedule.due(at(60), 0), "a minute after the last vacuum, rows deleted since");
        assertFalse(schedule.due(at(90), 0));
        assertTrue(
                schedule.due(at(120), 0), "once more: the fold at 10 s came less than a minute before the last vacuum");
        assertFalse(schedule.due(at(180), 0), "nothing deleted since then");
        assertFalse(schedule.due(at(240), 0));
    }

    @Test
    void aBulkFoldIsVacuumedAtOnce() {
        schedule.due(at(0), 0);
        assertTrue(schedule.due(at(5), 228_000), "an import's end");
        assertFalse(schedule.due(at(6), 3));
        assertTrue(schedule.due(at(65), 0), "and once more after it");
    }
}
