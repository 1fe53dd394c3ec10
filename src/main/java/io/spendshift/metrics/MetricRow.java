package io.spendshift.metrics;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One channel's performance on one day, as ingested and as listed. {@code conversions} and {@code newCustomers}
 * may be fractional (attribution), up to 6 decimals; {@code newCustomers} is null when the source did not say
 * (platform exports); {@code ltv} is the average predicted lifetime value of the day's new customers, or null
 * when unknown.
 */
public record MetricRow(String channel, LocalDate date, BigDecimal spend, long impressions, long clicks,
                        BigDecimal conversions, BigDecimal revenue, BigDecimal newCustomers, BigDecimal ltv) {

    /** A row with whole counts (simulations, tests). */
    public MetricRow(String channel, LocalDate date, BigDecimal spend, long impressions, long clicks, long conversions,
                     BigDecimal revenue, long newCustomers, BigDecimal ltv) {
        this(channel, date, spend, impressions, clicks, BigDecimal.valueOf(conversions), revenue,
                BigDecimal.valueOf(newCustomers), ltv);
    }
}
