package io.spendshift.simulation;

import io.spendshift.learning.ExplorationPolicy;
import io.spendshift.policy.Pacing;
import io.spendshift.policy.PortfolioFacts;
import io.spendshift.rules.engine.RuleCompiler;
import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a simulated market whose monthly budget is 20% below or above 31 days of its starting total, the paced month
 * lands on its budget; without pacing it misses by about the difference. (PacingBenchmark: 30 markets.)
 */
class PacingSimulationTest {

    @Test
    void aPacedMonthLandsOnItsBudgetAboveAndBelowTheStartingTotal() throws Exception {
        KieBase rules = RuleCompiler.compile(RuleCompiler.readFolder(Path.of("rules")), getClass().getClassLoader())
                .rules().kieBase();
        MarketSpec m = MarketSpec.generate(3);
        double start = m.channels().stream().mapToDouble(c -> c.initialBudget()).sum();
        double unpaced = spend(ClosedLoop.run(m, new PortfolioFacts(), rules, 31, ExplorationPolicy.DEFAULTS, Map.of()));
        for (double ratio : new double[] {0.8, 1.2}) {
            double budget = Math.round(ratio * 31 * start);
            ClosedLoop.Result paced = ClosedLoop.run(m, new PortfolioFacts(), rules, 31, ExplorationPolicy.DEFAULTS,
                    Map.of(), new Pacing.BudgetPlan(BigDecimal.valueOf(budget), List.of(), null));
            double missed = Math.abs(spend(paced) - budget) / budget;
            assertThat(missed).as("paced month at %.1fx", ratio).isLessThan(0.02);
            assertThat(Math.abs(unpaced - budget) / budget).as("unpaced month at %.1fx", ratio).isGreaterThan(0.1);
            // the total moved day by day, never more than 10% (plus a cent of rounding) from one day to the next
            List<ClosedLoop.Day> days = paced.daily();
            for (int d = 1; d < days.size(); d++) {
                double before = java.util.Arrays.stream(days.get(d - 1).budgets()).sum();
                double after = java.util.Arrays.stream(days.get(d).budgets()).sum();
                assertThat(Math.abs(after - before)).isLessThanOrEqualTo(before * 0.10 + 0.02);
            }
        }
    }

    static double spend(ClosedLoop.Result r) {
        return r.daily().stream().mapToDouble(ClosedLoop.Day::spend).sum();
    }
}
