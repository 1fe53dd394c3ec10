package io.spendshift.common;

import java.util.List;

/** A page of a list, as every list endpoint of the API answers it. */
public record Page<T>(List<T> items, int page, int size, long total) {

    public static final int MAX_SIZE = 500;

    /**
     * Checks {@code page} and {@code size} query parameters; bad values are a 400 naming the parameter. A page
     * whose rows would start or end beyond what a query can address (2^31 - 1 rows) is refused too, so no
     * list computes an overflowing offset; any other page past the end is simply empty.
     */
    public static void check(int page, int size) {
        if (page < 0) {
            throw InvalidInput.of("page", "must be 0 or greater");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw InvalidInput.of("size", "must be between 1 and " + MAX_SIZE);
        }
        if (lastPage(size) < page) {
            throw InvalidInput.of("page", "must be at most " + lastPage(size) + " with size " + size);
        }
    }

    /** The first row of the page, for {@code setFirstResult}: checks the parameters first. */
    public static int offset(int page, int size) {
        check(page, size);
        return page * size;
    }

    /** The largest page whose rows can all be addressed with an int offset. */
    private static int lastPage(int size) {
        return Integer.MAX_VALUE / size - 1;
    }
}
