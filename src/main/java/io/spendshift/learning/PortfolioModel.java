package io.spendshift.learning;

import io.spendshift.policy.ChannelFacts;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The fitted response of each of a portfolio's channels, with priors pooled across them. */
public final class PortfolioModel {

    private final Map<String, ResponseModel> channels;

    PortfolioModel(Map<String, ResponseModel> channels) {
        this.channels = Collections.unmodifiableMap(new LinkedHashMap<>(channels));
    }

    /** Fits every channel on its history before {@code asOf}. */
    public static PortfolioModel fit(List<ChannelHistory> histories, LocalDate asOf) {
        return ResponseModel.fitAll(histories, asOf);
    }

    public Map<String, ResponseModel> channels() {
        return channels;
    }

    /**
     * Writes each channel's marginal value per unit of spend, its confidence and the model's target budget into the
     * facts the rules see, where the model has them.
     */
    public void annotate(List<ChannelFacts> facts) {
        for (ChannelFacts f : facts) {
            ResponseModel m = channels.get(f.getChannel());
            if (m != null) {
                m.annotate(f);
            }
        }
        targets(facts);
    }

    /**
     * The split of the budget of the channels whose response the data has said something about (confidence above
     * zero, not locked) that maximises their expected daily value under the posterior means and the saturating
     * curve of {@link ResponseModel#valueAt}, within each channel's bounds: where the marginal values are equal.
     * Elasticities are capped just below 1 for this (a curve with increasing returns would take everything). Rules
     * step towards it (within maxShiftPct), so budgets converge without overshooting.
     */
    void targets(List<ChannelFacts> facts) {
        List<ChannelFacts> part = new ArrayList<>();
        List<ResponseModel> models = new ArrayList<>();
        double total = 0;
        for (ChannelFacts f : facts) {
            ResponseModel m = channels.get(f.getChannel());
            if (m != null && !f.isLocked() && f.getMarginalRoasConfidence() > 0 && m.budget() > 0) {
                part.add(f);
                models.add(m);
                total += f.getDailyBudget().doubleValue();
            }
        }
        if (part.size() < 2) {
            return;
        }
        Curves curves = new Curves(part, models);
        double lo = 1e-9;
        double hi = 1e9;
        double[] x = new double[part.size()];
        for (int it = 0; it < 200; it++) {
            double lambda = Math.sqrt(lo * hi);
            double sum = curves.allocate(lambda, x);
            if (sum > total) {
                lo = lambda;
            } else {
                hi = lambda;
            }
        }
        curves.allocate(hi, x);
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        double scale = sum > 0 ? total / sum : 1;
        for (int i = 0; i < part.size(); i++) {
            ChannelFacts f = part.get(i);
            double min = f.getMinDailyBudget() == null ? 0 : f.getMinDailyBudget().doubleValue();
            double max = f.getMaxDailyBudget() == null ? Double.MAX_VALUE : f.getMaxDailyBudget().doubleValue();
            double t = Math.max(min, Math.min(max, x[i] * scale));
            f.setTargetBudget(java.math.BigDecimal.valueOf(t).setScale(2, java.math.RoundingMode.HALF_EVEN));
        }
    }

    /**
     * The channels' saturating curves as plain numbers, read once: the bisection evaluates them 200 times, and
     * looking each model up by name, taking exp of its level and reading the bounds from BigDecimals on every pass
     * was most of the targets' time at 10,000 channels.
     */
    private static final class Curves {
        final double[] k;
        final double[] levelBK;
        final double[] budget;
        final double[] min;
        final double[] max;

        Curves(List<ChannelFacts> part, List<ResponseModel> models) {
            int n = part.size();
            k = new double[n];
            levelBK = new double[n];
            budget = new double[n];
            min = new double[n];
            max = new double[n];
            for (int i = 0; i < n; i++) {
                ChannelFacts f = part.get(i);
                ResponseModel m = models.get(i);
                double b = Math.max(0.02, Math.min(0.97, m.elasticity()));
                double level = m.level();
                budget[i] = m.budget();
                k[i] = b * budget[i] / (1 - b);
                levelBK[i] = level * (budget[i] + k[i]) * k[i];
                min[i] = f.getMinDailyBudget() == null ? 0 : f.getMinDailyBudget().doubleValue();
                max[i] = f.getMaxDailyBudget() == null ? Double.MAX_VALUE / 4 : f.getMaxDailyBudget().doubleValue();
            }
        }

        /** Each channel's spend where its marginal value equals {@code lambda}, within bounds; returns the sum. */
        double allocate(double lambda, double[] x) {
            double sum = 0;
            for (int i = 0; i < x.length; i++) {
                // the saturating curve level * (x / B) * (B + k) / (x + k), k = b B / (1 - b): its marginal is
                // level (B + k) k / (B (x + k)^2), equal to lambda where x = sqrt(level (B + k) k / (B lambda)) - k
                double v = Math.sqrt(levelBK[i] / (budget[i] * lambda)) - k[i];
                x[i] = Math.max(min[i], Math.min(max[i], Double.isFinite(v) ? v : max[i]));
                sum += x[i];
            }
            return sum;
        }
    }

    /** The channel's model, or null when the channel had no usable history. */
    public ResponseModel get(String channel) {
        return channels.get(channel);
    }
}
