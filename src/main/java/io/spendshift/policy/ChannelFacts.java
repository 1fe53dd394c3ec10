package io.spendshift.policy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One channel as the rules see it: its budget line and its performance over the lookback window that ends
 * the day before {@code asOf}. Money is {@link BigDecimal} in the portfolio's currency; ratios are
 * {@link Double} and are {@code null} where their denominator is zero (never infinite). Documented field by
 * field for strategists in {@code rules/README.md}.
 */
public class ChannelFacts implements Explainable {

    private String channel;
    private String kind;
    private BigDecimal dailyBudget;
    private BigDecimal minDailyBudget = BigDecimal.ZERO;
    private BigDecimal maxDailyBudget;
    private boolean locked;
    private BigDecimal spend = BigDecimal.ZERO;
    private BigDecimal revenue = BigDecimal.ZERO;
    private long conversions;
    private long newCustomers;
    private BigDecimal value = BigDecimal.ZERO;
    private Double roas;
    private BigDecimal cpa;
    private BigDecimal cac;
    private BigDecimal ltv;
    private Double ltvToCac;
    private Double ltvRoas;
    /** What the channel's value rests on over the window: OUTCOMES (the team's feed), METRICS (LTV in metric
     * rows) or REVENUE (platform revenue only), the most trusted source any day of the window had. */
    private String valueSource = "REVENUE";
    private Double marginalRoas;
    private double marginalRoasConfidence;
    private int daysOfData;
    private Integer daysSinceLastChange;
    private boolean dataGap;
    private Double elasticity;
    private Double elasticitySd;
    private boolean identified;
    private BigDecimal targetBudget;
    private String platform;
    private List<String> tags = List.of();
    private BigDecimal spend7 = BigDecimal.ZERO;
    private BigDecimal value7 = BigDecimal.ZERO;
    private Double roas7;
    private BigDecimal cac7;
    private BigDecimal spend14 = BigDecimal.ZERO;
    private BigDecimal value14 = BigDecimal.ZERO;
    private Double roas14;
    private BigDecimal cac14;
    private BigDecimal spend28 = BigDecimal.ZERO;
    private BigDecimal value28 = BigDecimal.ZERO;
    private Double roas28;
    private BigDecimal cac28;
    private int daysCacAboveLtv;
    private int daysRoasBelowBreakEven;
    private BigDecimal monthToDateSpend = BigDecimal.ZERO;

    public ChannelFacts() {
    }

    public ChannelFacts(String channel, String kind, BigDecimal dailyBudget) {
        this.channel = channel;
        this.kind = kind;
        this.dailyBudget = dailyBudget;
    }

    /** Headroom: true when the budget is below its maximum (or there is none). */
    public boolean isHasHeadroom() {
        return maxDailyBudget == null || dailyBudget.compareTo(maxDailyBudget) < 0;
    }

    /** True when the budget is above its minimum. */
    public boolean isCanGiveUp() {
        return dailyBudget.compareTo(minDailyBudget) > 0;
    }

    @Override
    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "ChannelFacts");
        m.put("channel", channel);
        m.put("kind", kind);
        m.put("dailyBudget", dailyBudget);
        m.put("spend", spend);
        m.put("value", value);
        m.put("valueSource", valueSource);
        m.put("conversions", conversions);
        m.put("roas", round(roas));
        m.put("ltvToCac", round(ltvToCac));
        m.put("marginalRoas", round(marginalRoas));
        m.put("marginalRoasConfidence", round(marginalRoasConfidence));
        m.put("targetBudget", targetBudget);
        m.put("daysOfData", daysOfData);
        m.put("daysSinceLastChange", daysSinceLastChange);
        m.put("dataGap", dataGap);
        m.put("locked", locked);
        if (!tags.isEmpty()) {
            m.put("tags", tags);
        }
        if (daysCacAboveLtv > 0) {
            m.put("daysCacAboveLtv", daysCacAboveLtv);
        }
        if (daysRoasBelowBreakEven > 0) {
            m.put("daysRoasBelowBreakEven", daysRoasBelowBreakEven);
        }
        return m;
    }

    static Double round(Double d) {
        return d == null ? null : Math.round(d * 10000) / 10000.0;
    }

    public String getChannel() { return channel; }
    public void setChannel(String channel) { this.channel = channel; }
    public String getKind() { return kind; }
    public void setKind(String kind) { this.kind = kind; }
    public BigDecimal getDailyBudget() { return dailyBudget; }
    public void setDailyBudget(BigDecimal dailyBudget) { this.dailyBudget = dailyBudget; }
    public BigDecimal getMinDailyBudget() { return minDailyBudget; }
    public void setMinDailyBudget(BigDecimal minDailyBudget) { this.minDailyBudget = minDailyBudget; }
    public BigDecimal getMaxDailyBudget() { return maxDailyBudget; }
    public void setMaxDailyBudget(BigDecimal maxDailyBudget) { this.maxDailyBudget = maxDailyBudget; }
    public boolean isLocked() { return locked; }
    public void setLocked(boolean locked) { this.locked = locked; }
    public BigDecimal getSpend() { return spend; }
    public void setSpend(BigDecimal spend) { this.spend = spend; }
    public BigDecimal getRevenue() { return revenue; }
    public void setRevenue(BigDecimal revenue) { this.revenue = revenue; }
    public long getConversions() { return conversions; }
    public void setConversions(long conversions) { this.conversions = conversions; }
    public long getNewCustomers() { return newCustomers; }
    public void setNewCustomers(long newCustomers) { this.newCustomers = newCustomers; }
    public BigDecimal getValue() { return value; }
    public void setValue(BigDecimal value) { this.value = value; }
    public Double getRoas() { return roas; }
    public void setRoas(Double roas) { this.roas = roas; }
    public BigDecimal getCpa() { return cpa; }
    public void setCpa(BigDecimal cpa) { this.cpa = cpa; }
    public BigDecimal getCac() { return cac; }
    public void setCac(BigDecimal cac) { this.cac = cac; }
    public BigDecimal getLtv() { return ltv; }
    public void setLtv(BigDecimal ltv) { this.ltv = ltv; }
    public Double getLtvToCac() { return ltvToCac; }
    public void setLtvToCac(Double ltvToCac) { this.ltvToCac = ltvToCac; }
    public String getValueSource() { return valueSource; }
    public void setValueSource(String valueSource) { this.valueSource = valueSource; }
    public Double getLtvRoas() { return ltvRoas; }
    public void setLtvRoas(Double ltvRoas) { this.ltvRoas = ltvRoas; }
    public Double getMarginalRoas() { return marginalRoas; }
    public void setMarginalRoas(Double marginalRoas) { this.marginalRoas = marginalRoas; }
    public double getMarginalRoasConfidence() { return marginalRoasConfidence; }
    public void setMarginalRoasConfidence(double c) { this.marginalRoasConfidence = c; }
    public int getDaysOfData() { return daysOfData; }
    public void setDaysOfData(int daysOfData) { this.daysOfData = daysOfData; }
    public Integer getDaysSinceLastChange() { return daysSinceLastChange; }
    public void setDaysSinceLastChange(Integer d) { this.daysSinceLastChange = d; }
    /** Posterior mean and sd of the elasticity of daily value to spend (null without a model). */
    public Double getElasticity() { return elasticity; }
    public void setElasticity(Double elasticity) { this.elasticity = elasticity; }
    public Double getElasticitySd() { return elasticitySd; }
    public void setElasticitySd(Double elasticitySd) { this.elasticitySd = elasticitySd; }
    /** True when the response is known well enough that the channel is no longer explored. */
    public boolean isIdentified() { return identified; }
    public void setIdentified(boolean identified) { this.identified = identified; }
    /**
     * The budget the response model would give the channel (null where it has none): where the marginal values
     * of the channels it knows are equal, within bounds. Rules step towards it.
     */
    public BigDecimal getTargetBudget() { return targetBudget; }
    public void setTargetBudget(BigDecimal targetBudget) { this.targetBudget = targetBudget; }
    public boolean isDataGap() { return dataGap; }
    public void setDataGap(boolean dataGap) { this.dataGap = dataGap; }

    /** The platform the channel runs on (as set on the channel, e.g. google-ads), null if none. */
    public String getPlatform() { return platform; }
    public void setPlatform(String platform) { this.platform = platform; }
    /** The channel's tags (slugs such as brand, prospecting, retargeting), never null; test with {@code tags contains "brand"}. */
    public List<String> getTags() { return tags; }
    public void setTags(List<String> tags) { this.tags = tags == null ? List.of() : List.copyOf(tags); }
    /** Short and long windows ending yesterday, beside the lookback: spend, value, ROAS and CAC over 7, 14 and 28 days. */
    public BigDecimal getSpend7() { return spend7; }
    public void setSpend7(BigDecimal v) { this.spend7 = v; }
    public BigDecimal getValue7() { return value7; }
    public void setValue7(BigDecimal v) { this.value7 = v; }
    public Double getRoas7() { return roas7; }
    public void setRoas7(Double v) { this.roas7 = v; }
    public BigDecimal getCac7() { return cac7; }
    public void setCac7(BigDecimal v) { this.cac7 = v; }
    public BigDecimal getSpend14() { return spend14; }
    public void setSpend14(BigDecimal v) { this.spend14 = v; }
    public BigDecimal getValue14() { return value14; }
    public void setValue14(BigDecimal v) { this.value14 = v; }
    public Double getRoas14() { return roas14; }
    public void setRoas14(Double v) { this.roas14 = v; }
    public BigDecimal getCac14() { return cac14; }
    public void setCac14(BigDecimal v) { this.cac14 = v; }
    public BigDecimal getSpend28() { return spend28; }
    public void setSpend28(BigDecimal v) { this.spend28 = v; }
    public BigDecimal getValue28() { return value28; }
    public void setValue28(BigDecimal v) { this.value28 = v; }
    public Double getRoas28() { return roas28; }
    public void setRoas28(Double v) { this.roas28 = v; }
    public BigDecimal getCac28() { return cac28; }
    public void setCac28(BigDecimal v) { this.cac28 = v; }
    /** Consecutive days up to yesterday on which the day's CAC was above its LTV (0 if yesterday was not). */
    public int getDaysCacAboveLtv() { return daysCacAboveLtv; }
    public void setDaysCacAboveLtv(int d) { this.daysCacAboveLtv = d; }
    /** Consecutive days up to yesterday on which the day's ROAS was below break-even (0 without a contribution margin). */
    public int getDaysRoasBelowBreakEven() { return daysRoasBelowBreakEven; }
    public void setDaysRoasBelowBreakEven(int d) { this.daysRoasBelowBreakEven = d; }
    /** Spend from the 1st of the month of {@code asOf} up to yesterday (zero on the 1st). */
    public BigDecimal getMonthToDateSpend() { return monthToDateSpend; }
    public void setMonthToDateSpend(BigDecimal v) { this.monthToDateSpend = v; }
}
