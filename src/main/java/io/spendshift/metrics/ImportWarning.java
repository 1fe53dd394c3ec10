package io.spendshift.metrics;

import java.time.LocalDate;

/**
 * A row that was accepted but looks implausible (more new customers than conversions, revenue without
 * conversions...). {@code line} is where the row came from: the file's line for platform exports, the data row
 * for Spendshift's own CSV and JSON (in a preview, a Spendshift CSV's line of the file too).
 */
public record ImportWarning(int line, String channel, LocalDate date, String message) {
}
