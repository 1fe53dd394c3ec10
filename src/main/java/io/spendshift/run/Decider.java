package io.spendshift.run;

import io.spendshift.planning.Planner;
import jakarta.enterprise.context.ApplicationScoped;
import org.kie.api.KieBase;

/**
 * The cycle's one call into the planner, as a bean: production delegates to {@link Planner#decide}; tests
 * replace it to pin a forecast (the automation gates read the forecast, and a test must be able to choose it).
 */
@ApplicationScoped
public class Decider {

    public Planner.Decision decide(String portfolio, KieBase rules, Planner.Input in, boolean explain) {
        return Planner.decide(rules, in, explain);
    }
}
