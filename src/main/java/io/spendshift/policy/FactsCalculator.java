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
                              BigDecimal maxDailyBudget, boolean locked, LocalDate lastChangedOn) {
    }

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
        return asOf.minusDays(Math.max(lookbackDays, MARGINAL_HISTORY_DAYS));
    }

    /** {@code history}: the channel's days before {@code asOf}, any order, at most one per date. */
    public static ChannelFacts compute(ChannelLine line, List<DailyPerformance> history, LocalDate asOf,
                                       int lookbackDays) {
        LocalDate from = asOf.minusDays(lookbackDays);
        LocalDate yesterday = asOf.minusDays(1);
        ChannelFacts f = new ChannelFacts(line.channel(), line.kind(), line.dailyBudget());
        f.setMinDailyBudget(line.minDailyBudget() == null ? BigDecimal.ZERO : line.minDailyBudget());
        f.setMaxDailyBudget(line.maxDailyBudget());
        f.setLocked(line.locked());
        BigDecimal spend = BigDecimal.ZERO;
        BigDecimal revenue = BigDecimal.ZERO;
        long conversions = 0;
        long newCustomers = 0;
        double ltvWeighted = 0;
        long ltvCustomers = 0;
        double value = 0;
        int days = 0;
        boolean sawYesterday = false;
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
            newCustomers += d.newCustomers();
            if (d.ltv() != null && d.newCustomers() > 0) {
                ltvWeighted += d.ltv().doubleValue() * d.newCustomers();
                ltvCustomers += d.newCustomers();
            }
            value += d.value();
        }
        f.setSpend(spend);
        f.setRevenue(revenue);
        f.setConversions(conversions);
        f.setNewCustomers(newCustomers);
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
