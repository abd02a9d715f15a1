package org.phocap.course;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Range headers alone (RFC 9110), for a body of 1,000 bytes. */
class ByteRangeTest {
    @ParameterizedTest(name = "''{0}'' → {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "bytes=0-99      | 0-99",
                "bytes=100-      | 100-999",
                "bytes=-500      | 500-999",
                "bytes=-5000     | 0-999", // a suffix longer than the body: all of it
                "bytes=900-5000  | 900-999", // an end past the body: up to its end
                "bytes=999-999   | 999-999",
                "bytes= 10 - 20  | 10-20",
                "bytes=0-99,200-299 | whole", // several ranges: the whole body, as the RFC allows
                "bytes=20-10     | whole", // end before start: ignored
                "bytes=a-b       | whole",
                "bytes=10        | whole",
                "items=0-10      | whole",
                "                | whole",
                "bytes=1000-     | 416", // wholly past the end
                "bytes=1000-1200 | 416",
                "bytes=-0        | 416",
            })
    void parses(String header, String expected) {
        if (expected.equals("416")) {
            assertThrows(ByteRange.Unsatisfiable.class, () -> ByteRange.parse(header, 1000));
            return;
        }
        Optional<ByteRange> range = ByteRange.parse(header, 1000);
        assertEquals(expected, range.map(r -> r.start() + "-" + r.end()).orElse("whole"));
        range.ifPresent(r -> assertEquals(r.end() - r.start() + 1, r.length()));
    }
}
