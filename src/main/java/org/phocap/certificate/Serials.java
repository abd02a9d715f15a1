package org.phocap.certificate;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Certificate serials: {@code {PREFIX}-{YEAR}-{NUMBER}-{CHECK}}, e.g. {@code VP-2023-008950-Z}.
 * The check character is ISO/IEC 7064 MOD 37-2 over the prefix, year and number without hyphens
 * (alphabet 0-9 A-Z, and {@code *} for the 37th value, as ISBN has X): 37 is prime and the weights
 * are powers of 2, a primitive root mod 37, so every single mistyped character and every swap of
 * two neighbouring characters, the check character included, changes the sum. A mistyped serial
 * is therefore refused before anything is looked up.
 */
public final class Serials {
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*";
    private static final Pattern SHAPE = Pattern.compile("([A-Z0-9]{1,8})-(\\d{4})-(\\d{6,9})-([0-9A-Z*])");
    public static final Pattern PREFIX = Pattern.compile("[A-Z0-9]{1,8}");

    private Serials() {}

    public static String of(String prefix, int year, int number) {
        String body = prefix + "-" + year + "-" + String.format(Locale.ROOT, "%06d", number);
        return body + "-" + check(body);
    }

    /** The serial in its canonical spelling when its shape and check character are right; empty otherwise. */
    public static Optional<String> valid(String candidate) {
        if (candidate == null) {
            return Optional.empty();
        }
        String serial = candidate.strip().toUpperCase(Locale.ROOT);
        var m = SHAPE.matcher(serial);
        if (!m.matches()) {
            return Optional.empty();
        }
        String body = serial.substring(0, serial.length() - 2);
        return check(body) == serial.charAt(serial.length() - 1) ? Optional.of(serial) : Optional.empty();
    }

    /** What someone typed, as it may be shown back to them: trimmed and cut at 60 characters. */
    public static String shown(String candidate) {
        String text = candidate == null ? "" : candidate.strip();
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }

    /** ISO/IEC 7064 MOD 37-2 over the alphanumerics of {@code body}. */
    static char check(String body) {
        int r = 0;
        for (int i = 0; i < body.length(); i++) {
            int v = ALPHABET.indexOf(body.charAt(i));
            if (v < 0 || v == 36) {
                continue;
            }
            r = (r + v) * 2 % 37;
        }
        return ALPHABET.charAt((38 - r) % 37);
    }
}
