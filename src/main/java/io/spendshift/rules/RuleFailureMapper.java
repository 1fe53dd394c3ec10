package io.spendshift.rules;

import io.spendshift.common.Problem;
import io.spendshift.rules.engine.RuleEvaluationException;
import io.spendshift.rules.engine.RuleLoopException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/**
 * A read or a run request whose rules failed at evaluation (an Error inside the engine, a loop, an exception in
 * a consequence) answers a 503 problem that names the rule set and the failure, not an anonymous 500: the
 * service is fine, the active rules are not, and a strategist can fix them (GET /api/v1/rules, the rules folder).
 */
public class RuleFailureMapper {

    private static final Logger LOG = Logger.getLogger(RuleFailureMapper.class);

    private final RuleSetService rules;

    RuleFailureMapper(RuleSetService rules) {
        this.rules = rules;
    }

    @ServerExceptionMapper
    public Response evaluation(RuleEvaluationException e, UriInfo uri) {
        return failing(e, uri);
    }

    @ServerExceptionMapper
    public Response loop(RuleLoopException e, UriInfo uri) {
        return failing(e, uri);
    }

    @ServerExceptionMapper
    public Response limit(io.spendshift.rules.engine.RuleLimitException e, UriInfo uri) {
        return failing(e, uri);
    }

    @ServerExceptionMapper
    public Response consequence(org.kie.api.runtime.rule.ConsequenceException e, UriInfo uri) {
        return failing(e, uri);
    }

    @ServerExceptionMapper
    public Response constraint(org.drools.mvel.ConstraintEvaluationException e, UriInfo uri) {
        return failing(e, uri);
    }

    private Response failing(RuntimeException e, UriInfo uri) {
        LOG.error("The active rules failed at evaluation", e);
        String version;
        try {
            version = rules.active().rules().version();
        } catch (IllegalStateException none) {
            version = null;
        }
        String detail = "The active rule set" + (version == null ? "" : " " + version.substring(0, 12))
                + " failed at evaluation: " + RuleEvaluationException.describe(e)
                + ". Fix the rules folder (GET /api/v1/rules shows the active files)";
        Problem p = new Problem(Problem.typeFor(503), "Rules fail at evaluation", 503, detail,
                uri == null ? null : uri.getRequestUri().getRawPath(), java.util.List.of(),
                version == null ? Map.of() : Map.of("ruleSetVersion", version));
        return p.toResponse();
    }
}
