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
