package io.spendshift.metrics;

import io.spendshift.common.FieldError;
import io.spendshift.common.Money;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a raw row into a {@link MetricRow}, or into the list of what is wrong with it. */
final class MetricRowValidator {

    private static final BigDecimal MAX_COUNT = new BigDecimal("1000000000000000");
    private static final LocalDate EARLIEST = LocalDate.of(1970, 1, 1);

    private final Map<String, Long> channelIds;
    private final LocalDate today;
    private static final int COUNT_DECIMALS = 6;

    private final boolean numbersAsText;
    private final java.util.Set<String> required;

    MetricRowValidator(Map<String, Long> channelIds, LocalDate today, boolean numbersAsText) {
        this(channelIds, today, numbersAsText, RawRowReader.REQUIRED);
    }

    MetricRowValidator(Map<String, Long> channelIds, LocalDate today, boolean numbersAsText,
                       java.util.Set<String> required) {
        this.channelIds = channelIds;
        this.today = today;
        this.numbersAsText = numbersAsText;
        this.required = required;
    }

    /** Either a row, or its errors (never both). */
    record Checked(MetricRow row, List<FieldError> errors) {
    }

    Checked check(RawRow raw) {
        List<FieldError> errors = new ArrayList<>();
        int n = raw.row();
        if (raw.problem() != null) {
            errors.add(new FieldError("row", raw.problem(), n));
            return new Checked(null, errors);
        }
        Map<String, Object> v = raw.values();
        for (String f : v.keySet()) {
            if (!RawRowReader.FIELDS.contains(f)) {
                errors.add(new FieldError(f, "unknown field; fields are " + RawRowReader.FIELDS, n));
            }
        }
        for (String f : RawRowReader.FIELDS) {
            if (required.contains(f) && !v.containsKey(f)) {
                errors.add(new FieldError(f, "is required", n));
            }
        }
        String channel = text(v, "channel", errors, n);
        if (channel != null && !channelIds.containsKey(channel)) {
            errors.add(new FieldError("channel", "unknown channel '" + channel + "' in this portfolio", n));
        }
        LocalDate date = null;
        String d = text(v, "date", errors, n);
        if (d != null) {
            try {
                date = LocalDate.parse(d);
                if (date.isAfter(today)) {
                    errors.add(new FieldError("date", "is after today (" + today + ") in the portfolio's time zone", n));
                } else if (date.isBefore(EARLIEST)) {
                    errors.add(new FieldError("date", "is before 1970-01-01", n));
                }
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("date", "must be an ISO date such as 2026-03-01", n));
            }
        }
        BigDecimal spend = money(v, "spend", errors, n);
        BigDecimal revenue = money(v, "revenue", errors, n);
        BigDecimal ltv = money(v, "ltv", errors, n);
        Long impressions = count(v, "impressions", errors, n);
        Long clicks = count(v, "clicks", errors, n);
        BigDecimal conversions = fraction(v, "conversions", errors, n);
        BigDecimal newCustomers = fraction(v, "newCustomers", errors, n);
        if (impressions != null && clicks != null && clicks > impressions) {
            errors.add(new FieldError("clicks", "must not exceed impressions", n));
        }
        if (!errors.isEmpty()) {
            return new Checked(null, errors);
        }
        return new Checked(new MetricRow(channel, date, spend, impressions, clicks, conversions, revenue, newCustomers,
                ltv), List.of());
    }

    private static String text(Map<String, Object> v, String field, List<FieldError> errors, int n) {
        Object o = v.get(field);
        if (o == null) {
            return null;
        }
        if (!(o instanceof String s)) {
            errors.add(new FieldError(field, "must be a string", n));
            return null;
        }
        return s;
    }

    private BigDecimal number(Map<String, Object> v, String field, List<FieldError> errors, int n) {
        Object o = v.get(field);
        if (o == null) {
            return null;
        }
        if (o instanceof BigDecimal b) {
            return b;
        }
        if (o instanceof String s && numbersAsText) {
            try {
                if (s.length() > 40) {
                    throw new NumberFormatException();
                }
                return new BigDecimal(s);
            } catch (NumberFormatException e) {
                errors.add(new FieldError(field, "must be a finite number, not '" + abbreviate(s) + "'", n));
                return null;
            }
        }
        errors.add(new FieldError(field, "must be a number", n));
        return null;
    }

    private BigDecimal money(Map<String, Object> v, String field, List<FieldError> errors, int n) {
        BigDecimal b = number(v, field, errors, n);
        if (b == null) {
            return null;
        }
        if (b.signum() < 0) {
            errors.add(new FieldError(field, "must not be negative", n));
        } else if (b.compareTo(Money.MAX) > 0) {
            errors.add(new FieldError(field, "must not exceed 10^12", n));
        } else if (b.stripTrailingZeros().scale() > 2) {
            errors.add(new FieldError(field, "must have at most 2 decimals", n));
        } else {
            return b;
        }
        return null;
    }

    private Long count(Map<String, Object> v, String field, List<FieldError> errors, int n) {
        BigDecimal b = number(v, field, errors, n);
        if (b == null) {
            return null;
        }
        if (b.stripTrailingZeros().scale() > 0) {
            errors.add(new FieldError(field, "must be a whole number", n));
        } else if (b.signum() < 0) {
            errors.add(new FieldError(field, "must not be negative", n));
        } else if (b.compareTo(MAX_COUNT) > 0) {
            errors.add(new FieldError(field, "must not exceed 10^15", n));
        } else {
            return b.longValueExact();
        }
        return null;
    }

    /** A count that attribution may split: at most 6 decimals (conversions, new customers). */
    private BigDecimal fraction(Map<String, Object> v, String field, List<FieldError> errors, int n) {
        BigDecimal b = number(v, field, errors, n);
        if (b == null) {
            return null;
        }
        if (b.signum() < 0) {
            errors.add(new FieldError(field, "must not be negative", n));
        } else if (b.compareTo(MAX_COUNT) > 0) {
            errors.add(new FieldError(field, "must not exceed 10^15", n));
        } else if (b.stripTrailingZeros().scale() > COUNT_DECIMALS) {
            errors.add(new FieldError(field, "must have at most " + COUNT_DECIMALS + " decimals", n));
        } else {
            return b;
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() > 20 ? s.substring(0, 20) + "…" : s;
    }
}
