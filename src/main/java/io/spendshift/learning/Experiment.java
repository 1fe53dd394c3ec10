package io.spendshift.learning;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * A designed budget move on one channel: {@code amount} of daily budget added (negative: taken) from
 * {@code from} until the day before {@code until}, {@code deltaPct} of the channel's budget before the move.
 * Experiments come in balanced groups (what one channel gives another takes), so totals are conserved.
 */
public record Experiment(String channel, BigDecimal amount, double deltaPct, String reason, LocalDate from,
                         LocalDate until) {
}
