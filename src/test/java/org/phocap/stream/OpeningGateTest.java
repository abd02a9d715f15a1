package org.phocap.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OpeningGateTest {
    final AtomicLong clock = new AtomicLong();
    final OpeningGate gate = new OpeningGate(2, 1_000, clock::get);
    final List<String> started = new ArrayList<>();
    final List<String> expired = new ArrayList<>();

    void enter(String name) {
        gate.enter(() -> true, () -> started.add(name), () -> expired.add(name));
    }

    @Test
    void atMostTheLimitLoadAtOnceAndTheRestStartInArrivalOrderAsTurnsEnd() {
        enter("a");
        enter("b");
        enter("c");
        enter("d");
        assertEquals(List.of("a", "b"), started);
        assertEquals(2, gate.running());
        assertEquals(2, gate.waiting());
        gate.leave();
        assertEquals(List.of("a", "b", "c"), started);
        gate.leave();
        gate.leave();
        assertEquals(List.of("a", "b", "c", "d"), started);
        assertEquals(0, gate.waiting());
        assertEquals(1, gate.running());
    }

    @Test
    void aStreamThatWaitedPastTheLimitIsToldToReconnectAndFreesItsTurn() {
        enter("a");
        enter("b");
        enter("late");
        enter("later");
        clock.addAndGet(1_001);
        gate.leave();
        assertEquals(List.of("late", "later"), expired);
        assertEquals(List.of("a", "b"), started);
        assertEquals(1, gate.running());
        assertEquals(0, gate.waiting());
    }

    @Test
    void aStreamWhoseClientLeftWhileWaitingIsSkipped() {
        enter("a");
        enter("b");
        gate.enter(() -> false, () -> started.add("gone"), () -> expired.add("gone"));
        enter("c");
        gate.leave();
        assertEquals(List.of("a", "b", "c"), started);
        assertEquals(List.of(), expired);
        assertEquals(2, gate.running());
    }

    @Test
    void turnsThatEndAtOnceDoNotNestOnTheStack() {
        // A database refusing at once ends every turn inside its own start: 100,000 of them in a row
        // must run in one loop, not as 100,000 nested calls.
        OpeningGate one = new OpeningGate(1, Long.MAX_VALUE, clock::get);
        AtomicInteger ran = new AtomicInteger();
        AtomicInteger held = new AtomicInteger();
        one.enter(() -> true, held::incrementAndGet, () -> {});
        for (int i = 0; i < 100_000; i++) {
            one.enter(
                    () -> true,
                    () -> {
                        ran.incrementAndGet();
                        one.leave();
                    },
                    () -> {});
        }
        assertEquals(0, ran.get());
        one.leave();
        assertEquals(100_000, ran.get());
        assertEquals(0, one.running());
        assertTrue(one.waiting() == 0);
    }
}
