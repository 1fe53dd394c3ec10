package io.spendshift.common;

/**
 * An {@code If-Match} precondition on a versioned resource (a portfolio, a recommendation), compared as text with the
 * entity tag the service emits for a version: {@code ETag: "<version>"}. The tag is taken quoted (RFC 9110), weak
 * ({@code W/} ignored, as documented) or bare, but never read as a number: {@code "00"}, {@code "+0"} or
 * {@code "0.0"} name no version, so they do not match version 0 (412). {@code *} matches any current version. A
 * header that is not one entity tag (an unclosed quote, a list, control characters) is a 400.
 */
public record IfMatch(String tag) {

    /** The opaque part of a version's entity tag, as every answer's {@code ETag} carries it (quoted). */
    public static String tagOf(long version) {
        return Long.toString(version);
    }

    /** The precondition of an {@code If-Match} header; null when there is none (or {@code *}): any version will do. */
    public static IfMatch parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String v = header.strip();
        if (v.equals("*")) {
            return null;
        }
        if (v.startsWith("W/")) {
            v = v.substring(2);
        }
        String tag;
        if (v.startsWith("\"")) {
            if (v.length() < 2 || !v.endsWith("\"")) {
                throw invalid();
            }
            tag = v.substring(1, v.length() - 1);
        } else {
            tag = v;
        }
        if (tag.isEmpty() && !v.startsWith("\"") || !tag.chars().allMatch(IfMatch::etagc)) {
            throw invalid();
        }
        return new IfMatch(tag);
    }

    /** Whether this precondition holds for {@code version}: its tag is exactly that version's. */
    public boolean matches(long version) {
        return tag.equals(tagOf(version));
    }

    /**
     * Throws {@link VersionMismatch} (412) unless {@code ifMatch} (null: none) holds for the resource at
     * {@code version}; {@code what} names the resource ("Recommendation 7").
     */
    public static void check(IfMatch ifMatch, String what, long version) {
        if (ifMatch != null && !ifMatch.matches(version)) {
            String sent = ifMatch.tag().length() > 32 ? ifMatch.tag().substring(0, 32) + "…" : ifMatch.tag();
            throw new VersionMismatch(what + " is at version " + version + " (ETag \"" + tagOf(version)
                    + "\"); If-Match \"" + sent + "\" does not match it");
        }
    }

    /** A character of an entity tag's opaque part (RFC 9110 etagc), without the comma that would make a list. */
    private static boolean etagc(int ch) {
        return ch == 0x21 || ch >= 0x23 && ch <= 0x7e && ch != ',' || ch >= 0x80 && ch <= 0xff;
    }

    private static InvalidInput invalid() {
        return InvalidInput.of("If-Match", "must be one entity tag: the version as the ETag gives it, e.g. \"3\"");
    }
}
