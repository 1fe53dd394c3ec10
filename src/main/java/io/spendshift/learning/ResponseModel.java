package io.spendshift.learning;

import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.DailyPerformance;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One channel's fitted response of daily long-term value to daily spend, with its uncertainty (DESIGN.md,
 * "Learning, forecasting, verifying").
 *
 * <p>Model: {@code ln v_t = a + b ln(x'_t / B) + g D_t + e_t}, {@code e ~ N(0, s^2)}, where {@code x'} is spend
 * adstocked with a carry-over rate chosen by fit, {@code B} the current budget (so {@code a} is the log level at
 * the current budget), and {@code D_t} a demand index: how far the other channels' spend strayed from its
 * recent level that day. Busy days spend more and sell more on every channel at once; the index soaks that up,
 * so the elasticity {@code b} is learnt from variation that is the channel's own (designed experiments,
 * budget changes, pacing) rather than from demand. Where a channel's spend moves only with demand, {@code b}
 * stays uncertain and the channel is explored.
 *
 * <p>Estimation: Bayesian linear regression with a normal prior on {@code b} pooled across the portfolio's
 * channels (mean: the precision-weighted mean of the channels' own estimates; sd {@value #POOLED_PRIOR_SD}),
 * the noise variance from the weighted residuals, days weighted by age (half-life {@value #HALF_LIFE_DAYS}
 * days, so a channel whose response changes is followed) and ordinary days counting half once there are
 * {@value #MIN_EXPERIMENT_DAYS} or more experiment days (they are exogenous by design).
 */
public final class ResponseModel {

    /** Days of history the model reads. */
    public static final int WINDOW_DAYS = 60;
    public static final int MIN_DAYS = 7;
    static final double HALF_LIFE_DAYS = 45;
    /** The level at the current budget is re-estimated from the residuals of the last days. */
    static final int RECENT_DAYS = 14;
    static final int MIN_EXPERIMENT_DAYS = 8;
    static final double ORDINARY_WEIGHT_WITH_EXPERIMENTS = 0.5;
    static final double[] THETAS = {0.0, 0.2, 0.4, 0.6};
    /** Weakly informative first-pass prior on the elasticity, and the pooled prior's spread. */
    static final double FIRST_PRIOR_MEAN = 0.5;
    static final double FIRST_PRIOR_SD = 0.6;
    static final double POOLED_PRIOR_SD = 0.35;
    /** A channel's elasticity is identified when its posterior sd is at most this. */
    public static final double IDENTIFIED_SD = 0.2;
    static final double MAX_ELASTICITY = 1.5;

    private final String channel;
    private final double budget;
    private final double elasticity;
    private final double elasticitySd;
    private final double logLevel;
    private final double logLevelSd;
    private final double noiseSd;
    private final double theta;
    private final double maxSeen;
    private final int days;
    private final int experimentDays;

    ResponseModel(String channel, double budget, double elasticity, double elasticitySd, double logLevel,
                  double logLevelSd, double noiseSd, double theta, double maxSeen, int days, int experimentDays) {
        this.channel = channel;
        this.budget = budget;
        this.elasticity = elasticity;
        this.elasticitySd = elasticitySd;
        this.logLevel = logLevel;
        this.logLevelSd = logLevelSd;
        this.noiseSd = noiseSd;
        this.theta = theta;
        this.maxSeen = maxSeen;
        this.days = days;
        this.experimentDays = experimentDays;
    }

    public String channel() { return channel; }
    public double budget() { return budget; }
    /** Posterior mean and sd of the elasticity of daily value to daily spend. */
    public double elasticity() { return elasticity; }
    public double elasticitySd() { return elasticitySd; }
    public double theta() { return theta; }
    public int days() { return days; }
    public int experimentDays() { return experimentDays; }
    /** The highest daily spend (adstocked, as a steady budget) seen in the window. */
    public double maxSeen() { return maxSeen; }
    double logLevel() { return logLevel; }
    double logLevelSd() { return logLevelSd; }
    double noiseSd() { return noiseSd; }

    /** Expected daily value at the current budget. */
    public double level() {
        return Math.exp(logLevel + noiseSd * noiseSd / 2);
    }

    /** True when the elasticity is known well enough to act on and to stop exploring. */
    public boolean identified() {
        return elasticitySd <= IDENTIFIED_SD;
    }

    /** Marginal value of one more unit of daily spend at the current budget (posterior mean). */
    public double marginal() {
        return budget <= 0 ? 0 : clampB(elasticity) * level() / budget;
    }

    /**
     * 0..1: how much the data narrowed the elasticity down from the pooled prior: 1 when it is known exactly, 0
     * when its sd is still the prior's ({@value #POOLED_PRIOR_SD}: spend never varied, nothing was learnt).
     */
    public double confidence() {
        return Math.max(0, Math.min(1, 1 - elasticitySd / POOLED_PRIOR_SD)) * Math.min(1, days / 21.0);
    }

    /**
     * Expected daily value at a steady budget {@code x} for one posterior draw of level and elasticity. Beyond
     * the highest spend seen the elasticity is at most 1: no increasing returns where there is no data.
     */
    double valueAt(double x, double level, double b) {
        if (x <= 0) {
            return 0;
        }
        if (budget <= 0) {
            return level;
        }
        double seen = Math.max(maxSeen, budget);
        if (x <= seen) {
            return level * Math.pow(x / budget, b);
        }
        return level * Math.pow(seen / budget, b) * Math.pow(x / seen, Math.min(b, 1.0));
    }

    static double clampB(double b) {
        return Math.max(0, Math.min(MAX_ELASTICITY, b));
    }

    void annotate(ChannelFacts f) {
        f.setMarginalRoas(marginal());
        f.setMarginalRoasConfidence(confidence());
        f.setElasticity(elasticity);
        f.setElasticitySd(elasticitySd);
        f.setIdentified(identified());
    }

    // ------------------------------------------------------------------------------------------------ fitting

    /** Fits every channel: a first pass with a weak prior, then again with the prior pooled across channels. */
    static PortfolioModel fitAll(List<ChannelHistory> histories, LocalDate asOf) {
        Map<String, Prepared> prepared = new LinkedHashMap<>();
        for (ChannelHistory h : histories) {
            prepared.put(h.channel(), prepare(h, asOf));
        }
        Map<String, Map<LocalDate, Double>> deviations = new HashMap<>();
        for (Prepared p : prepared.values()) {
            deviations.put(p.channel, p.deviation);
        }
        for (Prepared p : prepared.values()) {
            p.demand = demandIndex(p, deviations);
        }
        Map<String, ResponseModel> first = new LinkedHashMap<>();
        double num = 0;
        double den = 0;
        for (Prepared p : prepared.values()) {
            ResponseModel m = fit(p, FIRST_PRIOR_MEAN, FIRST_PRIOR_SD);
            if (m != null) {
                first.put(p.channel, m);
                double w = 1 / (m.elasticitySd * m.elasticitySd);
                num += w * clampB(m.elasticity);
                den += w;
            }
        }
        double pooled = den > 0 ? Math.max(0.1, Math.min(0.9, num / den)) : FIRST_PRIOR_MEAN;
        Map<String, ResponseModel> out = new LinkedHashMap<>();
        for (Prepared p : prepared.values()) {
            ResponseModel m = first.isEmpty() ? null : fit(p, pooled, POOLED_PRIOR_SD);
            if (m != null) {
                out.put(p.channel, m);
            }
        }
        return new PortfolioModel(out);
    }

    /** A channel's usable days, in date order, with weights and its own spend deviations. */
    private static final class Prepared {
        String channel;
        double budget;
        List<DailyPerformance> days = new ArrayList<>();
        double[] weight;
        long[] age;
        boolean[] experiment;
        /** ln spend minus the mean ln spend of the 7 days before, on ordinary days with spend. */
        Map<LocalDate, Double> deviation = new HashMap<>();
        Set<LocalDate> experimentDays;
        double[] demand;
    }

    private static Prepared prepare(ChannelHistory h, LocalDate asOf) {
        Prepared p = new Prepared();
        p.channel = h.channel();
        p.budget = h.budget();
        p.experimentDays = h.experimentDays();
        LocalDate from = asOf.minusDays(WINDOW_DAYS);
        for (DailyPerformance d : h.days()) {
            if (d.date().isBefore(asOf)) {
                p.days.add(d);
            }
        }
        p.days.sort(Comparator.comparing(DailyPerformance::date));
        int n = p.days.size();
        p.weight = new double[n];
        p.age = new long[n];
        p.experiment = new boolean[n];
        int inWindowExperiments = 0;
        for (int i = 0; i < n; i++) {
            DailyPerformance d = p.days.get(i);
            p.experiment[i] = h.experimentDays().contains(d.date());
            if (!d.date().isBefore(from) && p.experiment[i]) {
                inWindowExperiments++;
            }
        }
        double ordinary = inWindowExperiments >= MIN_EXPERIMENT_DAYS ? ORDINARY_WEIGHT_WITH_EXPERIMENTS : 1.0;
        double[] logs = new double[n];
        for (int i = 0; i < n; i++) {
            DailyPerformance d = p.days.get(i);
            double x = d.spend().doubleValue();
            logs[i] = x > 0 ? Math.log(x) : Double.NaN;
            long age = ChronoUnit.DAYS.between(d.date(), asOf);
            p.age[i] = age;
            p.weight[i] = d.date().isBefore(from) ? 0
                    : Math.pow(0.5, (age - 1) / HALF_LIFE_DAYS) * (p.experiment[i] ? 1.0 : ordinary);
            if (!p.experiment[i] && !Double.isNaN(logs[i]) && i >= 3) {
                double s = 0;
                int k = 0;
                for (int j = Math.max(0, i - 7); j < i; j++) {
                    if (!Double.isNaN(logs[j])) {
                        s += logs[j];
                        k++;
                    }
                }
                if (k >= 3) {
                    p.deviation.put(d.date(), logs[i] - s / k);
                }
            }
        }
        return p;
    }

    /** The other channels' mean spend deviation on each of this channel's days (0 where none is known). */
    private static double[] demandIndex(Prepared p, Map<String, Map<LocalDate, Double>> deviations) {
        double[] out = new double[p.days.size()];
        if (deviations.size() < 3) {
            return null; // with fewer than two other channels the index would be one channel's noise
        }
        for (int i = 0; i < out.length; i++) {
            LocalDate date = p.days.get(i).date();
            double s = 0;
            int k = 0;
            for (Map.Entry<String, Map<LocalDate, Double>> e : deviations.entrySet()) {
                if (e.getKey().equals(p.channel)) {
                    continue;
                }
                Double dv = e.getValue().get(date);
                if (dv != null) {
                    s += dv;
                    k++;
                }
            }
            out[i] = k == 0 ? 0 : s / k;
        }
        return out;
    }

    private static ResponseModel fit(Prepared p, double priorMean, double priorSd) {
        // age 1 = yesterday
        ResponseModel best = null;
        double bestRss = Double.POSITIVE_INFINITY;
        for (double theta : THETAS) {
            Candidate c = fit(p, theta, priorMean, priorSd);
            if (c == null) {
                return null;
            }
            if (c.rss < bestRss) {
                bestRss = c.rss;
                best = c.model;
            }
        }
        return best;
    }

    private record Candidate(ResponseModel model, double rss) {
    }

    /** One weighted Bayesian regression at a carry-over rate; null when there are too few usable days. */
    private static Candidate fit(Prepared p, double theta, double priorMean, double priorSd) {
        if (p.budget <= 0) {
            return null;
        }
        int n = p.days.size();
        double lb = Math.log(p.budget);
        boolean withDemand = p.demand != null;
        int k = withDemand ? 3 : 2;
        double[][] xtx = new double[k][k];
        double[] xty = new double[k];
        double sw = 0;
        double swy = 0;
        double swyy = 0;
        int used = 0;
        int experiments = 0;
        double adstock = 0;
        double maxSeen = 0;
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            DailyPerformance d = p.days.get(i);
            double x = d.spend().doubleValue();
            adstock = x + theta * adstock;
            double v = d.value();
            double w = p.weight[i];
            if (x <= 0 || v <= 0 || w <= 0) {
                continue;
            }
            double steady = adstock * (1 - theta);
            maxSeen = Math.max(maxSeen, steady);
            double[] row = withDemand ? new double[]{1, Math.log(steady) - lb, p.demand[i]}
                    : new double[]{1, Math.log(steady) - lb};
            double y = Math.log(v);
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    xtx[a][b] += w * row[a] * row[b];
                }
                xty[a] += w * row[a] * y;
            }
            sw += w;
            swy += w * y;
            swyy += w * y * y;
            rows.add(new double[]{w, y, row[1], withDemand ? row[2] : 0, p.age[i]});
            used++;
            if (p.experiment[i]) {
                experiments++;
            }
        }
        if (used < MIN_DAYS) {
            return null;
        }
        // noise variance: weighted residuals of the least-squares fit (ridge-stabilised), then the posterior
        double[][] ridge = copy(xtx);
        for (int a = 0; a < k; a++) {
            ridge[a][a] += 1e-6 * sw;
        }
        double[] ols = solve(ridge, xty.clone());
        double rss = 0;
        for (double[] r : rows) {
            double fitted = ols[0] + ols[1] * r[2] + (withDemand ? ols[2] * r[3] : 0);
            rss += r[0] * (r[1] - fitted) * (r[1] - fitted);
        }
        double effective = sw * sw / rows.stream().mapToDouble(r -> r[0] * r[0]).sum();
        double s2 = Math.max(1e-4, rss / Math.max(1, sw) * effective / Math.max(1, effective - k));
        // posterior precision = X'WX / s2 scaled to the effective number of days, plus the prior on b
        double scale = effective / sw;
        double[][] prec = new double[k][k];
        double[] rhs = new double[k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                prec[a][b] = xtx[a][b] * scale / s2;
            }
            rhs[a] = xty[a] * scale / s2;
        }
        prec[1][1] += 1 / (priorSd * priorSd);
        rhs[1] += priorMean / (priorSd * priorSd);
        prec[0][0] += 1e-6;
        if (withDemand) {
            prec[2][2] += 1; // the demand coefficient: N(0, 1)
        }
        double[][] cov = invert(prec);
        double[] mean = multiply(cov, rhs);
        // the level at the current budget from the last days alone: a response that changed is followed at once,
        // while the elasticity keeps learning from the whole window
        int recent = 0;
        double shift = 0;
        double recentLx = 0;
        for (double[] r : rows) {
            if (r[4] < RECENT_DAYS) {
                shift += r[1] - (mean[0] + mean[1] * r[2] + (withDemand ? mean[2] * r[3] : 0));
                recentLx += r[2];
                recent++;
            }
        }
        double logLevel = mean[0];
        double logLevelSd = Math.sqrt(Math.max(0, cov[0][0]));
        if (recent >= 5) {
            shift /= recent;
            recentLx /= recent;
            logLevel = mean[0] + shift;
            logLevelSd = Math.sqrt(s2 / recent + recentLx * recentLx * cov[1][1]);
        }
        ResponseModel m = new ResponseModel(p.channel, p.budget, mean[1], Math.sqrt(Math.max(0, cov[1][1])), logLevel,
                logLevelSd, Math.sqrt(s2), theta, maxSeen, used, experiments);
        return new Candidate(m, rss / sw);
    }

    // ---------------------------------------------------------------------------------- small linear algebra

    private static double[][] copy(double[][] m) {
        double[][] c = new double[m.length][];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i].clone();
        }
        return c;
    }

    private static double[] multiply(double[][] m, double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v.length; j++) {
                out[i] += m[i][j] * v[j];
            }
        }
        return out;
    }

    /** Solves {@code m x = b} by Gaussian elimination with partial pivoting ({@code m} is overwritten). */
    static double[] solve(double[][] m, double[] b) {
        int n = b.length;
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = m[c];
            m[c] = m[pivot];
            m[pivot] = t;
            double tb = b[c];
            b[c] = b[pivot];
            b[pivot] = tb;
            if (Math.abs(m[c][c]) < 1e-300) {
                continue;
            }
            for (int r = c + 1; r < n; r++) {
                double f = m[r][c] / m[c][c];
                for (int j = c; j < n; j++) {
                    m[r][j] -= f * m[c][j];
                }
                b[r] -= f * b[c];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int j = r + 1; j < n; j++) {
                s -= m[r][j] * x[j];
            }
            x[r] = Math.abs(m[r][r]) < 1e-300 ? 0 : s / m[r][r];
        }
        return x;
    }

    static double[][] invert(double[][] m) {
        int n = m.length;
        double[][] inv = new double[n][n];
        for (int c = 0; c < n; c++) {
            double[] e = new double[n];
            e[c] = 1;
            double[] col = solve(copy(m), e);
            for (int r = 0; r < n; r++) {
                inv[r][c] = col[r];
            }
        }
        return inv;
    }
}
