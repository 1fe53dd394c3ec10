package io.spendshift.policy;

import java.math.BigDecimal;
import java.time.LocalDate;

/** One channel's metrics on one day, as the facts calculator reads them. {@code ltv} may be null. */
public record DailyPerformance(LocalDate date, BigDecimal spend, long conversions, BigDecimal revenue,
                               long newCustomers, BigDecimal ltv) {

    /** Long-term value of the day: new customers times LTV where LTV is known, else revenue. */
    public double value() {
        return ltv != null && newCustomers > 0 ? newCustomers * ltv.doubleValue() : revenue.doubleValue();
    }
}
