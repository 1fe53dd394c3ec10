package io.spendshift.simulation;

import io.spendshift.common.InvalidInput;
import com.fasterxml.jackson.databind.JsonNode;
import io.spendshift.common.FieldError;
import io.spendshift.market.ChannelModel;
import io.spendshift.policy.PortfolioFacts;
import io.spendshift.portfolio.PortfolioDtos.PolicyInput;
import io.spendshift.portfolio.PortfolioValidator;
import io.quarkus.security.identity.SecurityIdentity;
import io.spendshift.audit.AuditAction;
import io.spendshift.rules.CandidateGuard;
import io.spendshift.rules.RuleSetService;
import io.spendshift.rules.engine.CompiledRules;
import io.spendshift.rules.engine.RuleCompiler;
import io.spendshift.rules.engine.RuleFile;
import io.spendshift.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.kie.api.KieBase;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code POST /simulations}: a closed-loop simulation of a policy on a simulated market. It never writes into
 * real portfolios: the whole loop runs in memory.
 */
@Path("/api/v1/simulations")
@Produces(MediaType.APPLICATION_JSON)
public class SimulationResource {

    static final int MAX_DAYS = 365;
    static final int MAX_CHANNELS = 50;

    private final RuleSetService rules;
    private final CandidateGuard guard;
    private final SecurityIdentity identity;

    SimulationResource(RuleSetService rules, CandidateGuard guard, SecurityIdentity identity) {
        this.rules = rules;
        this.guard = guard;
        this.identity = identity;
    }

    /**
     * A request; only {@code seed} and {@code days} are required. {@code rules}: "active" or {files: [{path,
     * content}]}. {@code regime}: a situation real accounts show (generated markets only; see {@link MarketSpec.Regime}).
     */
    public record SimulationRequest(Long seed, Integer days, List<ChannelModel> channels, PolicyInput policy,
                                    JsonNode rules, String regime) {

        public SimulationRequest(Long seed, Integer days, List<ChannelModel> channels, PolicyInput policy, JsonNode rules) {
            this(seed, days, channels, policy, rules, null);
        }
    }

    public record DayView(int day, double spend, double value, Map<String, Double> budgets) {
    }

    /**
     * The outcome. Learning figures: {@code upliftCapturedLast20} (over the last 20 days), {@code plans} applied,
     * {@code forecasts} with an interval and how many held the true change ({@code forecastsCovered}: the market is
     * known here), {@code experiments} started, and the value they gave up ({@code explorationCost}, summed over
     * the run, in the market's currency).
     */
    public record SimulationView(long seed, int days, String ruleSetVersion, List<String> channels, double totalSpend,
                                 double totalValue, double staticValue, double oracleValue, double upliftCaptured,
                                 int changes, Map<String, Double> oracleBudgets, List<DayView> daily, String regime,
                                 double upliftCapturedLast20, int plans, int forecasts, int forecastsCovered,
                                 int experiments, double explorationCost) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.STRATEGIST)
    public SimulationView simulate(SimulationRequest req) {
        List<FieldError> errors = new ArrayList<>();
        if (req == null || req.seed() == null) {
            errors.add(FieldError.of("seed", "is required"));
        }
        if (req == null || req.days() == null || req.days() < 1 || req.days() > MAX_DAYS) {
            errors.add(FieldError.of("days", "is required, from 1 to " + MAX_DAYS));
        }
        if (req != null && req.channels() != null) {
            if (req.channels().size() < 2 || req.channels().size() > MAX_CHANNELS) {
                errors.add(FieldError.of("channels", "from 2 to " + MAX_CHANNELS + " channels"));
            }
            for (int i = 0; i < req.channels().size(); i++) {
                String problem = problem(req.channels().get(i));
                if (problem != null) {
                    errors.add(FieldError.of("channels[" + i + "]", problem));
                }
            }
        }
        MarketSpec.Regime regime = null;
        if (req != null && req.regime() != null) {
            try {
                regime = MarketSpec.Regime.valueOf(req.regime());
            } catch (IllegalArgumentException e) {
                errors.add(FieldError.of("regime", "must be one of EXACT_PACING, DEMAND_SHOCKS, SATURATED_STAR,"
                        + " RESPONSE_HALVES"));
            }
            if (req.channels() != null) {
                errors.add(FieldError.of("regime", "applies to generated markets only: leave channels out"));
            }
        }
        if (!errors.isEmpty()) {
            throw InvalidInput.of(errors.size() + " fields are invalid", errors);
        }
        MarketSpec market = regime != null ? MarketSpec.regime(regime, req.seed(), req.days())
                : req.channels() == null ? MarketSpec.generate(req.seed())
                : new MarketSpec(req.seed(), req.channels());
        PortfolioFacts policy = policy(req.policy());
        List<RuleFile> candidate = candidateFiles(req.rules());
        // read once: the version audited is the one that runs, whatever reloads meanwhile
        CompiledRules active = rules.active().rules();
        CandidateGuard.Subject subject = candidate == null ? CandidateGuard.Subject.active(active.version())
                : CandidateGuard.Subject.candidate(candidate);
        return guard.evaluate(AuditAction.SIMULATION_RUN, identity.getPrincipal().getName(), subject,
                () -> simulate(req, market, policy, candidate == null ? active : compile(candidate)),
                v -> Map.of("outcome", "simulated", "seed", v.seed(), "days", v.days(), "upliftCaptured",
                        v.upliftCaptured()));
    }

    /** The candidate's files, or null for the active rule set. */
    private static List<RuleFile> candidateFiles(JsonNode rules) {
        if (rules == null || (rules.isTextual() && rules.asText().equals("active"))) {
            return null;
        }
        if (rules.isObject() && rules.path("files").isArray()) {
            List<RuleFile> files = new ArrayList<>();
            for (JsonNode f : rules.get("files")) {
                if (!f.path("path").isTextual() || !f.path("content").isTextual()
                        || !RuleCompiler.isRuleFile(f.get("path").asText())) {
                    throw InvalidInput.of("rules.files", "each file needs a path (.drl or .drl.csv) and content");
                }
                files.add(RuleFile.of(f.get("path").asText(), f.get("content").asText()));
            }
            return files;
        }
        throw InvalidInput.of("rules", "must be \"active\" or {\"files\": [{\"path\", \"content\"}]}");
    }

    private CompiledRules compile(List<RuleFile> candidate) {
        RuleCompiler.Result r = rules.validate(candidate);
        if (!r.ok()) {
            throw io.spendshift.rules.RulesProblems.doNotCompile(r.errors());
        }
        return r.rules();
    }

    private SimulationView simulate(SimulationRequest req, MarketSpec market, PortfolioFacts policy,
                                    CompiledRules compiled) {
        KieBase kieBase = compiled.kieBase();
        String version = compiled.version();
        ClosedLoop.Result r = ClosedLoop.run(market, policy, kieBase, req.days(), exploration(req.policy()));
        List<DayView> daily = new ArrayList<>();
        for (ClosedLoop.Day d : r.daily()) {
            daily.add(new DayView(d.day(), round(d.spend()), round(d.value()), byChannel(r.channels(), d.budgets())));
        }
        return new SimulationView(req.seed(), r.days(), version, r.channels(), round(r.totalSpend()),
                round(r.totalValue()), round(r.staticValue()), round(r.oracleValue()),
                Math.round(r.upliftCaptured() * 10000) / 10000.0, r.changes(), byChannel(r.channels(), r.oracleBudgets()),
                daily, req.regime(), Math.round(r.upliftCapturedLast(20) * 10000) / 10000.0, r.plans(), r.forecasts(),
                r.covered(), r.experiments(), round(r.explorationCost()));
    }

    /** The policy's exploration settings (API.md defaults where absent). */
    static io.spendshift.learning.ExplorationPolicy exploration(PolicyInput in) {
        io.spendshift.learning.ExplorationPolicy d = io.spendshift.learning.ExplorationPolicy.DEFAULTS;
        if (in == null || in.exploration() == null) {
            return d;
        }
        var e = in.exploration();
        return new io.spendshift.learning.ExplorationPolicy(e.enabled() == null ? d.enabled() : e.enabled(),
                e.maxPct() == null ? d.maxPct() : e.maxPct().doubleValue(),
                e.maxCostPct() == null ? d.maxCostPct() : e.maxCostPct().doubleValue());
    }

    static PortfolioFacts policy(PolicyInput in) {
        PortfolioFacts p = new PortfolioFacts();
        PolicyInput pol = in == null ? new PolicyInput(null, null, null, null, null, null, null, null) : in;
        PortfolioValidator.checkPolicy(pol); // the same rules as a portfolio's policy
        p.setLookbackDays(Objects.requireNonNullElse(pol.lookbackDays(), io.spendshift.policy.PolicyDefaults.LOOKBACK_DAYS));
        p.setMaxShiftPct(Objects.requireNonNullElse(pol.maxShiftPct(), io.spendshift.policy.PolicyDefaults.MAX_SHIFT_PCT).doubleValue());
        p.setMinConversions(Objects.requireNonNullElse(pol.minConversions(), io.spendshift.policy.PolicyDefaults.MIN_CONVERSIONS));
        p.setCooldownDays(Objects.requireNonNullElse(pol.cooldownDays(), io.spendshift.policy.PolicyDefaults.COOLDOWN_DAYS));
        p.setTargetRoas(pol.targetRoas() == null ? null : pol.targetRoas().doubleValue());
        p.setContributionMargin(pol.contributionMargin() == null ? null : pol.contributionMargin().doubleValue());
        p.setMinLtvToCac(Objects.requireNonNullElse(pol.minLtvToCac(), io.spendshift.policy.PolicyDefaults.MIN_LTV_TO_CAC).doubleValue());
        return p;
    }

    static String problem(ChannelModel c) {
        if (c == null || c.key() == null || !io.spendshift.common.Keys.isSlug(c.key())) {
            return "key must be a slug";
        }
        if (c.kind() == null || io.spendshift.portfolio.Channel.Kind.parse(c.kind()).isEmpty()) {
            return "kind must be one of search, social, display, video, commerce, affiliate, email, other";
        }
        boolean ok = c.reach() > 0 && c.alpha() > 0 && c.alpha() <= 5 && c.kappa() > 0 && c.theta() >= 0
                && c.theta() < 1 && c.aov() >= 0 && c.ltv() >= 0 && c.noise() >= 0 && c.noise() <= 2 && c.cpc() > 0
                && c.ctr() > 0 && c.ctr() <= 1 && c.ordersPerCustomer() >= 1 && c.minBudget() >= 0
                && c.maxBudget() >= c.initialBudget() && c.initialBudget() >= c.minBudget();
        double[] all = {c.reach(), c.alpha(), c.kappa(), c.theta(), c.aov(), c.ltv(), c.noise(), c.cpc(), c.ctr(),
                c.ordersPerCustomer(), c.minBudget(), c.maxBudget(), c.initialBudget()};
        for (double v : all) {
            ok &= Double.isFinite(v) && Math.abs(v) <= 1e12;
        }
        return ok ? null : "market parameters out of range: reach, kappa, cpc, ctr > 0; 0 < alpha <= 5; 0 <= theta < 1;"
                + " 0 <= noise <= 2; ctr <= 1; ordersPerCustomer >= 1; minBudget <= initialBudget <= maxBudget";
    }

    private static Map<String, Double> byChannel(List<String> channels, double[] values) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < channels.size(); i++) {
            m.put(channels.get(i), round(values[i]));
        }
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
