package io.spendshift.outcome;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * One channel-day of the team's own customer value: how many new customers the channel acquired that day and
 * their long-term value, per customer ({@code ltv}) and for the cohort ({@code value}); {@code ltv} is null when
 * the day brought no customers. {@code reportedAt} is when the row was last posted.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record OutcomeRow(String channel, LocalDate date, BigDecimal newCustomers, BigDecimal ltv, BigDecimal value,
                         Instant reportedAt) {
}
