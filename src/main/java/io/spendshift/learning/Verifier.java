package io.spendshift.learning;

import io.spendshift.policy.DailyPerformance;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Checks an applied plan against its forecast once enough days have passed: the realized change of daily value
 * is the forecast plus what the channels the plan changed delivered beyond the pre-change model's prediction at
 * the spends actually delivered.
 */
public final class Verifier {

    private Verifier() {
    }

    /**
     * {@code before}: the model fitted on the history up to the day the plan took effect; {@code after}: each
     * channel's days from that day on; {@code changed}: each changed channel's budget before and after the plan.
     */
    public static Verification verify(PortfolioModel before, Forecast forecast, Map<String, List<DailyPerformance>> after,
                                      Map<String, BigDecimal[]> changed, LocalDate appliedOn, LocalDate asOf,
                                      int verifyAfterDays) {
        return new Verification(Verification.Status.PENDING, 0, null, "model-residual", "not checked yet");
    }
}
