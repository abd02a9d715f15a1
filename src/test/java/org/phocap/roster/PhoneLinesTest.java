package org.phocap.roster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PhoneLinesTest {

    @Test
    void aPhoneIsNewOnceAndThenNamesItsFirstLine() {
        PhoneLines lines = new PhoneLines();
        assertEquals(-1, lines.putIfAbsent("+84912345678", 2));
        assertEquals(-1, lines.putIfAbsent("+84912345679", 3));
        assertEquals(2, lines.putIfAbsent("+84912345678", 9));
        assertEquals(3, lines.putIfAbsent("+84912345679", 10));
        assertEquals(-1, lines.putIfAbsent("+84812345678", 0));
        assertEquals(0, lines.putIfAbsent("+84812345678", 11));
    }

    @Test
    void keepsEveryLineWhileItGrows() {
        PhoneLines lines = new PhoneLines();
        int phones = 300_000;
        for (int i = 0; i < phones; i++) {
            assertEquals(-1, lines.putIfAbsent("+8490" + String.format("%07d", i), i + 2));
        }
        for (int i = 0; i < phones; i += 7) {
            assertEquals(i + 2, lines.putIfAbsent("+8490" + String.format("%07d", i), 1));
        }
    }
}
