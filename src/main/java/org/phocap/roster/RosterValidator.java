package org.phocap.roster;

import java.text.Normalizer;
import java.time.Year;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.phocap.campaign.NominatingBody;
import org.phocap.locality.Scope;
import org.phocap.platform.PhoneNumbers;

/**
 * Checks one row at a time against the rules of a roster: a Vietnamese mobile, a name, a known
 * locality inside the importer's scope, a known nominating body, and no phone twice in one file.
 */
final class RosterValidator {
    private static final Pattern NATIONAL_ID = Pattern.compile("\\d{9}|\\d{12}");
    /** C0 controls other than tab, DEL and C1 controls: never part of a name, code or number. */
    static final Pattern CONTROL = Pattern.compile("[\\x00-\\x08\\x0A-\\x1F\\x7F-\\x9F]");

    private final Map<String, String> localityPaths;
    private final Scope scope;
    private final PhoneLines phonesSeen = new PhoneLines();
    private final int thisYear = Year.now().getValue();

    RosterValidator(Map<String, String> localityPaths, Scope scope) {
        this.localityPaths = localityPaths;
        this.scope = scope;
    }

    /** Either a valid row or a rejection, never both. */
    sealed interface Outcome permits Valid, Invalid {}

    record Valid(RosterRow row) implements Outcome {}

    record Invalid(Rejection rejection) implements Outcome {}

    Outcome check(RawRow raw) {
        for (var cell : raw.cells().entrySet()) {
            if (cell.getValue() != null && CONTROL.matcher(cell.getValue()).find()) {
                return reject(
                        raw,
                        cell.getKey(),
                        "contains a control character (such as NUL); remove it and import the row again");
            }
        }
        if (raw.splitAfter() != null) {
            return reject(
                    raw,
                    raw.splitAfter(),
                    "has more values than the header has columns: a value that contains a comma must be in double quotes (\"Học sinh, sinh viên\")");
        }
        String name = nfc(raw.get(RosterField.FULL_NAME)).replaceAll("\\s+", " ");
        if (name.isEmpty()) {
            return reject(raw, RosterField.FULL_NAME, "full name is missing");
        }
        if (name.length() > 200) {
            return reject(raw, RosterField.FULL_NAME, "full name is longer than 200 characters");
        }
        String phoneText = raw.get(RosterField.PHONE);
        var phone = PhoneNumbers.normalize(phoneText);
        if (phone.isEmpty()) {
            return reject(
                    raw,
                    RosterField.PHONE,
                    phoneText.isEmpty()
                            ? "phone is missing"
                            : "not a Vietnamese mobile number (expected e.g. 0912 345 678 or +84912345678)");
        }
        String code = raw.get(RosterField.LOCALITY_CODE);
        String path = localityPaths.get(code);
        if (code.isEmpty()) {
            return reject(raw, RosterField.LOCALITY_CODE, "locality code is missing");
        }
        if (path == null) {
            return reject(raw, RosterField.LOCALITY_CODE, "unknown locality code '" + code + "'");
        }
        if (!scope.covers(path)) {
            return reject(raw, RosterField.LOCALITY_CODE, "locality '" + code + "' is outside your scope");
        }
        String bodyText = raw.get(RosterField.NOMINATED_BY);
        var body = NominatingBody.parse(bodyText);
        if (body.isEmpty()) {
            return reject(
                    raw,
                    RosterField.NOMINATED_BY,
                    bodyText.isEmpty() ? "nominating body is missing" : "unknown nominating body '" + bodyText + "'");
        }
        Integer birthYear = null;
        String yearText = raw.get(RosterField.BIRTH_YEAR);
        if (!yearText.isEmpty()) {
            try {
                birthYear = (int) Double.parseDouble(yearText);
            } catch (NumberFormatException e) {
                birthYear = -1;
            }
            if (birthYear < thisYear - 110 || birthYear > thisYear - 10) {
                return reject(
                        raw,
                        RosterField.BIRTH_YEAR,
                        "birth year must be a year between " + (thisYear - 110) + " and " + (thisYear - 10));
            }
        }
        String genderText = raw.get(RosterField.GENDER);
        String gender = gender(genderText);
        if (!genderText.isEmpty() && gender == null) {
            return reject(raw, RosterField.GENDER, "gender must be Nam, Nữ or Khác");
        }
        String nationalId = raw.get(RosterField.NATIONAL_ID);
        if (!nationalId.isEmpty() && !NATIONAL_ID.matcher(nationalId).matches()) {
            return reject(raw, RosterField.NATIONAL_ID, "national id must be 12 digits (or an old 9-digit number)");
        }
        String samePersonText = nfc(raw.get(RosterField.SAME_PERSON)).toLowerCase(Locale.ROOT);
        if (!samePersonText.isEmpty() && !YES.contains(samePersonText) && !NO.contains(samePersonText)) {
            return reject(raw, RosterField.SAME_PERSON, "same_person must be 'yes', 'no' or empty");
        }
        boolean samePerson = YES.contains(samePersonText);
        int earlier = phonesSeen.putIfAbsent(phone.get(), raw.line());
        if (earlier >= 0) {
            return reject(raw, RosterField.PHONE, "the same phone number is on line " + earlier + " of this file");
        }
        return new Valid(new RosterRow(
                raw.line(),
                phone.get(),
                name,
                birthYear,
                gender,
                limit(nfc(raw.get(RosterField.ETHNICITY)), 64),
                code,
                body.get().name(),
                limit(nfc(raw.get(RosterField.TARGET_GROUP)), 100),
                nationalId.isEmpty() ? null : nationalId,
                samePerson,
                raw.raw()));
    }

    private static String gender(String text) {
        return switch (nfc(text).toLowerCase(Locale.ROOT)) {
            case "nam", "male", "m" -> "MALE";
            case "nữ", "nu", "female", "f" -> "FEMALE";
            case "khác", "khac", "other" -> "OTHER";
            default -> null;
        };
    }

    private static final java.util.Set<String> YES = java.util.Set.of("yes", "có", "co", "x", "1", "true");
    private static final java.util.Set<String> NO = java.util.Set.of("no", "không", "khong", "0", "false");

    private static Invalid reject(RawRow raw, RosterField field, String message) {
        return new Invalid(rejection(raw.line(), field, message, raw.raw()));
    }

    /** A rejection whose stored copy of the row has its NULs replaced (PostgreSQL text cannot hold them). */
    static Rejection rejection(int line, RosterField field, String message, String raw) {
        return new Rejection(line, field.column(), message, raw.replace('\u0000', '\uFFFD'));
    }

    private static String nfc(String text) {
        return Normalizer.normalize(text.strip(), Normalizer.Form.NFC);
    }

    private static String limit(String text, int max) {
        if (text.isEmpty()) {
            return null;
        }
        return text.length() <= max ? text : text.substring(0, max);
    }
}
