package io.spendshift.learning;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Forecasts the change of daily long-term value a change of budgets brings at steady state, by Monte Carlo
 * over the channels' posteriors (elasticity and level, independent across channels): the mean and the 10th
 * and 90th percentiles of the draws' sums. The parameter spread is widened by {@value #CALIBRATION} (measured
 * in closed-loop simulations on markets apart from the reported ones, where the true change is known: {@code PolicyBenchmark} prints the coverage), as
 * the log-log curve is only an approximation of a saturating one.
 */
public final class Forecaster {

    static final int DRAWS = 400;
    /** Widening of the posterior spread so that 80% intervals cover the true change about 80% of the time. */
    static final double CALIBRATION = 2.0;

    private Forecaster() {
    }

    /**
     * {@code current} and {@code proposed}: every channel's daily budget before and after the plan;
     * {@code experiments}: the part of a channel's change that is a designed experiment (its cost is reported
     * apart). Deterministic for a seed.
     */
    public static Forecast forecast(PortfolioModel model, Map<String, BigDecimal> current, Map<String, BigDecimal> proposed,
                                    Map<String, BigDecimal> experiments, long seed) {
        if (model == null) {
            return Forecast.unavailable("no response model");
        }
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, BigDecimal> e : current.entrySet()) {
            BigDecimal to = proposed.get(e.getKey());
            if (to != null && to.compareTo(e.getValue()) != 0) {
                changed.add(e.getKey());
                ResponseModel m = model.get(e.getKey());
                if (m == null) {
                    return Forecast.unavailable("channel '" + e.getKey() + "' has fewer than "
                            + ResponseModel.MIN_DAYS + " days with spend and value to learn its response from");
                }
            }
        }
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double[] total = new double[DRAWS];
        double[] cost = new double[DRAWS];
        List<Forecast.ChannelForecast> perChannel = new ArrayList<>();
        for (String channel : changed) {
            ResponseModel m = model.get(channel);
            double from = current.get(channel).doubleValue();
            double to = proposed.get(channel).doubleValue();
            BigDecimal ex = experiments.get(channel);
            double withoutExperiment = ex == null ? Double.NaN : to - ex.doubleValue();
            double[] draws = new double[DRAWS];
            for (int k = 0; k < DRAWS; k++) {
                double b = ResponseModel.clampB(m.elasticity() + CALIBRATION * m.elasticitySd() * rnd.nextGaussian());
                double sd = CALIBRATION * m.logLevelSd();
                double level = Math.exp(m.logLevel() + sd * rnd.nextGaussian() - sd * sd / 2);
                double base = m.valueAt(from, level, b);
                draws[k] = m.valueAt(to, level, b) - base;
                total[k] += draws[k];
                if (ex != null) {
                    cost[k] += m.valueAt(withoutExperiment, level, b) - m.valueAt(to, level, b);
                }
            }
            perChannel.add(new Forecast.ChannelForecast(channel, summary(draws)));
        }
        Interval perDay = summary(total);
        Interval costPerDay = experiments.isEmpty() ? null : summary(cost);
        return new Forecast(Forecast.LEVEL, Forecast.HORIZON_DAYS, perDay, perDay.times(Forecast.HORIZON_DAYS),
                perChannel, costPerDay, null);
    }

    /** Mean and the 10th and 90th percentiles. */
    static Interval summary(double[] draws) {
        double[] s = draws.clone();
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElse(0);
        double lowQ = (1 - Forecast.LEVEL) / 2;
        return new Interval(mean, quantile(s, lowQ), quantile(s, 1 - lowQ));
    }

    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(sorted.length - 1, i + 1);
        return sorted[i] + (sorted[j] - sorted[i]) * (pos - i);
    }
}
