package io.spendshift.policy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Pacing facts: which budget period a day falls in (the flight covering it, else its calendar month when the
 * plan has a monthly budget), how much of the period's budget is spent, and the total daily budget that lands the
 * period's spend on its budget, bounded to a daily change of at most {@code maxDailyChangePct} of the current total.
 * Plain Java, shared by the cycle (facts from the database) and the closed-loop simulator.
 */
public final class Pacing {

    private Pacing() {
    }

    /** A flight: {@code budget} over {@code from..to} inclusive. */
    public record Flight(LocalDate from, LocalDate to, BigDecimal budget) {
    }

    /** A portfolio's budget plan; {@code maxDailyChangePct} in percent (null: the default). */
    public record BudgetPlan(BigDecimal monthlyBudget, List<Flight> flights, BigDecimal maxDailyChangePct) {

        public BudgetPlan {
            flights = flights == null ? List.of() : List.copyOf(flights);
        }

        public double maxDailyChangeShare() {
            return (maxDailyChangePct == null ? PolicyDefaults.MAX_DAILY_CHANGE_PCT : maxDailyChangePct).doubleValue() / 100.0;
        }
    }

    /** The period a day belongs to: {@code FLIGHT} or {@code MONTH}, its dates (inclusive) and its budget. */
    public record Period(String kind, LocalDate from, LocalDate to, BigDecimal budget) {

        public long days() {
            return ChronoUnit.DAYS.between(from, to) + 1;
        }
    }

    /** The period {@code day} falls in: a flight covering it takes precedence over the month; null: none. */
    public static Period period(BudgetPlan plan, LocalDate day) {
        if (plan == null || day == null) {
            return null;
        }
        for (Flight f : plan.flights()) {
            if (!day.isBefore(f.from()) && !day.isAfter(f.to())) {
                return new Period("FLIGHT", f.from(), f.to(), f.budget());
            }
        }
        if (plan.monthlyBudget() == null) {
            return null;
        }
        return new Period("MONTH", day.withDayOfMonth(1), day.withDayOfMonth(day.lengthOfMonth()), plan.monthlyBudget());
    }

    /**
     * Sets the pacing facts of {@code facts} for its {@code asOf} and {@code totalBudget}: {@code spentToDate} is
     * the actual spend of the period's days before {@code asOf}.
     */
    public static void annotate(PortfolioFacts facts, BudgetPlan plan, Period period, BigDecimal spentToDate) {
        if (period == null) {
            return;
        }
        LocalDate asOf = facts.getAsOf();
        BigDecimal spent = spentToDate == null ? BigDecimal.ZERO : spentToDate.setScale(2, RoundingMode.HALF_EVEN);
        long elapsed = ChronoUnit.DAYS.between(period.from(), asOf);
        long left = ChronoUnit.DAYS.between(asOf, period.to()) + 1;
        BigDecimal remaining = period.budget().subtract(spent).max(BigDecimal.ZERO);
        BigDecimal paced = remaining.divide(BigDecimal.valueOf(left), 2, RoundingMode.HALF_EVEN);
        BigDecimal expected = period.budget().multiply(BigDecimal.valueOf(elapsed))
                .divide(BigDecimal.valueOf(period.days()), 2, RoundingMode.HALF_EVEN);
        BigDecimal total = facts.getTotalBudget() == null ? BigDecimal.ZERO : facts.getTotalBudget();
        double share = plan.maxDailyChangeShare();
        BigDecimal step = total.multiply(BigDecimal.valueOf(share)).setScale(2, RoundingMode.HALF_EVEN);
        BigDecimal target = paced.max(total.subtract(step)).min(total.add(step)).max(BigDecimal.ZERO);
        facts.setPacing(true);
        facts.setPeriodKind(period.kind());
        facts.setPeriodFrom(period.from());
        facts.setPeriodTo(period.to());
        facts.setPeriodBudget(period.budget());
        facts.setSpendToDate(spent);
        facts.setDaysElapsed((int) elapsed);
        facts.setDaysLeft((int) left);
        facts.setPacedDailyTotal(paced);
        facts.setExpectedSpendToDate(expected);
        facts.setPace(expected.signum() == 0 ? null : spent.doubleValue() / expected.doubleValue());
        facts.setMaxDailyChangePct(share * 100.0);
        facts.setDailyTarget(target);
    }
}
