package io.spendshift.verification;

import io.spendshift.learning.Forecast;
import io.spendshift.learning.PortfolioModel;
import io.spendshift.learning.Verification;
import io.spendshift.learning.Verifier;
import io.spendshift.policy.DailyPerformance;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The verification's one call into {@link Verifier}, as a bean: production delegates; tests replace it to pin a
 * verdict (what follows an UNDERDELIVERED plan must be testable whatever the model says).
 */
@ApplicationScoped
public class Checker {

    public Verification verify(long recommendationId, PortfolioModel before, Forecast forecast,
                               Map<String, List<DailyPerformance>> after, Map<String, BigDecimal[]> changed,
                               LocalDate appliedOn, LocalDate asOf, int verifyAfterDays) {
        return Verifier.verify(before, forecast, after, changed, appliedOn, asOf, verifyAfterDays);
    }
}
