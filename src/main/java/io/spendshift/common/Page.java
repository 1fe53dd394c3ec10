package io.spendshift.common;

import java.util.List;

/** A page of a list, as every list endpoint of the API answers it. */
public record Page<T>(List<T> items, int page, int size, long total) {

    public static final int MAX_SIZE = 500;

    /** Checks {@code page} and {@code size} query parameters; bad values are a 400 naming the parameter. */
    public static void check(int page, int size) {
        if (page < 0) {
            throw ProblemException.badRequest("page", "must be 0 or greater");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw ProblemException.badRequest("size", "must be between 1 and " + MAX_SIZE);
        }
    }
}
