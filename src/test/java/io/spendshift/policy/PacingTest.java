package io.spendshift.policy;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The pacing facts: the period of a day, spend to date, pace, the paced daily total and its daily bound. */
class PacingTest {

    static PortfolioFacts facts(LocalDate asOf, String total) {
        PortfolioFacts f = new PortfolioFacts();
        f.setAsOf(asOf);
        f.setTotalBudget(new BigDecimal(total));
        return f;
    }

    @Test
    void theMonthIsThePeriodWithoutAFlight() {
        Pacing.BudgetPlan plan = new Pacing.BudgetPlan(new BigDecimal("62000"), List.of(), null);
        Pacing.Period p = Pacing.period(plan, LocalDate.of(2026, 3, 11));
        assertThat(p.kind()).isEqualTo("MONTH");
        assertThat(p.from()).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(p.to()).isEqualTo(LocalDate.of(2026, 3, 31));
        assertThat(p.days()).isEqualTo(31);
    }

    @Test
    void aFlightCoveringTheDayTakesPrecedenceOverTheMonth() {
        Pacing.BudgetPlan plan = new Pacing.BudgetPlan(new BigDecimal("62000"), List.of(
                new Pacing.Flight(LocalDate.of(2026, 3, 10), LocalDate.of(2026, 3, 19), new BigDecimal("5000"))), null);
        assertThat(Pacing.period(plan, LocalDate.of(2026, 3, 10)).kind()).isEqualTo("FLIGHT");
        assertThat(Pacing.period(plan, LocalDate.of(2026, 3, 19)).budget()).isEqualByComparingTo("5000");
        assertThat(Pacing.period(plan, LocalDate.of(2026, 3, 20)).kind()).isEqualTo("MONTH");
        // a plan of flights only paces nothing outside them
        Pacing.BudgetPlan flightsOnly = new Pacing.BudgetPlan(null, plan.flights(), null);
        assertThat(Pacing.period(flightsOnly, LocalDate.of(2026, 3, 20))).isNull();
        assertThat(Pacing.period(null, LocalDate.of(2026, 3, 20))).isNull();
    }

    @Test
    void spendToDatePaceAndThePacedDailyTotal() {
        // March: 31 days, budget 62,000 (2,000 a day); by the 11th, 10 days spent 25,000 against 20,000 expected
        Pacing.BudgetPlan plan = new Pacing.BudgetPlan(new BigDecimal("62000"), List.of(), new BigDecimal("50"));
        PortfolioFacts f = facts(LocalDate.of(2026, 3, 11), "2000");
        Pacing.annotate(f, plan, Pacing.period(plan, f.getAsOf()), new BigDecimal("25000"));
        assertThat(f.isPacing()).isTrue();
        assertThat(f.getDaysElapsed()).isEqualTo(10);
        assertThat(f.getDaysLeft()).isEqualTo(21);
        assertThat(f.getSpendToDate()).isEqualByComparingTo("25000");
        assertThat(f.getExpectedSpendToDate()).isEqualByComparingTo("20000");
        assertThat(f.getPace()).isEqualTo(1.25);
        // (62,000 - 25,000) / 21 days left, today included
        assertThat(f.getPacedDailyTotal()).isEqualByComparingTo("1761.90");
        // within the 50% daily bound: the target is the paced total itself
        assertThat(f.getDailyTarget()).isEqualByComparingTo("1761.90");
        assertThat(f.snapshot()).containsEntry("pace", 1.25).containsEntry("daysLeft", 21);
    }

    @Test
    void theDailyTargetMovesAtMostMaxDailyChangePctOfTheTotal() {
        Pacing.BudgetPlan plan = new Pacing.BudgetPlan(new BigDecimal("31000"), List.of(), null);
        PortfolioFacts f = facts(LocalDate.of(2026, 3, 1), "2000");
        Pacing.annotate(f, plan, Pacing.period(plan, f.getAsOf()), BigDecimal.ZERO);
        assertThat(f.getPace()).as("no expectation on the first day").isNull();
        assertThat(f.getPacedDailyTotal()).isEqualByComparingTo("1000.00");
        assertThat(f.getDailyTarget()).as("10% by default").isEqualByComparingTo("1800.00");

        Pacing.BudgetPlan up = new Pacing.BudgetPlan(new BigDecimal("124000"), List.of(), new BigDecimal("5"));
        PortfolioFacts g = facts(LocalDate.of(2026, 3, 1), "2000");
        Pacing.annotate(g, up, Pacing.period(up, g.getAsOf()), BigDecimal.ZERO);
        assertThat(g.getDailyTarget()).isEqualByComparingTo("2100.00");
    }

    @Test
    void anOverspentPeriodAsksForNothingMore() {
        Pacing.BudgetPlan plan = new Pacing.BudgetPlan(new BigDecimal("10000"), List.of(), new BigDecimal("100"));
        PortfolioFacts f = facts(LocalDate.of(2026, 3, 31), "500");
        Pacing.annotate(f, plan, Pacing.period(plan, f.getAsOf()), new BigDecimal("12000"));
        assertThat(f.getDaysLeft()).isEqualTo(1);
        assertThat(f.getPacedDailyTotal()).isEqualByComparingTo("0");
        assertThat(f.getDailyTarget()).isEqualByComparingTo("0");
    }
}
