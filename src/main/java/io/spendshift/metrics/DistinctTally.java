package io.spendshift.metrics;

import io.spendshift.common.TooLarge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Distinct names met while reading an upload (campaigns no channel claims, foreign currencies), in bounded space
 * however many there are: the first {@code listed} names with their first {@value #LINES} lines and their number of
 * lines, and every distinct name counted by a 64-bit fingerprint (12 to 24 bytes each; two names with the same
 * fingerprint would count once, about one chance in 10^7 at a million names). More than {@code maxDistinct}
 * distinct names refuse the upload ({@link TooLarge}), so reading stops there.
 */
final class DistinctTally {

    /** Lines kept per listed name. */
    static final int LINES = 5;

    /** One listed name: its first lines and how many lines name it. */
    static final class Entry {
        final String name;
        final int[] lines = new int[LINES];
        int lineCount;

        Entry(String name) {
            this.name = name;
        }

        void add(int line) {
            if (lineCount < LINES) {
                lines[lineCount] = line;
            }
            lineCount++;
        }

        int firstLine() {
            return lines[0];
        }

        /** {@code 5, 8, 9, 12, 14 and 3 more}. */
        String lineList() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < Math.min(LINES, lineCount); i++) {
                sb.append(i == 0 ? "" : ", ").append(lines[i]);
            }
            return lineCount > LINES ? sb + " and " + (lineCount - LINES) + " more" : sb.toString();
        }
    }

    private final int listed;
    private final long maxDistinct;
    private final String limit;
    private final String what;
    private final Map<Long, Entry> first = new LinkedHashMap<>();
    private final LongIntMap seen = new LongIntMap();

    /**
     * {@code limit} is the configuration item of {@code maxDistinct} and {@code what} names the things counted in
     * the refusal ("campaigns that no channel claims").
     */
    DistinctTally(int listed, long maxDistinct, String limit, String what) {
        this.listed = listed;
        this.maxDistinct = maxDistinct;
        this.limit = limit;
        this.what = what;
    }

    /** Without a limit: for things that cannot outnumber the rows (which are limited). */
    DistinctTally(int listed) {
        this(listed, Long.MAX_VALUE, null, null);
    }

    void add(String name, int line) {
        long f = fingerprint(name);
        if (seen.putIfAbsent(f, 1) != 0) {
            Entry e = first.get(f);
            if (e != null) {
                e.add(line);
            }
            return;
        }
        if (seen.size() > maxDistinct) {
            throw new TooLarge("The upload names more than " + maxDistinct + " distinct " + what + " (" + limit
                    + " = " + maxDistinct + "); nothing was stored", limit, maxDistinct);
        }
        if (first.size() < listed) {
            Entry e = new Entry(name);
            e.add(line);
            first.put(f, e);
        }
    }

    /** How many distinct names were met, listed or not. */
    long count() {
        return seen.size();
    }

    /** The first names met, in the order met. */
    List<Entry> listed() {
        return new ArrayList<>(first.values());
    }

    List<String> names() {
        return first.values().stream().map(e -> e.name).toList();
    }

    /** A 64-bit hash of the text (FNV-1a over its chars, then mixed), positive as {@link LongIntMap} needs. */
    static long fingerprint(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h = LongIntMap.mix(h ^ s.length()) & Long.MAX_VALUE;
        return h == 0 ? 1 : h;
    }
}
