package io.spendshift.bench;

import io.spendshift.learning.ExplorationPolicy;
import io.spendshift.policy.Pacing;
import io.spendshift.policy.PortfolioFacts;
import io.spendshift.rules.engine.RuleCompiler;
import io.spendshift.simulation.ClosedLoop;
import io.spendshift.simulation.MarketSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How far from its budget a month's spend lands, with and without pacing: 30 seeded markets (seeds 1-30), the
 * default pack and policy, January 2026 (31 days), a monthly budget of 0.8, 0.9, 1.1 and 1.2 times 31 days of the
 * starting total, default {@code maxDailyChangePct} (10%). Prints the median and worst |spend - budget| / budget per
 * ratio. Run with {@code mvn verify -Pbench -Dtest=PacingBenchmark}.
 */
@Tag("bench")
class PacingBenchmark {

    static final int MARKETS = 30;
    static final int DAYS = 31;
    static final double[] RATIOS = {0.8, 0.9, 1.1, 1.2};

    @Test
    void monthSpendAgainstItsBudget() throws Exception {
        KieBase rules = RuleCompiler.compile(RuleCompiler.readFolder(Path.of("rules")), getClass().getClassLoader())
                .rules().kieBase();
        PortfolioFacts policy = new PortfolioFacts();
        double[][] without = new double[RATIOS.length][MARKETS];
        double[][] with = new double[RATIOS.length][MARKETS];
        for (int s = 1; s <= MARKETS; s++) {
            MarketSpec m = MarketSpec.generate(s);
            double start = m.channels().stream().mapToDouble(c -> c.initialBudget()).sum();
            double unpaced = monthSpend(ClosedLoop.run(m, policy, rules, DAYS, ExplorationPolicy.DEFAULTS, Map.of()));
            for (int r = 0; r < RATIOS.length; r++) {
                double budget = Math.round(RATIOS[r] * DAYS * start * 100) / 100.0;
                Pacing.BudgetPlan plan = new Pacing.BudgetPlan(BigDecimal.valueOf(budget), List.of(), null);
                double paced = monthSpend(ClosedLoop.run(m, policy, rules, DAYS, ExplorationPolicy.DEFAULTS, Map.of(),
                        plan));
                without[r][s - 1] = Math.abs(unpaced - budget) / budget;
                with[r][s - 1] = Math.abs(paced - budget) / budget;
            }
        }
        System.out.printf("%n=== Pacing benchmark: %d markets, January (31 days), default pack, maxDailyChangePct 10 ===%n",
                MARKETS);
        System.out.printf("%-28s %14s %14s %14s %14s%n", "budget / (31 x start total)", "median without",
                "worst without", "median with", "worst with");
        for (int r = 0; r < RATIOS.length; r++) {
            System.out.printf("%-28.1f %13.1f%% %13.1f%% %13.1f%% %13.1f%%%n", RATIOS[r], 100 * median(without[r]),
                    100 * max(without[r]), 100 * median(with[r]), 100 * max(with[r]));
        }
        System.out.println();
    }

    static double monthSpend(ClosedLoop.Result r) {
        return r.daily().stream().limit(DAYS).mapToDouble(ClosedLoop.Day::spend).sum();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }
}
