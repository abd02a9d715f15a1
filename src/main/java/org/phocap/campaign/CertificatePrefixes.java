package org.phocap.campaign;

import java.util.Locale;

/** The certificate prefix a campaign gets when it names none (the start of its serials). */
public final class CertificatePrefixes {
    private CertificatePrefixes() {}

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
}
