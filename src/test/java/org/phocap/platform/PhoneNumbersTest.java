package org.phocap.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Vietnamese mobile numbers in the spellings people write them. */
class PhoneNumbersTest {
    @ParameterizedTest(name = "''{0}'' → {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0912 345 678   | +84912345678",
                "0912345678     | +84912345678",
                "+84912345678   | +84912345678",
                "84912345678    | +84912345678",
                "912345678      | +84912345678", // a spreadsheet ate the leading zero
                "0912.345.678   | +84912345678",
                "(091) 234-5678 | +84912345678",
                " 0362 000 111  | +84362000111",
                "0523000111     | +84523000111",
                "0703000111     | +84703000111",
                "0813000111     | +84813000111",
                "0212345678     | -", // 02x is a landline
                "0123           | -",
                "091234567      | -", // one digit short
                "09123456789    | -", // one digit long
                "+85512345678   | -", // another country
                "0912 345 67a   | -",
                "               | -",
            })
    void normalises(String raw, String expected) {
        assertEquals(expected, PhoneNumbers.normalize(raw).orElse("-"));
    }
}
