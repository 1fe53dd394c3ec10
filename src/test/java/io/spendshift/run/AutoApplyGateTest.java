package io.spendshift.run;

import io.spendshift.learning.Forecast;
import io.spendshift.portfolio.PortfolioDtos.FreezeView;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The automation gates as a pure function: which one holds a plan back, and in which words. */
class AutoApplyGateTest {

    static final LocalDate DAY = LocalDate.of(2026, 11, 27);
    static final Forecast CONFIDENT = TestDecider.forecast(50, 10, 90);

    static AutoApplyGate.Inputs in(List<FreezeView> freeze, String moved, Forecast f, long today, int max) {
        return new AutoApplyGate.Inputs(DAY, freeze, new BigDecimal(moved), new BigDecimal("2000"), 10, f, today, max);
    }

    @Test
    void aConfidentPlanInsideEveryLimitGoesAhead() {
        assertThat(AutoApplyGate.withheld(in(List.of(), "200", CONFIDENT, 0, 1))).isNull();
        assertThat(AutoApplyGate.withheld(in(List.of(), "200", CONFIDENT, 2, 3))).isNull();
    }

    @Test
    void aPacingOnlyPlanNeedNotPromiseAGainButKeepsTheOtherGates() {
        Forecast cut = TestDecider.forecast(-40, -60, -20);
        assertThat(AutoApplyGate.withheld(new AutoApplyGate.Inputs(DAY, List.of(), new BigDecimal("200"),
                new BigDecimal("2000"), 10, cut, 0, 1, true))).isNull();
        assertThat(AutoApplyGate.withheld(new AutoApplyGate.Inputs(DAY, List.of(), new BigDecimal("200"),
                new BigDecimal("2000"), 10, cut, 0, 1, false))).startsWith("forecast lower bound -60.00");
        assertThat(AutoApplyGate.withheld(new AutoApplyGate.Inputs(DAY, List.of(), new BigDecimal("250"),
                new BigDecimal("2000"), 10, cut, 0, 1, true))).startsWith("moves 250.00, more than");
        assertThat(AutoApplyGate.withheld(new AutoApplyGate.Inputs(DAY, List.of(), new BigDecimal("200"),
                new BigDecimal("2000"), 10, Forecast.unavailable("no model"), 0, 1, true)))
                .isEqualTo("forecast unavailable: no model");
        assertThat(AutoApplyGate.withheld(new AutoApplyGate.Inputs(DAY, List.of(), new BigDecimal("200"),
                new BigDecimal("2000"), 10, cut, 1, 1, true))).contains("maxAppliesPerDay 1");
    }

    @Test
    void theForecastMustBeAGainEvenAtItsLowerBound() {
        assertThat(AutoApplyGate.withheld(in(List.of(), "200", TestDecider.forecast(20, -12.3, 50), 0, 1)))
                .isEqualTo("forecast lower bound -12.30/day is not above zero");
        assertThat(AutoApplyGate.withheld(in(List.of(), "200", TestDecider.forecast(20, 0, 50), 0, 1)))
                .isEqualTo("forecast lower bound 0.00/day is not above zero");
        assertThat(AutoApplyGate.withheld(in(List.of(), "200", Forecast.unavailable("too little history"), 0, 1)))
                .isEqualTo("forecast unavailable: too little history");
        assertThat(AutoApplyGate.withheld(in(List.of(), "200", null, 0, 1))).startsWith("forecast unavailable: ");
    }

    @Test
    void theDailyLimitCountsTodaysAutomaticApplies() {
        assertThat(AutoApplyGate.withheld(in(List.of(), "200", CONFIDENT, 1, 1)))
                .isEqualTo("1 automatic apply already today (maxAppliesPerDay 1)");
        assertThat(AutoApplyGate.withheld(in(List.of(), "200", CONFIDENT, 2, 2)))
                .isEqualTo("2 automatic applies already today (maxAppliesPerDay 2)");
        assertThat(AutoApplyGate.withheld(in(List.of(), "200", CONFIDENT, 0, 0)))
                .isEqualTo("automatic applies are off (maxAppliesPerDay 0)");
    }

    @Test
    void aFreezeCoversItsDaysInclusiveAndComesFirst() {
        List<FreezeView> freeze = List.of(new FreezeView(DAY.minusDays(3), DAY.minusDays(1), "before"),
                new FreezeView(DAY, DAY.plusDays(3), "black friday"));
        assertThat(AutoApplyGate.withheld(in(freeze, "200", TestDecider.forecast(1, -5, 5), 5, 1)))
                .isEqualTo("frozen: black friday (2026-11-27..2026-11-30)");
        assertThat(AutoApplyGate.withheld(in(List.of(new FreezeView(DAY.plusDays(1), DAY.plusDays(2), null)), "200",
                CONFIDENT, 0, 1))).isNull();
        assertThat(AutoApplyGate.withheld(in(List.of(new FreezeView(DAY.minusDays(2), DAY, null)), "200",
                CONFIDENT, 0, 1))).isEqualTo("frozen (2026-11-25..2026-11-27)");
    }

    @Test
    void theShiftGuardrailStillHolds() {
        assertThat(AutoApplyGate.withheld(in(List.of(), "200.01", CONFIDENT, 0, 1)))
                .isEqualTo("moves 200.01, more than autoApplyMaxShiftPct 10% of the total budget (200.00)");
    }

    @Test
    void theSeedIsStablePerPortfolioAndDay() {
        assertThat(RunService.seed("demo", DAY)).isEqualTo(RunService.seed("demo", DAY))
                .isNotEqualTo(RunService.seed("demo", DAY.plusDays(1))).isNotEqualTo(RunService.seed("demo2", DAY));
    }
}
