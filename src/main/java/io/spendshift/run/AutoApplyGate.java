package io.spendshift.run;

import io.spendshift.learning.Forecast;
import io.spendshift.portfolio.PortfolioDtos.FreezeView;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * Whether a plan of a portfolio in AUTO_APPLY mode is applied by the system at once, and if not, why (README,
 * "Automation gates"). The first gate that holds it back is the reason; null means it goes ahead. In order:
 * a freeze period on {@code asOf}, the {@code autoApplyMaxShiftPct} guardrail, the forecast (its lower bound must
 * be above zero), and {@code maxAppliesPerDay}.
 */
public final class AutoApplyGate {

    private AutoApplyGate() {
    }

    /** {@code appliesToday}: plans the system already applied today to this portfolio. */
    /**
     * {@code pacingOnly}: the plan only paces the total to the budget plan (no move between channels): it is not a
     * bet on the response model, so the forecast need not promise a gain (a cut the budget plan asks for lowers
     * value by design); it must still be available, and the other gates apply.
     */
    public record Inputs(LocalDate asOf, List<FreezeView> freeze, BigDecimal moved, BigDecimal totalBudget,
                         double autoApplyMaxShiftPct, Forecast forecast, long appliesToday, int maxAppliesPerDay,
                         boolean pacingOnly) {

        public Inputs(LocalDate asOf, List<FreezeView> freeze, BigDecimal moved, BigDecimal totalBudget,
                      double autoApplyMaxShiftPct, Forecast forecast, long appliesToday, int maxAppliesPerDay) {
            this(asOf, freeze, moved, totalBudget, autoApplyMaxShiftPct, forecast, appliesToday, maxAppliesPerDay,
                    false);
        }
    }

    /** Null when the plan may be applied automatically, else why not. */
    public static String withheld(Inputs in) {
        for (FreezeView f : in.freeze()) {
            if (!in.asOf().isBefore(f.from()) && !in.asOf().isAfter(f.to())) {
                return "frozen" + (f.reason() == null || f.reason().isBlank() ? "" : ": " + f.reason())
                        + " (" + f.from() + ".." + f.to() + ")";
            }
        }
        BigDecimal limit = in.totalBudget().multiply(BigDecimal.valueOf(in.autoApplyMaxShiftPct() / 100.0))
                .setScale(2, RoundingMode.HALF_EVEN);
        if (in.moved().compareTo(limit) > 0) {
            return "moves " + in.moved().setScale(2, RoundingMode.HALF_EVEN) + ", more than autoApplyMaxShiftPct "
                    + BigDecimal.valueOf(in.autoApplyMaxShiftPct()).stripTrailingZeros().toPlainString()
                    + "% of the total budget (" + limit + ")";
        }
        Forecast f = in.forecast();
        if (f == null) {
            return "forecast unavailable: none was made";
        }
        if (!f.available()) {
            return "forecast unavailable: " + f.unavailable();
        }
        if (!in.pacingOnly() && !f.confidentGain()) {
            return "forecast lower bound " + String.format(Locale.ROOT, "%.2f", f.valuePerDay().low())
                    + "/day is not above zero";
        }
        if (in.appliesToday() >= in.maxAppliesPerDay()) {
            if (in.maxAppliesPerDay() == 0) {
                return "automatic applies are off (maxAppliesPerDay 0)";
            }
            return in.appliesToday() + " automatic appl" + (in.appliesToday() == 1 ? "y" : "ies")
                    + " already today (maxAppliesPerDay " + in.maxAppliesPerDay() + ")";
        }
        return null;
    }
}
