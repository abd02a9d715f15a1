package org.phocap.roster;

import java.security.SecureRandom;

/** One-time activation codes: 8 characters from an alphabet without look-alikes (0/O, 1/I/L). */
final class ActivationCodes {
    private static final char[] ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ActivationCodes() {}

    static String next() {
        char[] code = new char[8];
        for (int i = 0; i < code.length; i++) {
            code[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(code);
    }
}
