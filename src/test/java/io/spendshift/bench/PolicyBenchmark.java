package io.spendshift.bench;

import io.spendshift.policy.PortfolioFacts;
import io.spendshift.rules.engine.RuleCompiler;
import io.spendshift.simulation.ClosedLoop;
import io.spendshift.simulation.MarketSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How much of the attainable uplift each policy captures: 30 seeded markets (seeds 1-30, 3-12 channels,
 * concave and S-shaped curves, adstock 0-0.7, noise 5-30%, LTV spread 1-5x, tight and loose bounds), 90 days,
 * maxShiftPct 20. Prints, for the default pack, the naive average-ROAS pack and "no change": median and worst
 * upliftCaptured, and how often the policy ended below static. Run with
 * {@code mvn verify -Pbench -Dtest=PolicyBenchmark}.
 */
@Tag("bench")
class PolicyBenchmark {

    static final int MARKETS = 30;
    static final int DAYS = 90;

    @Test
    void upliftCapturedAcrossSeededMarkets() throws Exception {
        ClassLoader cl = getClass().getClassLoader();
        KieBase defaults = RuleCompiler.compile(RuleCompiler.readFolder(Path.of("rules")), cl).rules().kieBase();
        KieBase naive = RuleCompiler.compile(List.of(new io.spendshift.rules.engine.RuleFile("naive-average-roas.drl",
                java.nio.file.Files.readAllBytes(Path.of("rules/examples/naive-average-roas.drl")))), cl).rules().kieBase();
        PortfolioFacts policy = new PortfolioFacts();
        policy.setMaxShiftPct(20);
        double[] d = new double[MARKETS];
        double[] nv = new double[MARKETS];
        double[] dRel = new double[MARKETS];
        double[] nRel = new double[MARKETS];
        System.out.printf("%n=== Policy benchmark: %d markets, %d days, maxShiftPct 20 ===%n", MARKETS, DAYS);
        System.out.printf("%5s %9s %12s %12s %12s %10s %10s%n", "seed", "channels", "static", "oracle", "default",
                "default", "naive");
        for (int s = 1; s <= MARKETS; s++) {
            MarketSpec m = MarketSpec.generate(s);
            ClosedLoop.Result a = ClosedLoop.run(m, policy, defaults, DAYS);
            ClosedLoop.Result b = ClosedLoop.run(m, policy, naive, DAYS);
            d[s - 1] = a.upliftCaptured();
            nv[s - 1] = b.upliftCaptured();
            dRel[s - 1] = a.totalValue() / a.staticValue() - 1;
            nRel[s - 1] = b.totalValue() / b.staticValue() - 1;
            System.out.printf("%5d %9d %12.0f %12.0f %12.0f %10.2f %10.2f%n", s, m.channels().size(), a.staticValue(),
                    a.oracleValue(), a.totalValue(), a.upliftCaptured(), b.upliftCaptured());
        }
        System.out.printf("%n%-24s %10s %10s %14s %16s%n", "policy", "median", "worst", "below static", "> 2% below static");
        row("default pack", d, dRel);
        row("naive average ROAS", nv, nRel);
        row("no change", new double[MARKETS], new double[MARKETS]);
        System.out.println();
    }

    /** {@code -Dbench.exploration=false} runs the regimes without exploration, for comparison. */
    static final io.spendshift.learning.ExplorationPolicy EXPLORATION = Boolean.parseBoolean(
            System.getProperty("bench.exploration", "true")) ? io.spendshift.learning.ExplorationPolicy.DEFAULTS
            : io.spendshift.learning.ExplorationPolicy.OFF;
    static final int REGIME_MARKETS = 20;
    /**
     * Seeds 1-20 are the reported (held-out) markets; the forecast's calibration was chosen on seeds 101-120
     * ({@code -Dbench.seedOffset=100}).
     */
    static final int SEED_OFFSET = Integer.getInteger("bench.seedOffset", 0);
    static final int REGIME_DAYS = 60;

    /**
     * The situations real accounts show (issue goals: in every regime median upliftCaptured >= 0.85 over the last
     * 20 days and >= 0.65 over the run, never more than 2% below static, 80% intervals covering the true change
     * 70-90% of the time, exploration cost within maxCostPct): 10 markets per regime, 60 days after 35 of
     * history, the product's defaults, every plan applied.
     */
    @Test
    void regimes() throws Exception {
        KieBase defaults = RuleCompiler.compile(RuleCompiler.readFolder(Path.of("rules")), getClass().getClassLoader())
                .rules().kieBase();
        PortfolioFacts policy = new PortfolioFacts();
        System.out.printf("%n=== Regimes: %d markets each, %d days after %d of history, product defaults ===%n",
                REGIME_MARKETS, REGIME_DAYS, ClosedLoop.WARM_UP_DAYS);
        System.out.printf("%-16s %9s %9s %9s %9s %9s %10s %10s %7s %7s%n", "regime", "last20", "whole", "worst",
                "vsStatic", ">2%below", "coverage", "explCost%", "plans", "exper.");
        for (MarketSpec.Regime regime : MarketSpec.Regime.values()) {
            double[] last = new double[REGIME_MARKETS];
            double[] whole = new double[REGIME_MARKETS];
            double worstRel = Double.POSITIVE_INFINITY;
            int farBelow = 0;
            int forecasts = 0;
            int covered = 0;
            double cost = 0;
            double staticTotal = 0;
            int plans = 0;
            int experiments = 0;
            for (int s = 1; s <= REGIME_MARKETS; s++) {
                MarketSpec m = MarketSpec.regime(regime, s + SEED_OFFSET, REGIME_DAYS);
                ClosedLoop.Result r = ClosedLoop.run(m, policy, defaults, REGIME_DAYS, EXPLORATION);
                last[s - 1] = r.upliftCapturedLast(20);
                whole[s - 1] = r.upliftCaptured();
                double rel = r.totalValue() / r.staticValue() - 1;
                worstRel = Math.min(worstRel, rel);
                farBelow += rel < -0.02 ? 1 : 0;
                forecasts += r.forecasts();
                covered += r.covered();
                cost += r.explorationCost();
                staticTotal += r.staticValue();
                plans += r.plans();
                experiments += r.experiments();
                if (Boolean.getBoolean("bench.verbose")) {
                    System.out.printf("  %-14s seed %2d: last20 %.2f whole %.2f vsStatic %+.3f cover %d/%d (below %d) truth/forecast %.0f/%.0f plans %d exp %d%n",
                            regime, s, last[s - 1], whole[s - 1], rel, r.covered(), r.forecasts(), r.truthBelow(), r.sumTruth(), r.sumForecast(), r.plans(), r.experiments());
                }
            }
            System.out.printf("%-16s %9.2f %9.2f %9.2f %+9.3f %6d/%d %9.0f%% %9.2f%% %7d %7d%n", regime, median(last),
                    median(whole), Arrays.stream(whole).min().orElse(0), worstRel, farBelow, REGIME_MARKETS,
                    forecasts == 0 ? 0 : 100.0 * covered / forecasts, 100 * cost / staticTotal, plans, experiments);
        }
        System.out.println();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return (s[(s.length - 1) / 2] + s[s.length / 2]) / 2;
    }

    private static void row(String name, double[] uplift, double[] rel) {
        double[] sorted = uplift.clone();
        Arrays.sort(sorted);
        double median = (sorted[(sorted.length - 1) / 2] + sorted[sorted.length / 2]) / 2;
        long below = Arrays.stream(rel).filter(r -> r < 0).count();
        long farBelow = Arrays.stream(rel).filter(r -> r < -0.02).count();
        System.out.printf("%-24s %10.2f %10.2f %11d/%d %13d/%d%n", name, median, sorted[0], below, rel.length, farBelow,
                rel.length);
    }
}
