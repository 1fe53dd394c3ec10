package io.spendshift.common;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Query parameters that need parsing; a bad value is a 400 naming the parameter. */
public final class Params {

    private Params() {
    }

    /** An ISO date, or null when absent. */
    public static LocalDate date(String field, String v) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(v);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(field, "must be an ISO date such as 2026-03-01");
        }
    }
}
