package io.spendshift.metrics;

/**
 * A map of positive {@code long} keys to {@code int} values in two flat arrays (open addressing): 12 to 24 bytes
 * per key, where a {@code HashMap<Long, Integer>} takes about 80, so the per-row keys of a large upload stay small.
 */
final class LongIntMap {

    private long[] keys = new long[64];
    private int[] values = new int[64];
    private int size;

    /** The value of {@code key} if it has one (and nothing changes), else 0 after storing {@code value}. */
    int putIfAbsent(long key, int value) {
        if (key <= 0) {
            throw new IllegalArgumentException("keys are positive");
        }
        int i = slot(keys, key);
        if (keys[i] == key) {
            return values[i];
        }
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > keys.length) {
            grow();
        }
        return 0;
    }

    int size() {
        return size;
    }

    private static int slot(long[] table, long key) {
        int mask = table.length - 1;
        int i = (int) mix(key) & mask;
        while (table[i] != 0 && table[i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != 0) {
                int i = slot(keys, oldKeys[j]);
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    /** Spreads the bits of a key (the finaliser of MurmurHash3), so that sequential keys do not cluster. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
