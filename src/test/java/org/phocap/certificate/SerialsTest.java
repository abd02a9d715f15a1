package org.phocap.certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The serial format and its check character (ISO/IEC 7064 MOD 37-2). */
class SerialsTest {
    private static final String SYMBOLS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";

    @Test
    void formatsWithASixDigitNumberAndACheckCharacter() {
        assertEquals("VP-2023-008950-Z", Serials.of("VP", 2023, 8950));
        assertEquals("VP-2023-1234567-" + Serials.check("VP-2023-1234567"), Serials.of("VP", 2023, 1_234_567));
        assertEquals(Optional.of("VP-2023-008950-Z"), Serials.valid(" vp-2023-008950-z "));
    }

    @Test
    void everySingleMistypedCharacterAndEveryNeighbourSwapIsCaught() {
        for (int number = 1; number <= 20_000; number += 3) {
            String serial = Serials.of("VP", 2023, number);
            assertTrue(Serials.valid(serial).isPresent(), serial);
            char[] chars = serial.toCharArray();
            for (int i = 0; i < chars.length; i++) {
                if (chars[i] == '-') {
                    continue;
                }
                char original = chars[i];
                for (char c : SYMBOLS.toCharArray()) {
                    if (c != original) {
                        chars[i] = c;
                        assertFalse(Serials.valid(new String(chars)).isPresent(), new String(chars));
                    }
                }
                chars[i] = original;
                int j = i + 1 < chars.length && chars[i + 1] == '-' ? i + 2 : i + 1;
                if (j < chars.length && chars[j] != chars[i]) {
                    char[] swapped = chars.clone();
                    swapped[i] = chars[j];
                    swapped[j] = chars[i];
                    assertFalse(Serials.valid(new String(swapped)).isPresent(), new String(swapped));
                }
            }
        }
    }

    @Test
    void refusesWhatIsNotASerial() {
        for (String bad : new String[] {
            null,
            "",
            "VP",
            "VP-2023-8950-H",
            "VP-23-008950-H",
            "VPVPVPVPV-2023-008950-H",
            "VP_2023_008950_H",
            "VP-2023-008950-ZH"
        }) {
            assertFalse(Serials.valid(bad).isPresent(), String.valueOf(bad));
        }
    }
}
