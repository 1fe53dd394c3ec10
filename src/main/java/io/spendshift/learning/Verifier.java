package io.spendshift.learning;

import io.spendshift.policy.DailyPerformance;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks an applied plan against its forecast once enough days have passed (method {@value #METHOD}): on each
 * day after the change, the channels the plan changed delivered some value; the model fitted before the change
 * predicts what they would have delivered at the spends actually delivered. If the model was right, the plan
 * brought what was forecast; what they delivered beyond (or short of) the prediction is added to the forecast.
 * The realized change is that sum, with an interval of the forecast's level from the day-to-day spread
 * ({@code mean +/- z sd / sqrt(days)}). The first {@value #SETTLE_DAYS} days after the change are skipped while
 * carry-over settles.
 *
 * <p>Statuses: UNDERDELIVERED when the realized interval lies wholly below the forecast's lower bound (or wholly
 * below zero while the forecast promised a gain); ON_TRACK when the realized value reaches at least the forecast's
 * lower bound; INCONCLUSIVE otherwise (the interval is too wide to tell); PENDING before
 * {@code verifyAfterDays} days of data.
 */
public final class Verifier {

    public static final String METHOD = "model-residual";
    static final int SETTLE_DAYS = 2;

    private Verifier() {
    }

    /**
     * {@code before}: the model fitted on the history up to the day the plan took effect; {@code after}: each
     * channel's days from that day on; {@code changed}: each changed channel's budget before and after the plan.
     */
    public static Verification verify(PortfolioModel before, Forecast forecast, Map<String, java.util.List<DailyPerformance>> after,
                                      Map<String, BigDecimal[]> changed, LocalDate appliedOn, LocalDate asOf,
                                      int verifyAfterDays) {
        if (forecast == null || !forecast.available()) {
            return new Verification(Verification.Status.INCONCLUSIVE, 0, null, METHOD,
                    "the plan had no forecast to check against");
        }
        LocalDate first = appliedOn.plusDays(SETTLE_DAYS);
        Map<LocalDate, double[]> byDay = new TreeMap<>();
        int channels = 0;
        for (String channel : changed.keySet()) {
            ResponseModel m = before == null ? null : before.get(channel);
            if (m == null) {
                return new Verification(Verification.Status.INCONCLUSIVE, 0, null, METHOD,
                        "no model of channel '" + channel + "' before the change");
            }
            channels++;
            double level = m.level();
            double b = ResponseModel.clampB(m.elasticity());
            for (DailyPerformance d : after.getOrDefault(channel, java.util.List.of())) {
                if (d.date().isBefore(first) || !d.date().isBefore(asOf)) {
                    continue;
                }
                double predicted = m.valueAt(d.spend().doubleValue(), level, b);
                double[] acc = byDay.computeIfAbsent(d.date(), k -> new double[2]);
                acc[0] += d.value() - predicted;
                acc[1]++;
            }
        }
        final int need = channels;
        double[] residuals = byDay.values().stream().filter(a -> a[1] == need).mapToDouble(a -> a[0]).toArray();
        int days = residuals.length;
        if (days < Math.max(2, verifyAfterDays - SETTLE_DAYS)) {
            return new Verification(Verification.Status.PENDING, days, null, METHOD,
                    days + " of " + Math.max(2, verifyAfterDays - SETTLE_DAYS) + " days of data after the change so far");
        }
        double mean = 0;
        for (double r : residuals) {
            mean += r;
        }
        mean /= days;
        double var = 0;
        for (double r : residuals) {
            var += (r - mean) * (r - mean);
        }
        double sd = Math.sqrt(var / Math.max(1, days - 1) / days);
        double z = 1.2815515655446004; // 80% two-sided
        double expected = forecast.valuePerDay().expected() + mean;
        Interval realized = new Interval(expected, expected - z * sd, expected + z * sd);
        Interval promised = forecast.valuePerDay();
        Verification.Status status;
        String reason;
        if (realized.high() < promised.low() || (promised.low() > 0 && realized.high() < 0)) {
            status = Verification.Status.UNDERDELIVERED;
            reason = "the realized change is below the forecast's lower bound";
        } else if (realized.expected() >= promised.low()) {
            status = Verification.Status.ON_TRACK;
            reason = "the realized change reaches the forecast's interval";
        } else {
            status = Verification.Status.INCONCLUSIVE;
            reason = "the realized change's interval is too wide to tell";
        }
        return new Verification(status, days, realized, METHOD, reason);
    }
}
