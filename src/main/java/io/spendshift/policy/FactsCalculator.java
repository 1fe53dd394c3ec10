package io.spendshift.policy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a channel's budget line and daily history into the {@link ChannelFacts} the rules see (API.md,
 * {@code performance}). The lookback window is {@code [asOf - lookbackDays, asOf - 1]}. The marginal value and
 * its confidence are the response model's ({@code io.spendshift.learning.PortfolioModel#annotate}); here they
 * start as the average over the last {@value #MARGINAL_HISTORY_DAYS} days with confidence 0.
 */
public final class FactsCalculator {

    /** 60 rather than 90: after budget moves, recent days describe the current spend level better (policy benchmark). */
    public static final int MARGINAL_HISTORY_DAYS = 60;

    private FactsCalculator() {
    }

    /** A channel's budget line. */
    public record ChannelLine(String channel, String kind, BigDecimal dailyBudget, BigDecimal minDailyBudget,
                              BigDecimal maxDailyBudget, boolean locked, LocalDate lastChangedOn, String platform,
                              List<String> tags) {

        public ChannelLine(String channel, String kind, BigDecimal dailyBudget, BigDecimal minDailyBudget,
                           BigDecimal maxDailyBudget, boolean locked, LocalDate lastChangedOn) {
            this(channel, kind, dailyBudget, minDailyBudget, maxDailyBudget, locked, lastChangedOn, null, List.of());
        }
    }

    /** The short and long windows beside the lookback, in days. */
    static final int[] WINDOWS = {7, 14, 28};

    private static Double average(List<DailyPerformance> days) {
        double spend = 0;
        double value = 0;
        for (DailyPerformance d : days) {
            spend += d.spend().doubleValue();
            value += d.value();
        }
        return spend > 0 ? value / spend : null;
    }

    /** The first day of the history the calculator needs for {@code asOf}. */
    public static LocalDate historyStart(LocalDate asOf, int lookbackDays) {
        // MARGINAL_HISTORY_DAYS (60) also covers the 28-day window, the month to date and streaks up to 60 days
        return asOf.minusDays(Math.max(lookbackDays, MARGINAL_HISTORY_DAYS));
    }

    /** {@code history}: the channel's days before {@code asOf}, any order, at most one per date. */
    public static ChannelFacts compute(ChannelLine line, List<DailyPerformance> history, LocalDate asOf,
                                       int lookbackDays) {
        return compute(line, history, asOf, lookbackDays, null);
    }

    /** {@code breakEvenRoas}: the portfolio's (null: no contribution margin, so no streak below it). */
    public static ChannelFacts compute(ChannelLine line, List<DailyPerformance> history, LocalDate asOf,
                                       int lookbackDays, Double breakEvenRoas) {
        ChannelFacts f = lookback(line, history, asOf, lookbackDays);
        f.setPlatform(line.platform());
        f.setTags(line.tags());
        windowsStreaksAndMonth(f, history, asOf, breakEvenRoas);
        return f;
    }

    /**
     * The 7/14/28-day windows, the streaks (consecutive days up to yesterday a condition held; a day without data
     * ends a streak) and the month-to-date spend. A day counts towards {@code daysCacAboveLtv} when it had spend
     * and either no new customer or a CAC (spend / new customers) above that day's LTV; a day with new customers
     * but no LTV, or whose source does not count new customers (a platform export), ends the streak.
     */
    static void windowsStreaksAndMonth(ChannelFacts f, List<DailyPerformance> history, LocalDate asOf,
                                       Double breakEvenRoas) {
        int n = WINDOWS.length;
        BigDecimal[] spend = new BigDecimal[n];
        BigDecimal[] revenue = new BigDecimal[n];
        double[] value = new double[n];
        double[] customers = new double[n];
        java.util.Arrays.fill(spend, BigDecimal.ZERO);
        java.util.Arrays.fill(revenue, BigDecimal.ZERO);
        BigDecimal mtd = BigDecimal.ZERO;
        LocalDate monthStart = asOf.withDayOfMonth(1);
        java.util.Map<LocalDate, DailyPerformance> byDay = new java.util.HashMap<>();
        for (DailyPerformance d : history) {
            if (!d.date().isBefore(asOf)) {
                continue;
            }
            byDay.put(d.date(), d);
            long ago = ChronoUnit.DAYS.between(d.date(), asOf);
            for (int i = 0; i < n; i++) {
                if (ago <= WINDOWS[i]) {
                    spend[i] = spend[i].add(d.spend());
                    revenue[i] = revenue[i].add(d.revenue());
                    value[i] += d.value();
                    customers[i] += d.customers();
                }
            }
            if (!d.date().isBefore(monthStart)) {
                mtd = mtd.add(d.spend());
            }
        }
        BigDecimal[] v = new BigDecimal[n];
        Double[] roas = new Double[n];
        BigDecimal[] cac = new BigDecimal[n];
        for (int i = 0; i < n; i++) {
            v[i] = BigDecimal.valueOf(value[i]).setScale(2, RoundingMode.HALF_EVEN);
            roas[i] = spend[i].signum() > 0 ? revenue[i].doubleValue() / spend[i].doubleValue() : null;
            cac[i] = customers[i] > 0 ? spend[i].divide(BigDecimal.valueOf(customers[i]), 2, RoundingMode.HALF_EVEN) : null;
        }
        f.setSpend7(spend[0]);
        f.setValue7(v[0]);
        f.setRoas7(roas[0]);
        f.setCac7(cac[0]);
        f.setSpend14(spend[1]);
        f.setValue14(v[1]);
        f.setRoas14(roas[1]);
        f.setCac14(cac[1]);
        f.setSpend28(spend[2]);
        f.setValue28(v[2]);
        f.setRoas28(roas[2]);
        f.setCac28(cac[2]);
        f.setMonthToDateSpend(mtd);
        int cacStreak = 0;
        for (LocalDate d = asOf.minusDays(1); byDay.containsKey(d) && cacAboveLtv(byDay.get(d)); d = d.minusDays(1)) {
            cacStreak++;
        }
        f.setDaysCacAboveLtv(cacStreak);
        int roasStreak = 0;
        if (breakEvenRoas != null) {
            for (LocalDate d = asOf.minusDays(1); byDay.containsKey(d) && roasBelow(byDay.get(d), breakEvenRoas);
                 d = d.minusDays(1)) {
                roasStreak++;
            }
        }
        f.setDaysRoasBelowBreakEven(roasStreak);
    }

    static boolean cacAboveLtv(DailyPerformance d) {
        if (d.spend().signum() <= 0) {
            return false;
        }
        if (!d.customersKnown()) {
            return false; // a day whose source does not count new customers says nothing about CAC
        }
        if (d.customers() == 0) {
            return true;
        }
        return d.ltv() != null && d.spend().doubleValue() / d.customers() > d.ltv().doubleValue();
    }

    static boolean roasBelow(DailyPerformance d, double breakEven) {
        return d.spend().signum() > 0 && d.revenue().doubleValue() / d.spend().doubleValue() < breakEven;
    }

    private static ChannelFacts lookback(ChannelLine line, List<DailyPerformance> history, LocalDate asOf,
                                         int lookbackDays) {
        LocalDate from = asOf.minusDays(lookbackDays);
        LocalDate yesterday = asOf.minusDays(1);
        ChannelFacts f = new ChannelFacts(line.channel(), line.kind(), line.dailyBudget());
        f.setMinDailyBudget(line.minDailyBudget() == null ? BigDecimal.ZERO : line.minDailyBudget());
        f.setMaxDailyBudget(line.maxDailyBudget());
        f.setLocked(line.locked());
        BigDecimal spend = BigDecimal.ZERO;
        BigDecimal revenue = BigDecimal.ZERO;
        double conversions = 0;
        double newCustomers = 0;
        double ltvWeighted = 0;
        double ltvCustomers = 0;
        double value = 0;
        int days = 0;
        boolean sawYesterday = false;
        DailyPerformance.ValueSource source = DailyPerformance.ValueSource.REVENUE;
        List<DailyPerformance> marginalDays = new ArrayList<>();
        for (DailyPerformance d : history) {
            if (!d.date().isBefore(asOf)) {
                continue;
            }
            if (!d.date().isBefore(asOf.minusDays(MARGINAL_HISTORY_DAYS))) {
                marginalDays.add(d);
            }
            if (d.date().isBefore(from)) {
                continue;
            }
            days++;
            sawYesterday |= d.date().equals(yesterday);
            spend = spend.add(d.spend());
            revenue = revenue.add(d.revenue());
            conversions += d.conversions();
            newCustomers += d.customers();
            if (d.ltv() != null && d.customers() > 0) {
                ltvWeighted += d.ltv().doubleValue() * d.customers();
                ltvCustomers += d.customers();
            }
            value += d.value();
            if (d.valueSource() != null && d.valueSource().ordinal() < source.ordinal()) {
                source = d.valueSource();
            }
        }
        f.setValueSource(source.name());
        f.setSpend(spend);
        f.setRevenue(revenue);
        // the rules count whole conversions and customers; ratios below use the exact (fractional) sums
        f.setConversions(Math.round(conversions));
        f.setNewCustomers(Math.round(newCustomers));
        f.setValue(BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_EVEN));
        f.setDaysOfData(days);
        f.setDataGap(!sawYesterday);
        double s = spend.doubleValue();
        f.setRoas(s > 0 ? revenue.doubleValue() / s : null);
        f.setCpa(conversions > 0 ? spend.divide(BigDecimal.valueOf(conversions), 2, RoundingMode.HALF_EVEN) : null);
        BigDecimal cac = newCustomers > 0 ? spend.divide(BigDecimal.valueOf(newCustomers), 2, RoundingMode.HALF_EVEN) : null;
        f.setCac(cac);
        Double ltv = ltvCustomers > 0 ? ltvWeighted / ltvCustomers : null;
        f.setLtv(ltv == null ? null : BigDecimal.valueOf(ltv).setScale(2, RoundingMode.HALF_EVEN));
        double cacExact = newCustomers > 0 ? s / newCustomers : 0;
        f.setLtvToCac(ltv != null && cacExact > 0 ? ltv / cacExact : null);
        f.setLtvRoas(ltv != null && s > 0 ? newCustomers * ltv / s : null);
        // until the response model (io.spendshift.learning) says more: the average, trusted not at all
        f.setMarginalRoas(average(marginalDays));
        f.setMarginalRoasConfidence(0);
        f.setDaysSinceLastChange(line.lastChangedOn() == null ? null
                : (int) ChronoUnit.DAYS.between(line.lastChangedOn(), asOf));
        return f;
    }
}
