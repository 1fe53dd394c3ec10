package io.spendshift.policy;

import java.math.BigDecimal;

/**
 * The one source of the policy's defaults (API.md, "Portfolios"): what a portfolio, a simulation and the facts
 * the rules see use when a value is not given.
 */
public final class PolicyDefaults {

    public static final int LOOKBACK_DAYS = 28;
    public static final BigDecimal MAX_SHIFT_PCT = new BigDecimal("20");
    /** {@code plan.maxDailyChangePct}: the largest change of the total daily budget pacing makes in one day (%). */
    public static final BigDecimal MAX_DAILY_CHANGE_PCT = new BigDecimal("10");
    public static final int MIN_CONVERSIONS = 30;
    public static final int COOLDOWN_DAYS = 3;
    public static final BigDecimal AUTO_APPLY_MAX_SHIFT_PCT = new BigDecimal("10");
    public static final BigDecimal MIN_LTV_TO_CAC = new BigDecimal("3.0");
    public static final boolean EXPLORATION_ENABLED = true;
    public static final BigDecimal EXPLORATION_MAX_PCT = new BigDecimal("10");
    public static final BigDecimal EXPLORATION_MAX_COST_PCT = new BigDecimal("1");
    public static final int MAX_APPLIES_PER_DAY = 1;
    public static final int VERIFY_AFTER_DAYS = 14;
    public static final boolean AUTO_REVERT = false;
    /** The most freeze periods a portfolio keeps. */
    public static final int MAX_FREEZE_PERIODS = 50;

    private PolicyDefaults() {
    }
}
