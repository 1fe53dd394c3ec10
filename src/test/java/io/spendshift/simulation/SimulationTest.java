package io.spendshift.simulation;

import io.spendshift.market.ChannelModel;
import io.spendshift.policy.PortfolioFacts;
import io.spendshift.rules.engine.RuleCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kie.api.KieBase;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SimulationTest {

    static KieBase rules;

    @BeforeAll
    static void compile() throws Exception {
        rules = RuleCompiler.compile(RuleCompiler.readFolder(Path.of("rules")), SimulationTest.class.getClassLoader())
                .rules().kieBase();
    }

    /** Every split of the budget on a grid of {@code step}: the best one. */
    static double bruteForce(List<ChannelModel> ch, double[] min, double[] max, double total, double step) {
        return search(ch, min, max, total, step, 0, new double[ch.size()]);
    }

    private static double search(List<ChannelModel> ch, double[] min, double[] max, double left, double step, int i,
                                 double[] x) {
        if (i == ch.size() - 1) {
            if (left < min[i] - 1e-9 || left > max[i] + 1e-9) {
                return Double.NEGATIVE_INFINITY;
            }
            x[i] = left;
            return Oracle.value(ch, x);
        }
        double best = Double.NEGATIVE_INFINITY;
        for (double v = min[i]; v <= Math.min(max[i], left) + 1e-9; v += step) {
            x[i] = v;
            best = Math.max(best, search(ch, min, max, left - v, step, i + 1, x));
        }
        return best;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void theOracleMatchesBruteForceOnSmallMarkets(long seed) {
        MarketSpec m = MarketSpec.generate(seed);
        List<ChannelModel> ch = m.channels().subList(0, 3);
        double[] min = ch.stream().mapToDouble(ChannelModel::minBudget).toArray();
        double[] max = ch.stream().mapToDouble(ChannelModel::maxBudget).toArray();
        double total = ch.stream().mapToDouble(ChannelModel::initialBudget).sum();
        double[] x = Oracle.allocate(ch, min, max, total);
        assertThat(java.util.Arrays.stream(x).sum()).isCloseTo(total, within(0.01));
        for (int i = 0; i < 3; i++) {
            assertThat(x[i]).isBetween(min[i] - 1e-6, max[i] + 1e-6);
        }
        double brute = bruteForce(ch, min, max, total, total / 200);
        assertThat(Oracle.value(ch, x)).as("seed %d", seed).isGreaterThanOrEqualTo(brute * 0.999);
    }

    @Test
    void theOracleCarriesAnSCurveOverItsBend() {
        // an S-shaped channel worth much more once past its bend, and a concave one that saturates early
        ChannelModel s = new ChannelModel("s", "video", 100, 3.0, 800, 0, 50, 200, 0.1, 1, 0.02, 1.2, 0, 2000, 500);
        ChannelModel c = new ChannelModel("c", "search", 20, 0.5, 100, 0, 50, 100, 0.1, 1, 0.02, 1.2, 0, 2000, 500);
        double[] x = Oracle.allocate(List.of(s, c), new double[]{0, 0}, new double[]{2000, 2000}, 1000);
        double brute = bruteForce(List.of(s, c), new double[]{0, 0}, new double[]{2000, 2000}, 1000, 5);
        assertThat(Oracle.value(List.of(s, c), x)).isGreaterThanOrEqualTo(brute * 0.999);
        assertThat(x[0]).isGreaterThan(800);
    }

    @Test
    void aSimulationIsDeterministicForItsSeed() {
        PortfolioFacts policy = new PortfolioFacts();
        ClosedLoop.Result a = ClosedLoop.run(MarketSpec.generate(3), policy, rules, 30);
        ClosedLoop.Result b = ClosedLoop.run(MarketSpec.generate(3), policy, rules, 30);
        assertThat(a.totalValue()).isEqualTo(b.totalValue());
        assertThat(a.staticValue()).isEqualTo(b.staticValue());
        assertThat(a.changes()).isEqualTo(b.changes());
        assertThat(MarketSpec.generate(4).channels()).isNotEqualTo(MarketSpec.generate(3).channels());
    }

    @Test
    void theDefaultPackBeatsStaticBudgetsInAClosedLoop() {
        ClosedLoop.Result r = ClosedLoop.run(MarketSpec.generate(1), new PortfolioFacts(), rules, 90);
        assertThat(r.totalValue()).isGreaterThan(r.staticValue());
        assertThat(r.upliftCaptured()).isGreaterThan(0.5);
        assertThat(r.oracleValue()).isGreaterThanOrEqualTo(r.totalValue());
        assertThat(r.changes()).isPositive();
        assertThat(r.daily()).hasSize(90);
        // the budget is conserved every day
        double start = r.daily().get(0).budgets().length == 0 ? 0 : java.util.Arrays.stream(r.daily().get(0).budgets()).sum();
        assertThat(java.util.Arrays.stream(r.daily().get(89).budgets()).sum()).isCloseTo(start, within(0.01));
    }
}
