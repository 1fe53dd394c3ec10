package io.spendshift.policy;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * One channel's metrics on one day, as the facts calculator reads them. Counts may be fractional (platforms
 * attribute parts of conversions); {@code newCustomers} is null when the day's source did not say (a platform
 * export has no such column), and {@code ltv} may be null.
 */
public record DailyPerformance(LocalDate date, BigDecimal spend, double conversions, BigDecimal revenue,
                               Double newCustomers, BigDecimal ltv, ValueSource valueSource,
                               double revenueMultiplier) {

    /** A day whose value source is known; revenue counts as it is. */
    public DailyPerformance(LocalDate date, BigDecimal spend, double conversions, BigDecimal revenue,
                            Double newCustomers, BigDecimal ltv, ValueSource valueSource) {
        this(date, spend, conversions, revenue, newCustomers, ltv, valueSource, 1.0);
    }

    /**
     * The same day with revenue counted {@code m} times as value where no LTV is known (the policy's
     * {@code ltvMultiplier} of the channel's kind); ROAS still reads revenue as it is.
     */
    public DailyPerformance withRevenueMultiplier(double m) {
        return new DailyPerformance(date, spend, conversions, revenue, newCustomers, ltv, valueSource, m);
    }

    /** Where a day's value comes from, the most trusted first. */
    public enum ValueSource {
        /** The team's own customer feed ({@code POST …/outcomes}): new customers and their long-term value. */
        OUTCOMES,
        /** An LTV given in the metric rows themselves. */
        METRICS,
        /** Neither: the value is the platform's revenue. */
        REVENUE
    }

    /** A day read from metric rows alone: its value rests on their LTV where given, else on revenue. */
    public DailyPerformance(LocalDate date, BigDecimal spend, double conversions, BigDecimal revenue,
                            Double newCustomers, BigDecimal ltv) {
        this(date, spend, conversions, revenue, newCustomers, ltv,
                ltv != null && newCustomers != null && newCustomers > 0 ? ValueSource.METRICS : ValueSource.REVENUE);
    }

    /** A day with whole counts and known new customers (simulations, tests). */
    public DailyPerformance(LocalDate date, BigDecimal spend, long conversions, BigDecimal revenue, long newCustomers,
                            BigDecimal ltv) {
        this(date, spend, (double) conversions, revenue, (double) newCustomers, ltv);
    }

    /** New customers of the day, 0 where unknown. */
    public double customers() {
        return newCustomers == null ? 0 : newCustomers;
    }

    /** Whether the day says how many new customers it brought. */
    public boolean customersKnown() {
        return newCustomers != null;
    }

    /** Long-term value of the day: new customers times LTV where LTV is known, else revenue (times the kind's
     * multiplier, when the policy sets one). */
    public double value() {
        return ltv != null && customers() > 0 ? customers() * ltv.doubleValue()
                : revenue.doubleValue() * revenueMultiplier;
    }
}
