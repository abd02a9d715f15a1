package org.phocap.platform;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Vietnamese mobile numbers in the spellings people write them ("0912 345 678", "+84912345678",
 * "84912345678", "912345678" when a spreadsheet ate the leading zero), normalised to E.164.
 */
public final class PhoneNumbers {
    // Mobile ranges after the 2018 renumbering: 03x, 05x, 07x, 08x, 09x, then 8 more digits.
    private static final Pattern NATIONAL_MOBILE = Pattern.compile("[35789]\\d{8}");

    private PhoneNumbers() {}

    public static Optional<String> normalize(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String digits = raw.strip().replaceAll("[\\s.\\-()]", "");
        if (digits.startsWith("+84")) {
            digits = digits.substring(3);
        } else if (digits.startsWith("84") && digits.length() == 11) {
            digits = digits.substring(2);
        } else if (digits.startsWith("0") && digits.length() == 10) {
            digits = digits.substring(1);
        }
        return NATIONAL_MOBILE.matcher(digits).matches() ? Optional.of("+84" + digits) : Optional.empty();
    }
}
