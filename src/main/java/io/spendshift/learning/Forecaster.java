package io.spendshift.learning;

import java.math.BigDecimal;
import java.util.Map;

/** Forecasts the change of daily value a change of budgets brings, by Monte Carlo over the models' posteriors. */
public final class Forecaster {

    private Forecaster() {
    }

    /**
     * {@code current} and {@code proposed}: every channel's daily budget before and after the plan;
     * {@code experiments}: the part of each channel's change that is a designed experiment (its cost is reported
     * apart). Deterministic for a seed.
     */
    public static Forecast forecast(PortfolioModel model, Map<String, BigDecimal> current, Map<String, BigDecimal> proposed,
                                    Map<String, BigDecimal> experiments, long seed) {
        return Forecast.unavailable("the response model is not fitted yet");
    }
}
