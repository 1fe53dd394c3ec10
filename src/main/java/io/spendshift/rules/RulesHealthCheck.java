package io.spendshift.rules;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The rule set in readiness: up while a rule set is active; a rejected reload marks it degraded (with the
 * errors) but not down, since the previous version keeps serving; so does an active set whose evaluation fails
 * for a portfolio (it stays up: the API is how the rules get fixed).
 */
@Readiness
@ApplicationScoped
public class RulesHealthCheck implements HealthCheck {

    private final RuleSetService rules;

    RulesHealthCheck(RuleSetService rules) {
        this.rules = rules;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("Rule set");
        try {
            RuleSetService.Active a = rules.active();
            b.up().withData("version", a.rules().version()).withData("loadedBy", a.loadedBy())
                    .withData("source", a.source());
        } catch (IllegalStateException e) {
            return b.down().withData("reason", "no rule set is active").build();
        }
        rules.lastFailure().ifPresentOrElse(f -> b.withData("degraded", true)
                        .withData("lastRejectedAt", f.at().toString())
                        .withData("errors", f.errors().size())
                        .withData("firstError", f.errors().isEmpty() ? "" : f.errors().get(0).file() + ":"
                                + f.errors().get(0).line() + ": " + f.errors().get(0).message()),
                () -> b.withData("degraded", false));
        // a set that compiles but fails when evaluated (a Drools bug, a stack overflow, a loop on real facts)
        java.util.List<RuleSetService.EvaluationFailure> failing = rules.evaluationFailures();
        if (!failing.isEmpty()) {
            b.withData("degraded", true).withData("failingAtEvaluation", failing.size())
                    .withData("evaluationError", failing.get(0).portfolio() + ": " + failing.get(0).error());
        }
        return b.build();
    }
}
