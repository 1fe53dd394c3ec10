package io.spendshift.metrics;

import java.util.Map;

/**
 * A data row as read from JSON or CSV, before validation. Values are {@code String} (CSV cells, JSON strings),
 * {@code BigDecimal} (JSON numbers) or {@link #OTHER} (a JSON object, array or boolean where a scalar belongs).
 * {@code row} is 1-based and does not count a CSV header.
 */
public record RawRow(int row, Map<String, Object> values, String problem) {

    /** Marks a JSON value of a type no metric field takes. */
    public static final Object OTHER = new Object();

    public static RawRow broken(int row, String problem) {
        return new RawRow(row, Map.of(), problem);
    }
}
