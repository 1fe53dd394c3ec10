package io.spendshift.common;

import java.util.regex.Pattern;

/** Portfolio and channel keys are slugs; this is the one definition of what a slug is. */
public final class Keys {

    public static final String SLUG = "^[a-z0-9][a-z0-9_-]{0,63}$";
    private static final Pattern PATTERN = Pattern.compile(SLUG);

    private Keys() {
    }

    public static boolean isSlug(String s) {
        return s != null && PATTERN.matcher(s).matches();
    }

    public static String requireSlug(String field, String s) {
        if (!isSlug(s)) {
            throw InvalidInput.of(field,
                    "must be a slug: lower-case letters, digits, '-' or '_', 1 to 64 characters, not starting with '-' or '_'");
        }
        return s;
    }
}
