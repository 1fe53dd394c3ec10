package io.spendshift.learning;

import java.util.List;

/**
 * What a plan is expected to bring (API.md, "Forecasts"): the change of the portfolio's daily long-term value at
 * steady state under the proposed budgets against keeping the current ones, per channel and in total, per day and
 * over {@code horizonDays}, with an interval of probability {@code level}. {@code explorationCostPerDay} is the
 * expected value the plan's experiments give up (null when it has none). A forecast that cannot be made carries
 * only {@code unavailable}, the reason.
 */
public record Forecast(Double level, Integer horizonDays, Interval valuePerDay, Interval valueOverHorizon,
                       List<ChannelForecast> channels, Interval explorationCostPerDay, String unavailable) {

    /** The default interval level and horizon. */
    public static final double LEVEL = 0.8;
    public static final int HORIZON_DAYS = 30;

    public record ChannelForecast(String channel, Interval valuePerDay) {
    }

    public static Forecast unavailable(String reason) {
        return new Forecast(null, null, null, null, null, null, reason);
    }

    public boolean available() {
        return unavailable == null;
    }

    /** True when the plan's gain is positive even at the interval's lower bound: the gate for automatic applies. */
    public boolean confidentGain() {
        return available() && valuePerDay.low() > 0;
    }
}
