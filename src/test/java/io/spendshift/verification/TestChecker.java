package io.spendshift.verification;

import io.spendshift.learning.Forecast;
import io.spendshift.learning.PortfolioModel;
import io.spendshift.learning.Verification;
import io.spendshift.policy.DailyPerformance;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The verifier with verdicts tests pin per recommendation; every other one is the real verifier's. */
@Alternative
@Priority(1)
@Singleton
public class TestChecker extends Checker {

    private static final Map<Long, Verification> FORCED = new ConcurrentHashMap<>();

    public static void force(long recommendationId, Verification v) {
        FORCED.put(recommendationId, v);
    }

    @Override
    public Verification verify(long recommendationId, PortfolioModel before, Forecast forecast,
                               Map<String, List<DailyPerformance>> after, Map<String, BigDecimal[]> changed,
                               LocalDate appliedOn, LocalDate asOf, int verifyAfterDays) {
        Verification v = FORCED.get(recommendationId);
        return v != null ? v : super.verify(recommendationId, before, forecast, after, changed, appliedOn, asOf,
                verifyAfterDays);
    }
}
