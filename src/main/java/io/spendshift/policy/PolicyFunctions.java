package io.spendshift.policy;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Helper functions the policy language offers to rule files, used with
 * {@code import function io.spendshift.policy.PolicyFunctions.fmt;}. Rule files cannot declare functions of
 * their own (see {@code rules/README.md}, "What a rule may say"): every function they call lives here, is
 * pure, and is reviewed like any other code of the service.
 */
public final class PolicyFunctions {

    private PolicyFunctions() {
    }

    /** A number rounded to two decimals, for reasons people read ("1.25"). Plain rounding rather than
     * {@code String.format}: formatting was a tenth of the rule stage at 10,000 channels. */
    public static String fmt(double d) {
        return Double.toString(Math.round(d * 100) / 100.0);
    }

    /** {@code pct} % of {@code budget}, rounded down to the cent: a step never exceeds what the policy allows. */
    public static BigDecimal share(BigDecimal budget, double pct) {
        return budget.multiply(BigDecimal.valueOf(pct / 100.0)).setScale(2, RoundingMode.DOWN);
    }
}
