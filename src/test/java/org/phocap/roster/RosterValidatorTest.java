package org.phocap.roster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Year;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.phocap.locality.Scope;

/** One roster row at a time, against a two-district tree and a scope of one district. */
class RosterValidatorTest {
    static final Map<String, String> PATHS = Map.of(
            "24801-1", "/26/248/24801/24801-1/",
            "24301-1", "/26/243/24301/24301-1/");
    static final Scope TAM_DAO = Scope.of(List.of("/26/248/"));

    static RawRow row(int line, String name, String phone, String locality, String body, String year, String gender) {
        EnumMap<RosterField, String> cells = new EnumMap<>(RosterField.class);
        cells.put(RosterField.FULL_NAME, name);
        cells.put(RosterField.PHONE, phone);
        cells.put(RosterField.LOCALITY_CODE, locality);
        cells.put(RosterField.NOMINATED_BY, body);
        cells.put(RosterField.BIRTH_YEAR, year);
        cells.put(RosterField.GENDER, gender);
        return new RawRow(line, cells, String.join(",", name, phone, locality, body));
    }

    static String year(int ago) {
        return String.valueOf(Year.now().getValue() - ago);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            value = {
                "valid                     | Lê Thị Hoa | 0987 654 321 | 24801-1 | Hội phụ nữ   | 40  | Nữ    | -",
                "valid, no year or gender  | Lê Thị Hoa | 0987654321   | 24801-1 | thôn         | null| null  | -",
                "no name                   | '  '       | 0987 654 321 | 24801-1 | Hội phụ nữ   | 40  | Nữ    | full_name",
                "a landline                | Lê Thị Hoa | 0211 3824000 | 24801-1 | Hội phụ nữ   | 40  | Nữ    | phone",
                "no phone                  | Lê Thị Hoa | ''           | 24801-1 | Hội phụ nữ   | 40  | Nữ    | phone",
                "no locality               | Lê Thị Hoa | 0987 654 321 | ''      | Hội phụ nữ   | 40  | Nữ    | locality_code",
                "an unknown locality       | Lê Thị Hoa | 0987 654 321 | 99999   | Hội phụ nữ   | 40  | Nữ    | locality_code",
                "another district          | Lê Thị Hoa | 0987 654 321 | 24301-1 | Hội phụ nữ   | 40  | Nữ    | locality_code",
                "an unknown body           | Lê Thị Hoa | 0987 654 321 | 24801-1 | Câu lạc bộ   | 40  | Nữ    | nominated_by",
                "born 9 years ago          | Lê Thị Hoa | 0987 654 321 | 24801-1 | Hội phụ nữ   | 9   | Nữ    | birth_year",
                "born 10 years ago         | Lê Thị Hoa | 0987 654 321 | 24801-1 | Hội phụ nữ   | 10  | Nữ    | -",
                "born 110 years ago        | Lê Thị Hoa | 0987 654 321 | 24801-1 | Hội phụ nữ   | 110 | Nữ    | -",
                "born 111 years ago        | Lê Thị Hoa | 0987 654 321 | 24801-1 | Hội phụ nữ   | 111 | Nữ    | birth_year",
                "a year that is no number  | Lê Thị Hoa | 0987 654 321 | 24801-1 | Hội phụ nữ   | abc | Nữ    | birth_year",
                "an unknown gender         | Lê Thị Hoa | 0987 654 321 | 24801-1 | Hội phụ nữ   | 40  | X     | gender",
                "a NUL in the name         | 'Lê\u0000Hoa' | 0987 654 321 | 24801-1 | Hội phụ nữ | 40  | Nữ    | full_name",
            })
    void checksARow(
            String what,
            String name,
            String phone,
            String locality,
            String body,
            String ago,
            String gender,
            String rejectedField) {
        String birthYear =
                ago == null ? null : ago.chars().allMatch(Character::isDigit) ? year(Integer.parseInt(ago)) : ago;
        RosterValidator.Outcome outcome =
                new RosterValidator(PATHS, TAM_DAO).check(row(2, name, phone, locality, body, birthYear, gender));
        if (rejectedField.equals("-")) {
            RosterRow valid =
                    assertInstanceOf(RosterValidator.Valid.class, outcome, what).row();
            assertEquals("+84987654321", valid.phone());
        } else {
            Rejection rejection = assertInstanceOf(RosterValidator.Invalid.class, outcome, what)
                    .rejection();
            assertEquals(rejectedField, rejection.field(), what + ": " + rejection.message());
            assertEquals(2, rejection.line());
        }
    }

    @Test
    void aPhoneTwiceInOneFileIsRejectedWithTheLineOfTheFirst() {
        RosterValidator validator = new RosterValidator(PATHS, TAM_DAO);
        assertInstanceOf(
                RosterValidator.Valid.class,
                validator.check(row(2, "A", "0987 654 321", "24801-1", "Thôn", null, null)));
        Rejection again = assertInstanceOf(
                        RosterValidator.Invalid.class,
                        validator.check(row(5, "B", "+84987654321", "24801-1", "Thôn", null, null)))
                .rejection();
        assertEquals("phone", again.field());
        assertEquals("the same phone number is on line 2 of this file", again.message());
    }

    @Test
    void namesAreKeptInNfcWithSpacesCollapsedAndGendersNormalised() {
        String decomposed = "Le\u0302 Thi\u0323   Hoa"; // "Lê Thị Hoa" typed with combining marks
        RosterRow row = assertInstanceOf(
                        RosterValidator.Valid.class,
                        new RosterValidator(PATHS, TAM_DAO)
                                .check(row(2, decomposed, "0987654321", "24801-1", "HTX", null, "nữ")))
                .row();
        assertEquals("Lê Thị Hoa", row.fullName());
        assertEquals("FEMALE", row.gender());
        assertEquals("COOPERATIVE_ALLIANCE", row.nominatedBy());
    }
}
