package io.spendshift.rules;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The rule set in readiness: up while a rule set is active; a rejected reload marks it degraded (with the
 * errors) but not down, since the previous version keeps serving.
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
        return b.build();
    }
}
