package io.spendshift.common;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Query parameters that need parsing; a bad value is a 400 naming the parameter. */
public final class Params {

    private Params() {
    }

    /** True when the text holds a control character (NUL and the like), which no name, key or filter may. */
    public static boolean hasControlChars(String s) {
        return s != null && s.chars().anyMatch(ch -> ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r' || ch == 0x7f);
    }

    /** A free-text filter: null when absent, 400 when it holds control characters. */
    public static String text(String field, String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        if (hasControlChars(v) || v.length() > 500) {
            throw InvalidInput.of(field, "must be printable text of at most 500 characters");
        }
        return v;
    }

    /** An ISO instant or date, or null when absent; a date as the end of a range ({@code endOfDay}) means its end. */
    public static java.time.Instant instant(String field, String value, boolean endOfDay) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return java.time.Instant.parse(value);
        } catch (DateTimeParseException notInstant) {
            try {
                LocalDate d = LocalDate.parse(value);
                return (endOfDay ? d.plusDays(1) : d).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw InvalidInput.of(field, "must be an ISO-8601 instant or date");
            }
        }
    }

    /** An ISO date, or null when absent. */
    public static LocalDate date(String field, String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw InvalidInput.of(field, "must be an ISO date such as 2026-03-01");
        }
    }

    /** A boolean flag: {@code true} or {@code false} (absent: false); anything else is a 400, not a 404. */
    public static boolean bool(String field, String v) {
        if (v == null || v.isBlank() || v.equalsIgnoreCase("false")) {
            return false;
        }
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        throw InvalidInput.of(field, "must be true or false");
    }

    /** A numeric path id; anything else names nothing (404). */
    public static long id(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new NotFound("Resource", id);
        }
    }
}
