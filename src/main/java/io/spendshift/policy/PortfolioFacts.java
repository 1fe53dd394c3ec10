package io.spendshift.policy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The portfolio as the rules see it: the policy (API.md defaults), the day the cycle decides for, the
 * lookback window, and totals. Percentages are in percent (20 = 20%).
 */
public class PortfolioFacts implements Explainable {

    private String portfolio;
    private LocalDate asOf;
    private LocalDate windowFrom;
    private LocalDate windowTo;
    private int lookbackDays = PolicyDefaults.LOOKBACK_DAYS;
    private double maxShiftPct = PolicyDefaults.MAX_SHIFT_PCT.doubleValue();
    private long minConversions = PolicyDefaults.MIN_CONVERSIONS;
    private int cooldownDays = PolicyDefaults.COOLDOWN_DAYS;
    private double autoApplyMaxShiftPct = PolicyDefaults.AUTO_APPLY_MAX_SHIFT_PCT.doubleValue();
    private Double targetRoas;
    private Double contributionMargin;
    private double minLtvToCac = PolicyDefaults.MIN_LTV_TO_CAC.doubleValue();
    private BigDecimal totalBudget = BigDecimal.ZERO;
    private int channelCount;
    private boolean frozen;
    private String freezeReason;
    private BigDecimal monthToDateSpend = BigDecimal.ZERO;

    /** The day of the week of {@code asOf} (null without one): {@code dayOfWeek == DayOfWeek.MONDAY}. */
    public java.time.DayOfWeek getDayOfWeek() {
        return asOf == null ? null : asOf.getDayOfWeek();
    }

    /** Days from {@code asOf} to the last day of its month: 0 on the last day, 6 on the first day of the last week. */
    public Integer getDaysToMonthEnd() {
        return asOf == null ? null : asOf.lengthOfMonth() - asOf.getDayOfMonth();
    }

    /** Break-even ROAS, {@code 1 / contributionMargin}, or null when no margin is set. */
    public Double getBreakEvenRoas() {
        return contributionMargin == null || contributionMargin <= 0 ? null : 1.0 / contributionMargin;
    }

    @Override
    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "PortfolioFacts");
        m.put("portfolio", portfolio);
        m.put("asOf", asOf == null ? null : asOf.toString());
        m.put("maxShiftPct", maxShiftPct);
        m.put("minConversions", minConversions);
        m.put("cooldownDays", cooldownDays);
        m.put("minLtvToCac", minLtvToCac);
        m.put("contributionMargin", contributionMargin);
        m.put("targetRoas", targetRoas);
        m.put("totalBudget", totalBudget);
        if (asOf != null) {
            m.put("dayOfWeek", getDayOfWeek().toString());
            m.put("daysToMonthEnd", getDaysToMonthEnd());
        }
        m.put("frozen", frozen);
        m.put("monthToDateSpend", monthToDateSpend);
        return m;
    }

    public String getPortfolio() { return portfolio; }
    public void setPortfolio(String portfolio) { this.portfolio = portfolio; }
    public LocalDate getAsOf() { return asOf; }
    public void setAsOf(LocalDate asOf) { this.asOf = asOf; }
    public LocalDate getWindowFrom() { return windowFrom; }
    public void setWindowFrom(LocalDate windowFrom) { this.windowFrom = windowFrom; }
    public LocalDate getWindowTo() { return windowTo; }
    public void setWindowTo(LocalDate windowTo) { this.windowTo = windowTo; }
    public int getLookbackDays() { return lookbackDays; }
    public void setLookbackDays(int lookbackDays) { this.lookbackDays = lookbackDays; }
    public double getMaxShiftPct() { return maxShiftPct; }
    public void setMaxShiftPct(double maxShiftPct) { this.maxShiftPct = maxShiftPct; }
    public long getMinConversions() { return minConversions; }
    public void setMinConversions(long minConversions) { this.minConversions = minConversions; }
    public int getCooldownDays() { return cooldownDays; }
    public void setCooldownDays(int cooldownDays) { this.cooldownDays = cooldownDays; }
    public double getAutoApplyMaxShiftPct() { return autoApplyMaxShiftPct; }
    public void setAutoApplyMaxShiftPct(double v) { this.autoApplyMaxShiftPct = v; }
    public Double getTargetRoas() { return targetRoas; }
    public void setTargetRoas(Double targetRoas) { this.targetRoas = targetRoas; }
    public Double getContributionMargin() { return contributionMargin; }
    public void setContributionMargin(Double contributionMargin) { this.contributionMargin = contributionMargin; }
    public double getMinLtvToCac() { return minLtvToCac; }
    public void setMinLtvToCac(double minLtvToCac) { this.minLtvToCac = minLtvToCac; }
    public BigDecimal getTotalBudget() { return totalBudget; }
    public void setTotalBudget(BigDecimal totalBudget) { this.totalBudget = totalBudget; }
    public int getChannelCount() { return channelCount; }
    public void setChannelCount(int channelCount) { this.channelCount = channelCount; }
    /** True when {@code asOf} falls in one of the portfolio's freeze periods ({@code policy.freeze}). */
    public boolean isFrozen() { return frozen; }
    public void setFrozen(boolean frozen) { this.frozen = frozen; }
    /** The reason of the freeze period {@code asOf} falls in, null when not frozen. */
    public String getFreezeReason() { return freezeReason; }
    public void setFreezeReason(String freezeReason) { this.freezeReason = freezeReason; }
    /** The portfolio's spend from the 1st of the month of {@code asOf} up to yesterday: the channels' sum. */
    public BigDecimal getMonthToDateSpend() { return monthToDateSpend; }
    public void setMonthToDateSpend(BigDecimal v) { this.monthToDateSpend = v; }
}
