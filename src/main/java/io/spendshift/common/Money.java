package io.spendshift.common;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Money at the edges of the service: two decimals, half-even rounding, never a double. */
public final class Money {

    public static final BigDecimal MAX = new BigDecimal("1000000000000");

    private Money() {
    }

    public static BigDecimal cents(BigDecimal v) {
        return v == null ? null : v.setScale(2, RoundingMode.HALF_EVEN);
    }
}
