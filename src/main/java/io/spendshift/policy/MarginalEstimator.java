package io.spendshift.policy;

import java.util.List;

/**
 * Estimates a channel's marginal long-term value per unit of spend at its current budget from its own history.
 *
 * <p>Method: a log-log least-squares fit of daily value on adstocked daily spend, {@code ln v = a + b ln x'},
 * where {@code x'} carries earlier days' spend over with a rate theta (tried 0, 0.2, 0.4, 0.6; the best fit
 * wins), over the days with spend and value positive. The elasticity {@code b} (clamped to [0, 1.5]) turns the
 * fitted value at the current budget {@code B} into a marginal: {@code dv/dx = b * v(B) / B}. A saturating
 * channel has {@code b < 1} and a marginal below its average; an S-curve still below its bend has {@code b > 1}.
 *
 * <p>Confidence (0..1) grows with the number of days and with how precisely {@code b} is known (its standard
 * error), and is zero when spend barely varied. Where spend never varied (coefficient of variation under 3%)
 * or there are fewer than {@value #MIN_DAYS} usable days, the estimate falls back to the average
 * (value / spend) with confidence {@value #FALLBACK_CONFIDENCE}.
 *
 * <p>Limits: the carry-over rate is picked from four values, not fitted; and the fit is local: it describes
 * spend levels seen in the history, not far beyond them.
 */
public final class MarginalEstimator {

    public static final int MIN_DAYS = 7;
    public static final double FALLBACK_CONFIDENCE = 0.1;
    static final double MIN_SPEND_CV = 0.03;

    private MarginalEstimator() {
    }

    /** The estimate: marginal value per unit of spend, and how much to trust it. */
    public record Estimate(Double marginal, double confidence, Double elasticity) {
    }

    /** Carry-over rates tried for the adstocked fit; the one that explains value best is kept. */
    static final double[] THETAS = {0.0, 0.2, 0.4, 0.6};

    public static Estimate estimate(List<DailyPerformance> days, double currentBudget) {
        List<DailyPerformance> sorted = new java.util.ArrayList<>(days);
        sorted.sort(java.util.Comparator.comparing(DailyPerformance::date));
        Estimate best = null;
        double bestFit = Double.NEGATIVE_INFINITY;
        for (double theta : THETAS) {
            Fit f = fit(sorted, currentBudget, theta);
            if (f.estimate().elasticity() == null) {
                return f.estimate(); // fallback cases do not depend on theta
            }
            if (f.r2() > bestFit) {
                bestFit = f.r2();
                best = f.estimate();
            }
        }
        return best;
    }

    private record Fit(Estimate estimate, double r2) {
    }

    /**
     * Regresses ln value on ln adstocked spend ({@code a_t = x_t + theta a_(t-1)}). At a steady budget the
     * adstock is proportional to spend, so the elasticity found holds for spend as well; carry-over only
     * blurs day-by-day spend, which is why the adstocked regressor estimates it better.
     */
    private static Fit fit(List<DailyPerformance> days, double currentBudget, double theta) {
        int n = 0;
        double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
        double totalSpend = 0, totalValue = 0, sumSpend = 0, sumSpend2 = 0;
        double adstock = 0;
        for (DailyPerformance d : days) {
            double x = d.spend().doubleValue();
            double v = d.value();
            adstock = x + theta * adstock;
            totalSpend += x;
            totalValue += v;
            if (x <= 0 || v <= 0) {
                continue;
            }
            double lx = Math.log(adstock * (1 - theta));
            double ly = Math.log(v);
            n++;
            sx += lx;
            sy += ly;
            sxx += lx * lx;
            sxy += lx * ly;
            syy += ly * ly;
            sumSpend += x;
            sumSpend2 += x * x;
        }
        Double average = totalSpend > 0 ? totalValue / totalSpend : null;
        if (n < MIN_DAYS || currentBudget <= 0) {
            return new Fit(new Estimate(average, average == null ? 0 : FALLBACK_CONFIDENCE, null), 0);
        }
        double meanSpend = sumSpend / n;
        double cv = Math.sqrt(Math.max(0, sumSpend2 / n - meanSpend * meanSpend)) / meanSpend;
        double varX = sxx - sx * sx / n;
        double varY = syy - sy * sy / n;
        if (cv < MIN_SPEND_CV || varX <= 1e-12) {
            return new Fit(new Estimate(average, FALLBACK_CONFIDENCE, null), 0);
        }
        double b = (sxy - sx * sy / n) / varX;
        double a = (sy - b * sx) / n;
        double rss = Math.max(0, varY - b * (sxy - sx * sy / n));
        double r2 = varY <= 0 ? 0 : 1 - rss / varY;
        double se = n > 2 ? Math.sqrt(rss / (n - 2) / varX) : Double.POSITIVE_INFINITY;
        double elasticity = Math.max(0, Math.min(1.5, b));
        // the fitted daily value at the current budget, scaled by the (clamped) elasticity
        double level = Math.exp(a + b * Math.log(currentBudget));
        double marginal = Double.isFinite(level) ? elasticity * level / currentBudget : average == null ? 0 : average;
        double precision = 1 - Math.min(1, se / 0.5);
        double confidence = Math.max(0, Math.min(1, precision * Math.min(1, n / 21.0)));
        return new Fit(new Estimate(marginal, confidence, b), r2);
    }
}
