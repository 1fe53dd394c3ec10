package io.spendshift.common;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Values of native queries, whose Java types differ between H2 and PostgreSQL drivers. */
public final class SqlValues {

    private SqlValues() {
    }

    /** A TIMESTAMP column (stored in UTC) as an instant, or null. */
    public static Instant instant(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC);
        }
        return (Instant) o;
    }

    /** A DATE column as a local date, or null. */
    public static LocalDate date(Object o) {
        if (o == null) {
            return null;
        }
        return o instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) o;
    }
}
