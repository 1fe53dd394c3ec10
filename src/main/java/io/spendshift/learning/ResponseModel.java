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
 * <p>Model: {@code ln v_t = a + b ln(x~'_t / B) + g D_t + e_t}, {@code e ~ N(0, s^2)}. Daily spend is split into
 * the budget in force ({@link ChannelHistory#budgetOn}) and how far spend strayed from it,
 * {@code c_t = ln(x_t / budget_t)}. A busy day spends more and sells more on every channel at once, so the part of
 * {@code c_t} that moves with the other channels' ({@code k D_t}, {@code D_t} their mean {@code c}) is demand and
 * gets its own free coefficient {@code g}; the rest {@code u_t} is pacing, exogenous. The elasticity {@code b} is
 * learnt from {@code x~_t = budget_t e^(u_t)}, adstocked with a carry-over rate chosen by fit: budget moves
 * (plans, designed experiments) and idiosyncratic pacing, never demand. Where a channel's spend moves only with
 * demand, {@code b} stays uncertain and the channel is explored. With fewer than three channels there is no
 * demand index, and spend is taken as it is.
 *
 * <p>Estimation: Bayesian linear regression with a normal prior on {@code b} pooled across the portfolio's
 * channels (mean: the precision-weighted mean of the channels' own estimates; sd {@value #POOLED_PRIOR_SD}: a sd
 * fitted to how much the channels' estimates differ made the regime benchmark worse),
 * the noise variance from the weighted residuals, days weighted by age (half-life {@value #HALF_LIFE_DAYS} days)
 * and ordinary days counting half once there are {@value #MIN_EXPERIMENT_DAYS} or more experiment days (they are
 * exogenous by design). The level at the current budget is the mean value of the last {@value #RECENT_DAYS}
 * days brought to the current budget, so a channel whose response changes is followed at once.
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
    private final double priorSd;

    ResponseModel(String channel, double budget, double elasticity, double elasticitySd, double logLevel,
                  double logLevelSd, double noiseSd, double theta, double maxSeen, int days, int experimentDays,
                  double priorSd) {
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
        this.priorSd = priorSd;
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
        return Math.exp(logLevel);
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
     * when its sd is still the pooled prior's (spend never varied, nothing was learnt).
     */
    public double confidence() {
        return Math.max(0, Math.min(1, 1 - elasticitySd / priorSd)) * Math.min(1, days / 21.0);
    }

    /**
     * Expected daily value at a steady budget {@code x} for one posterior draw of level and elasticity. Away from
     * the current budget the curve saturates: for an elasticity {@code b < 1} it is the saturating curve
     * {@code v(x) = level * (x / B) * (B + k) / (x + k)} with {@code k = b B / (1 - b)}, which has elasticity
     * {@code b} at the current budget {@code B} and falls as spend grows, as the response curves of real channels
     * do (a constant elasticity would overstate what an increase brings and a cut costs). An elasticity of 1 or
     * more (a curve still below its bend) holds only within the spend seen; beyond it value grows at most linearly.
     */
    double valueAt(double x, double level, double b) {
        if (x <= 0) {
            return 0;
        }
        if (budget <= 0) {
            return level;
        }
        if (b <= 1e-3) {
            return level;
        }
        if (b < SATURATING_BELOW) {
            double k = b * budget / (1 - b);
            return level * (x / budget) * (budget + k) / (x + k);
        }
        double seen = Math.max(maxSeen, budget);
        if (x <= seen) {
            return level * Math.pow(x / budget, b);
        }
        return level * Math.pow(seen / budget, b) * (x / seen);
    }

    /** Elasticities below this use the saturating curve. */
    static final double SATURATING_BELOW = 0.98;

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
        // the demand index: per day, the sum and count of every channel's deviation, so that each channel's "others"
        // are the totals less its own (linear in channels x days, whatever the portfolio's size)
        // (arrays by epoch day rather than a map by date: at 10,000 channels the map was a fifth of the model's time)
        long firstDay = Long.MAX_VALUE;
        long lastDay = Long.MIN_VALUE;
        for (Prepared p : prepared.values()) {
            if (p.epoch.length > 0) {
                firstDay = Math.min(firstDay, p.epoch[0]);
                lastDay = Math.max(lastDay, p.epoch[p.epoch.length - 1]);
            }
        }
        ByDay byDay = new ByDay(firstDay, firstDay <= lastDay ? (int) (lastDay - firstDay + 1) : 0);
        for (Prepared p : prepared.values()) {
            for (int i = 0; i < p.epoch.length; i++) {
                if (p.firstOfDate[i] && !Double.isNaN(p.deviation[i])) {
                    int d = (int) (p.epoch[i] - firstDay);
                    byDay.sum[d] += p.deviation[i];
                    byDay.count[d]++;
                }
            }
        }
        for (Prepared p : prepared.values()) {
            p.demand = prepared.size() < 3 ? null : demandIndex(p, byDay);
            p.regressors();
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
        final double sd = POOLED_PRIOR_SD;
        Map<String, ResponseModel> out = new LinkedHashMap<>();
        for (Prepared p : prepared.values()) {
            ResponseModel m = first.isEmpty() ? null : fit(p, pooled, sd);
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
        /** Per day: its epoch day, ln(spend / budget in force) of its date (NaN: none, no spend), and whether it
         * is the first row of its date (a date given twice counts once, with its last deviation). */
        long[] epoch;
        double[] deviation;
        boolean[] firstOfDate;
        double[] budgetOn;
        Set<LocalDate> experimentDays;
        /** The others' mean deviation on each day (null: no index), and this channel's loading on it. */
        double[] demand;
        double loading;
        /**
         * Per day, what every fit of the channel reads (eight of them: four carry-over rates, two passes): the spend
         * less its demand part, and the day's value. Computed once: reading them from the days' BigDecimals and
         * taking the demand out again in every fit was most of the model's time at 10,000 channels.
         */
        double[] spend;
        double[] value;

        void regressors() {
            int n = days.size();
            spend = new double[n];
            value = new double[n];
            for (int i = 0; i < n; i++) {
                DailyPerformance d = days.get(i);
                double x = d.spend().doubleValue();
                if (demand != null && x > 0 && budgetOn[i] > 0) {
                    // the budget and the channel's own pacing; the part of its deviation that is demand is left out
                    x = budgetOn[i] * Math.exp(Math.log(x / budgetOn[i]) - loading * demand[i]);
                }
                spend[i] = x;
                value[i] = d.value();
            }
        }
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
        p.budgetOn = new double[n];
        p.epoch = new long[n];
        p.deviation = new double[n];
        p.firstOfDate = new boolean[n];
        for (int i = 0; i < n; i++) {
            DailyPerformance d = p.days.get(i);
            double x = d.spend().doubleValue();
            p.budgetOn[i] = h.budgetOn(d.date());
            long age = ChronoUnit.DAYS.between(d.date(), asOf);
            p.age[i] = age;
            p.weight[i] = d.date().isBefore(from) ? 0
                    : Math.pow(0.5, (age - 1) / HALF_LIFE_DAYS) * (p.experiment[i] ? 1.0 : ordinary);
            p.epoch[i] = d.date().toEpochDay();
            p.deviation[i] = x > 0 && p.budgetOn[i] > 0 ? Math.log(x / p.budgetOn[i]) : Double.NaN;
        }
        // rows of one date (in date order they are neighbours): the date's deviation is the last one known
        for (int i = 0; i < n; ) {
            int j = i;
            double dv = Double.NaN;
            while (j < n && p.epoch[j] == p.epoch[i]) {
                if (!Double.isNaN(p.deviation[j])) {
                    dv = p.deviation[j];
                }
                j++;
            }
            for (int r = i; r < j; r++) {
                p.deviation[r] = dv;
                p.firstOfDate[r] = r == i;
            }
            i = j;
        }
        return p;
    }

    /** Every channel's deviations summed and counted per day, from epoch day {@code first}. */
    private static final class ByDay {
        final long first;
        final double[] sum;
        final double[] count;

        ByDay(long first, int days) {
            this.first = first;
            this.sum = new double[days];
            this.count = new double[days];
        }
    }

    /**
     * The other channels' mean spend deviation on each of this channel's days (0 where none is known), and this
     * channel's loading on it. With fewer than two other channels there is no index (it would be one channel's noise).
     */
    private static double[] demandIndex(Prepared p, ByDay byDay) {
        double[] out = new double[p.days.size()];
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < out.length; i++) {
            // every day of every channel is in byDay's range (a date no channel has a deviation for counts 0)
            int d = (int) (p.epoch[i] - byDay.first);
            double own = p.deviation[i];
            boolean known = !Double.isNaN(own);
            double sum = byDay.sum[d] - (known ? own : 0);
            double count = byDay.count[d] - (known ? 1 : 0);
            out[i] = count <= 0 ? 0 : sum / count;
            if (known && p.weight[i] > 0) {
                sxy += own * out[i];
                sxx += out[i] * out[i];
            }
        }
        p.loading = sxx > 1e-12 ? sxy / sxx : 0;
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
        int used = 0;
        int experiments = 0;
        double adstock = 0;
        double maxSeen = 0;
        // the rows of the regression (weight, y, log spend, demand) and the recent days (value, steady spend), in
        // arrays rather than one small array per day
        double[] rw = new double[n];
        double[] ry = new double[n];
        double[] rx = new double[n];
        double[] rd = new double[n];
        double[] recentValue = new double[n];
        double[] recentSpend = new double[n];
        int recent = 0;
        double[] row = new double[k];
        for (int i = 0; i < n; i++) {
            double x = p.spend[i];
            // the history's first day starts at its steady adstock: a ramp from zero would read as spend variation
            adstock = i == 0 ? x / (1 - theta) : x + theta * adstock;
            double v = p.value[i];
            double w = p.weight[i];
            if (x > 0 && p.age[i] < RECENT_DAYS) {
                recentValue[recent] = v;
                recentSpend[recent] = adstock * (1 - theta);
                recent++;
            }
            if (x <= 0 || v <= 0 || w <= 0) {
                continue;
            }
            double steady = adstock * (1 - theta);
            maxSeen = Math.max(maxSeen, steady);
            row[0] = 1;
            row[1] = Math.log(steady) - lb;
            if (withDemand) {
                row[2] = p.demand[i];
            }
            double y = Math.log(v);
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    xtx[a][b] += w * row[a] * row[b];
                }
                xty[a] += w * row[a] * y;
            }
            sw += w;
            rw[used] = w;
            ry[used] = y;
            rx[used] = row[1];
            rd[used] = withDemand ? row[2] : 0;
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
        for (int r = 0; r < used; r++) {
            double fitted = ols[0] + ols[1] * rx[r] + (withDemand ? ols[2] * rd[r] : 0);
            rss += rw[r] * (ry[r] - fitted) * (ry[r] - fitted);
        }
        // a compensated sum, as the stream's was: the same figures to the last bit
        double effective = sw * sw / java.util.Arrays.stream(rw, 0, used).map(w -> w * w).sum();
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
            prec[2][2] += 1; // the demand coefficient: N(0, 1), left to the data
        }
        double[][] cov = invert(prec);
        double[] mean = multiply(cov, rhs);
        // the level at the current budget: the mean value of the last days (days without value included), each
        // brought to the current budget along the fitted elasticity; a response that changed is followed at once,
        // while the elasticity keeps learning from the whole window
        double logLevel = mean[0] + s2 / 2;
        double logLevelSd = Math.sqrt(Math.max(0, cov[0][0]));
        if (recent >= 5) {
            double b = clampB(mean[1]);
            double sum = 0;
            double sum2 = 0;
            double lx = 0;
            for (int r = 0; r < recent; r++) {
                double t = recentValue[r] * Math.pow(p.budget / recentSpend[r], b);
                sum += t;
                sum2 += t * t;
                lx += Math.log(recentSpend[r] / p.budget);
            }
            int k2 = recent;
            double levelMean = sum / k2;
            if (levelMean > 0) {
                double rel = Math.sqrt(Math.max(0, sum2 / k2 - levelMean * levelMean) / k2) / levelMean;
                lx /= k2;
                logLevelSd = Math.sqrt(rel * rel + lx * lx * cov[1][1]);
                logLevel = Math.log(levelMean);
            }
        }
        ResponseModel m = new ResponseModel(p.channel, p.budget, mean[1], Math.sqrt(Math.max(0, cov[1][1])), logLevel,
                logLevelSd, Math.sqrt(s2), theta, maxSeen, used, experiments, priorSd);
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
