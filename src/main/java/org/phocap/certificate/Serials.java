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

    /**
     * A prefix for a campaign that names none: the initials of its locality's name without the
     * administrative word, so "Tỉnh Vĩnh Phúc" gives "VP".
     */
    public static String defaultPrefix(String localityName) {
        String name = java.text.Normalizer.normalize(
                        localityName.replace('Đ', 'D').replace('đ', 'd'), java.text.Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "")
                .toUpperCase(Locale.ROOT);
        name = name.replaceFirst("^(TINH|THANH PHO|TP\\.?|HUYEN|QUAN|THI XA|XA|PHUONG|THI TRAN)(\\s+|$)", "");
        String[] words = java.util.Arrays.stream(name.split("[^A-Z0-9]+"))
                .filter(w -> !w.isEmpty())
                .toArray(String[]::new);
        StringBuilder initials = new StringBuilder();
        for (String word : words) {
            // A one-word name ("Huế") is kept whole; numbers ("Quận 10") are kept whole.
            initials.append(words.length == 1 || Character.isDigit(word.charAt(0)) ? word : word.substring(0, 1));
        }
        String prefix = initials.length() > 8 ? initials.substring(0, 8) : initials.toString();
        return prefix.isEmpty() ? "PC" : prefix;
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
