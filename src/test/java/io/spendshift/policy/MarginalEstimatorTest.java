package io.spendshift.policy;

import io.spendshift.market.ChannelModel;
import io.spendshift.market.Market;
import io.spendshift.market.MarketGenerator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The marginal estimate on simulated channels whose true curves are known: over many random markets, how
 * often does it rank two channels in the order of their true marginal long-term value?
 */
class MarginalEstimatorTest {

    /** 90 days of a channel spending around {@code budget} with the demo's pacing noise; returns the history. */
    static List<DailyPerformance> history(Market m, int index, double budget, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<DailyPerformance> days = new ArrayList<>();
        double adstock = 0;
        LocalDate start = LocalDate.of(2026, 1, 1);
        for (int d = 0; d < 90; d++) {
            double spend = Math.max(0, budget * (1 + 0.15 * r.nextGaussian()));
            Market.Day day = m.simulate(index, d, spend, adstock);
            adstock = day.adstock();
            days.add(new DailyPerformance(start.plusDays(d), bd(spend), day.conversions(), bd(day.revenue()),
                    day.newCustomers(), day.newCustomers() == 0 ? null : bd(day.ltv())));
        }
        return days;
    }

    static BigDecimal bd(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_EVEN);
    }

    /** True marginal long-term value of one more unit of daily spend at {@code x}, in steady state. */
    static double trueMarginal(ChannelModel c, double x) {
        double h = Math.max(0.01, x * 1e-4);
        return (c.steadyValue(x + h) - c.steadyValue(x - h)) / (2 * h);
    }

    @Test
    void ranksChannelsByTrueMarginalValueInTheLargeMajorityOfCases() {
        int concordant = 0;
        int pairs = 0;
        int clearPairs = 0;
        int clearConcordant = 0;
        for (long seed = 1; seed <= 40; seed++) {
            List<ChannelModel> models = MarketGenerator.generate(seed, 6);
            Market m = new Market(seed, models);
            double[] est = new double[6];
            double[] truth = new double[6];
            for (int i = 0; i < 6; i++) {
                double budget = models.get(i).initialBudget();
                est[i] = MarginalEstimator.estimate(history(m, i, budget, seed * 100 + i), budget).marginal();
                truth[i] = trueMarginal(models.get(i), budget);
            }
            for (int i = 0; i < 6; i++) {
                for (int j = i + 1; j < 6; j++) {
                    boolean agree = (est[i] - est[j]) * (truth[i] - truth[j]) > 0;
                    pairs++;
                    concordant += agree ? 1 : 0;
                    // pairs whose true marginals differ by more than 30%: the ones a policy acts on
                    if (Math.max(truth[i], truth[j]) > 1.3 * Math.min(truth[i], truth[j])) {
                        clearPairs++;
                        clearConcordant += agree ? 1 : 0;
                    }
                }
            }
        }
        double all = concordant / (double) pairs;
        double clear = clearConcordant / (double) clearPairs;
        System.out.printf("Marginal ranking accuracy over %d channel pairs: %.1f%% (%.1f%% of %d pairs whose true"
                + " marginals differ by more than 30%%)%n", pairs, 100 * all, 100 * clear, clearPairs);
        assertThat(clear).isGreaterThan(0.75);
        assertThat(all).isGreaterThan(0.65);
    }

    @Test
    void aSaturatedChannelHasAMarginalBelowItsAverage() {
        ChannelModel saturated = new ChannelModel("s", "search", 100, 0.7, 200, 0, 50, 150, 0.05, 1, 0.02, 1.2,
                0, 1e9, 1000);
        Market m = new Market(5, List.of(saturated));
        List<DailyPerformance> days = history(m, 0, 1000, 9);
        MarginalEstimator.Estimate e = MarginalEstimator.estimate(days, 1000);
        double average = days.stream().mapToDouble(DailyPerformance::value).sum()
                / days.stream().mapToDouble(d -> d.spend().doubleValue()).sum();
        assertThat(e.marginal()).isLessThan(average * 0.6);
        assertThat(e.confidence()).isGreaterThan(0.3);
    }

    @Test
    void tooFewDaysFallBackToTheAverage() {
        Market m = new Market(1, MarketGenerator.generate(1, 1));
        List<DailyPerformance> days = history(m, 0, 500, 1).subList(0, 5);
        MarginalEstimator.Estimate e = MarginalEstimator.estimate(days, 500);
        assertThat(e.confidence()).isEqualTo(MarginalEstimator.FALLBACK_CONFIDENCE);
        assertThat(e.elasticity()).isNull();
    }
}
