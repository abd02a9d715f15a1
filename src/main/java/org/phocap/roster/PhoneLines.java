package org.phocap.roster;

/**
 * The line on which each phone of a file first appeared, for "the same phone is on line N". A
 * million-row file would need about 130 MB as a HashMap of strings and boxed integers; here a
 * phone is its digits as a long in an open-addressing table, 12 bytes a slot, about 24 MB.
 */
final class PhoneLines {
    private static final long EMPTY = 0;
    private long[] keys = new long[1 << 12];
    private int[] lines = new int[1 << 12];
    private int size;

    /**
     * Records the phone's line unless the phone was seen before; returns that earlier line, or -1
     * when the phone is new. Phones are normalized E.164 ("+84" and nine digits).
     */
    int putIfAbsent(String phone, int line) {
        long key = Long.parseLong(phone, 1, phone.length(), 10);
        int slot = slotOf(key, keys);
        if (keys[slot] == key) {
            return lines[slot];
        }
        keys[slot] = key;
        lines[slot] = line;
        if (++size * 2 > keys.length) {
            grow();
        }
        return -1;
    }

    private static int slotOf(long key, long[] table) {
        int mask = table.length - 1;
        int slot = Long.hashCode(key * 0x9E3779B97F4A7C15L) & mask;
        while (table[slot] != EMPTY && table[slot] != key) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldLines = lines;
        keys = new long[oldKeys.length * 2];
        lines = new int[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                int slot = slotOf(oldKeys[i], keys);
                keys[slot] = oldKeys[i];
                lines[slot] = oldLines[i];
            }
        }
    }
}
