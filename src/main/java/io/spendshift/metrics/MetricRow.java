package io.spendshift.metrics;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One channel's performance on one day, as ingested and as listed. {@code ltv} is the average predicted
 * lifetime value of the day's new customers, or null when unknown.
 */
public record MetricRow(String channel, LocalDate date, BigDecimal spend, long impressions, long clicks,
                        long conversions, BigDecimal revenue, long newCustomers, BigDecimal ltv) {
}
