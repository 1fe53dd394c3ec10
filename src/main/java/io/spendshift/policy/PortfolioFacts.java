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
    private boolean pacing;
    private String periodKind;
    private LocalDate periodFrom;
    private LocalDate periodTo;
    private BigDecimal periodBudget;
    private BigDecimal spendToDate;
    private BigDecimal expectedSpendToDate;
    private int daysElapsed;
    private int daysLeft;
    private BigDecimal pacedDailyTotal;
    private Double pace;
    private double maxDailyChangePct = PolicyDefaults.MAX_DAILY_CHANGE_PCT.doubleValue();
    private BigDecimal dailyTarget;

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
        if (pacing) {
            m.put("periodKind", periodKind);
            m.put("periodFrom", periodFrom.toString());
            m.put("periodTo", periodTo.toString());
            m.put("periodBudget", periodBudget);
            m.put("spendToDate", spendToDate);
            m.put("daysElapsed", daysElapsed);
            m.put("daysLeft", daysLeft);
            m.put("pacedDailyTotal", pacedDailyTotal);
            m.put("pace", ChannelFacts.round(pace));
            m.put("dailyTarget", dailyTarget);
        }
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

    /** True when the portfolio has a budget plan with a period covering {@code asOf}: the pacing facts are set. */
    public boolean isPacing() { return pacing; }
    public void setPacing(boolean pacing) { this.pacing = pacing; }
    /** {@code FLIGHT} (a flight covers {@code asOf}) or {@code MONTH} (the calendar month); null without pacing. */
    public String getPeriodKind() { return periodKind; }
    public void setPeriodKind(String v) { this.periodKind = v; }
    /** The first day of the budget period. */
    public LocalDate getPeriodFrom() { return periodFrom; }
    public void setPeriodFrom(LocalDate v) { this.periodFrom = v; }
    /** The last day of the budget period (inclusive). */
    public LocalDate getPeriodTo() { return periodTo; }
    public void setPeriodTo(LocalDate v) { this.periodTo = v; }
    /** The period's budget: the flight's, or the monthly budget. */
    public BigDecimal getPeriodBudget() { return periodBudget; }
    public void setPeriodBudget(BigDecimal v) { this.periodBudget = v; }
    /** The actual spend of the period's days before {@code asOf} (metrics, all channels). */
    public BigDecimal getSpendToDate() { return spendToDate; }
    public void setSpendToDate(BigDecimal v) { this.spendToDate = v; }
    /** What an even pace would have spent by now: {@code periodBudget * daysElapsed / days of the period}. */
    public BigDecimal getExpectedSpendToDate() { return expectedSpendToDate; }
    public void setExpectedSpendToDate(BigDecimal v) { this.expectedSpendToDate = v; }
    /** Days of the period before {@code asOf}. */
    public int getDaysElapsed() { return daysElapsed; }
    public void setDaysElapsed(int v) { this.daysElapsed = v; }
    /** Days of the period from {@code asOf} to its end, both included. */
    public int getDaysLeft() { return daysLeft; }
    public void setDaysLeft(int v) { this.daysLeft = v; }
    /** The total daily budget that spends the rest of the budget evenly: {@code (budget - spendToDate) / daysLeft}. */
    public BigDecimal getPacedDailyTotal() { return pacedDailyTotal; }
    public void setPacedDailyTotal(BigDecimal v) { this.pacedDailyTotal = v; }
    /** {@code spendToDate / expectedSpendToDate}: above 1 spending ahead of the budget; null on the period's first day. */
    public Double getPace() { return pace; }
    public void setPace(Double v) { this.pace = v; }
    /** The largest change of the total daily budget in one day, % of the total ({@code plan.maxDailyChangePct}). */
    public double getMaxDailyChangePct() { return maxDailyChangePct; }
    public void setMaxDailyChangePct(double v) { this.maxDailyChangePct = v; }
    /** The paced daily total bounded to {@code totalBudget ± maxDailyChangePct}: what the pacing step aims at. */
    public BigDecimal getDailyTarget() { return dailyTarget; }
    public void setDailyTarget(BigDecimal v) { this.dailyTarget = v; }
}
