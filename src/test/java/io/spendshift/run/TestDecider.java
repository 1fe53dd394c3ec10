package io.spendshift.run;

import io.spendshift.learning.Experiment;
import io.spendshift.learning.Forecast;
import io.spendshift.learning.Interval;
import io.spendshift.planning.Planner;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import org.kie.api.KieBase;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The planner as the cycle calls it, with what tests pin per portfolio: a forecast (the automation gates read it),
 * experiments (exploration designs none until its math lands), or a confident forecast only where the real one is
 * unavailable (a stand-in while the forecaster cannot forecast yet; a real forecast always wins).
 */
@Alternative
@Priority(1)
@Singleton
public class TestDecider extends Decider {

    private static final Map<String, Forecast> FORCED = new ConcurrentHashMap<>();
    private static final Map<String, List<Experiment>> EXPERIMENTS = new ConcurrentHashMap<>();

    /** Every cycle of {@code portfolio} gets this forecast. */
    public static void force(String portfolio, Forecast f) {
        FORCED.put(portfolio, f);
    }

    /** Every cycle of {@code portfolio} starts these experiments. */
    public static void experiments(String portfolio, List<Experiment> experiments) {
        EXPERIMENTS.put(portfolio, experiments);
    }


    /** A forecast of {@code expected} [low, high] per day, one channel "good" carrying all of it. */
    public static Forecast forecast(double expected, double low, double high) {
        Interval perDay = new Interval(expected, low, high);
        return new Forecast(Forecast.LEVEL, Forecast.HORIZON_DAYS, perDay, perDay.times(Forecast.HORIZON_DAYS),
                List.of(new Forecast.ChannelForecast("good", perDay)), null, null);
    }

    @Override
    public Planner.Decision decide(String portfolio, KieBase rules, Planner.Input in, boolean explain) {
        Planner.Decision d = super.decide(portfolio, rules, in, explain);
        Forecast f = FORCED.get(portfolio);
        List<Experiment> x = EXPERIMENTS.get(portfolio);
        return new Planner.Decision(d.evaluation(), d.plan(), f == null ? d.forecast() : f,
                x == null ? d.experiments() : x, d.closedExperiments(), f == null ? d.betForecast() : null);
    }
}
