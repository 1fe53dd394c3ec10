package io.spendshift.policy;

import java.util.List;

/**
 * Estimates a channel's marginal long-term value per unit of spend at its current budget from its own history.
 *
 * <p>Method: a log-log least-squares fit of daily value on daily spend, {@code ln v = a + b ln x}, over the
 * days with both positive. The elasticity {@code b} (clamped to [0, 1.5]) turns the fitted value at the
 * current budget {@code B} into a marginal: {@code dv/dx = b * exp(a) * B^(b-1)}. A saturating channel has
 * {@code b < 1} and a marginal below its average; an S-curve still below its bend has {@code b > 1}.
 *
 * <p>Confidence (0..1) grows with the number of days and with how precisely {@code b} is known (its standard
 * error), and is zero when spend barely varied. Where spend never varied (coefficient of variation under 3%)
 * or there are fewer than {@value #MIN_DAYS} usable days, the estimate falls back to the average
 * (value / spend) with confidence {@value #FALLBACK_CONFIDENCE}.
 *
 * <p>Limits: adstock carries value over from earlier days, so day-by-day elasticity is biased towards the
 * average on channels with long carry-over; and the fit is local: it describes spend levels seen in the
 * history, not far beyond them.
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

    public static Estimate estimate(List<DailyPerformance> days, double currentBudget) {
        int n = 0;
        double sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0;
        double totalSpend = 0, totalValue = 0, sumSpend = 0, sumSpend2 = 0;
        for (DailyPerformance d : days) {
            double x = d.spend().doubleValue();
            double v = d.value();
            totalSpend += x;
            totalValue += v;
            if (x <= 0 || v <= 0) {
                continue;
            }
            double lx = Math.log(x);
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
            return new Estimate(average, average == null ? 0 : FALLBACK_CONFIDENCE, null);
        }
        double meanSpend = sumSpend / n;
        double cv = Math.sqrt(Math.max(0, sumSpend2 / n - meanSpend * meanSpend)) / meanSpend;
        double varX = sxx - sx * sx / n;
        if (cv < MIN_SPEND_CV || varX <= 1e-12) {
            return new Estimate(average, FALLBACK_CONFIDENCE, null);
        }
        double b = (sxy - sx * sy / n) / varX;
        double a = (sy - b * sx) / n;
        double rss = Math.max(0, (syy - sy * sy / n) - b * (sxy - sx * sy / n));
        double se = n > 2 ? Math.sqrt(rss / (n - 2) / varX) : Double.POSITIVE_INFINITY;
        double elasticity = Math.max(0, Math.min(1.5, b));
        // the fitted daily value at the current budget, scaled by the (clamped) elasticity
        double level = Math.exp(a + b * Math.log(currentBudget));
        double marginal = Double.isFinite(level) ? elasticity * level / currentBudget : average == null ? 0 : average;
        double precision = 1 - Math.min(1, se / 0.5);
        double confidence = Math.max(0, Math.min(1, precision * Math.min(1, n / 21.0)));
        return new Estimate(marginal, confidence, b);
    }
}
