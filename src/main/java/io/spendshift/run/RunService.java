package io.spendshift.run;

import io.spendshift.common.Conflict;
import io.spendshift.common.DomainException;
import io.spendshift.common.InvalidInput;
import io.spendshift.common.NotFound;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.spendshift.audit.AuditAction;
import io.spendshift.audit.AuditService;
import io.spendshift.common.Page;
import io.spendshift.common.ProblemException;
import io.spendshift.facts.FactsService;
import io.spendshift.policy.Plan;
import io.spendshift.policy.PortfolioFacts;
import io.spendshift.portfolio.Portfolio;
import io.spendshift.recommendation.RecommendationService;
import io.spendshift.rules.RuleSetService;
import io.spendshift.rules.engine.Evaluation;
import io.spendshift.learning.Experiment;
import io.spendshift.learning.ExplorationPolicy;
import io.spendshift.portfolio.PortfolioDataStore;
import io.spendshift.portfolio.PortfolioService;
import io.spendshift.recommendation.ForecastViews;
import io.spendshift.planning.Planner;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs reallocation cycles: lock the portfolio (across instances), build the facts for {@code asOf}, run the
 * active rules, resolve a feasible plan, record the run and (unless a dry run, or nothing moves) a
 * recommendation; in AUTO_APPLY mode apply it at once when it moves no more than {@code autoApplyMaxShiftPct}
 * of the total budget. Every step is audited with the rule-set version.
 */
@ApplicationScoped
public class RunService {

    private static final Logger LOG = Logger.getLogger(RunService.class);

    private final RunLock lock;
    private final Instances instances;
    private final FactsService facts;
    private final RuleSetService rules;
    private final RecommendationService recommendations;
    private final AuditService audit;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Decider decider;
    private final PortfolioDataStore data;

    RunService(RunLock lock, Instances instances, FactsService facts, RuleSetService rules, RecommendationService recommendations,
               AuditService audit, ObjectMapper json, Clock clock, MeterRegistry meters, Decider decider,
               PortfolioDataStore data) {
        this.decider = decider;
        this.data = data;
        this.lock = lock;
        this.instances = instances;
        this.facts = facts;
        this.rules = rules;
        this.recommendations = recommendations;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.meters = meters;
    }

    /** Stage timings of the last run, for logs and the benchmark (milliseconds). */
    public record Timings(double facts, double rules, double plan, double persist) {
    }

    private volatile Timings lastTimings;

    public Timings lastTimings() {
        return lastTimings;
    }

    public RunViews.RunView run(String key, LocalDate asOfOrNull, boolean dryRun, Run.Trigger trigger, String actor) {
        return run(key, asOfOrNull, dryRun, trigger, actor, null);
    }

    /**
     * Runs one cycle; {@code slot} is the cron fire time of a scheduled run. While it runs, this instance holds
     * the portfolio's lock; if the database goes away before the end is written, the heartbeat writes the
     * FAILED later ({@link Instances}), and if this instance dies, a surviving one does.
     */
    public RunViews.RunView run(String key, LocalDate asOfOrNull, boolean dryRun, Run.Trigger trigger, String actor,
                                  java.time.Instant slot) {
        record Start(long portfolioId, LocalDate asOf) {
        }
        Start start = QuarkusTransaction.requiringNew().call(() -> {
            Portfolio p = Portfolio.require(key);
            LocalDate today = p.today(clock);
            LocalDate asOf = asOfOrNull == null ? today : asOfOrNull;
            if (asOf.isAfter(today.plusDays(1))) {
                throw InvalidInput.of("asOf", "must not be later than tomorrow (" + today.plusDays(1) + ")");
            }
            return new Start(p.id, asOf);
        });
        instances.enter(start.portfolioId());
        String unrecorded = null;
        boolean held = false;
        try {
            held = lock.acquire(start.portfolioId());
            if (!held) {
                meters.counter("spendshift.runs.refused", "reason", "locked").increment();
                throw new Conflict("A run of portfolio '" + key + "' is already in progress");
            }
            return locked(start.portfolioId(), key, start.asOf(), dryRun, trigger, actor, slot);
        } catch (RunNotRecorded e) {
            unrecorded = e.getMessage();
            throw new ProblemException(503, "Service unavailable", "The run of portfolio '" + key
                    + "' failed and its end could not be recorded (" + e.getMessage()
                    + "); it will be closed as FAILED when the database is reachable again", null, null);
        } finally {
            if (held) {
                try {
                    lock.release(start.portfolioId());
                } catch (RuntimeException e) {
                    unrecorded = unrecorded != null ? unrecorded : "run lock not released: " + e.getMessage();
                    LOG.warnf("Run lock of portfolio %s not released: %s", key, e.getMessage());
                }
            }
            instances.leave(start.portfolioId(), unrecorded);
        }
    }

    /** The driver's own words: the first SQL exception's message in the chain (no SQL text). */
    private static String rootMessage(Throwable e) {
        String last = e.getMessage();
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof java.sql.SQLException && t.getMessage() != null) {
                return t.getMessage();
            }
            last = t.getMessage() != null ? t.getMessage() : last;
        }
        return last;
    }

    /** The cycle's failure could not be written. */
    private static final class RunNotRecorded extends RuntimeException {
        RunNotRecorded(String message) {
            super(message);
        }
    }

    /** The cycle proper, with the portfolio's lock held. */
    private RunViews.RunView locked(long portfolioId, String key, LocalDate asOf, boolean dryRun, Run.Trigger trigger,
                                    String actor, java.time.Instant slot) {
        Timer.Sample sample = Timer.start(meters);
        // read once: the version stamped on the run is the one whose KieBase makes the plan, whatever reloads meanwhile
        RuleSetService.Active active = rules.active();
        String version = active.rules().version();
        long runId = QuarkusTransaction.requiringNew().call(() -> {
            Run r = new Run();
            r.portfolio = Portfolio.findById(portfolioId);
            r.trigger = trigger;
            r.status = Run.Status.RUNNING;
            r.asOf = asOf;
            r.dryRun = dryRun;
            r.ruleSetVersion = version;
            r.startedAt = clock.instant();
            r.startedBy = actor;
            r.instanceId = instances.id();
            r.scheduledFor = slot;
            r.persist();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("asOf", asOf.toString());
            details.put("dryRun", dryRun);
            details.put("trigger", trigger.name());
            details.put("instance", instances.id());
            if (slot != null) {
                details.put("slot", slot.toString());
            }
            audit.append(new AuditService.Event(actor, AuditAction.RUN_STARTED, "run", Long.toString(r.id), key, version,
                    details));
            return r.id;
        });
        try {
            RunViews.RunView view = cycle(runId, key, asOf, dryRun, actor, active);
            sample.stop(meters.timer("spendshift.run.duration", "status", view.status()));
            return view;
        } catch (RuntimeException | Error e) {
            // Errors too (a NoSuchMethodError from the engine, a StackOverflowError): a run never stays RUNNING
            String error = e instanceof DomainException || e instanceof ProblemException ? e.getMessage()
                    : RuleSetService.isRuleFailure(e) ? io.spendshift.rules.engine.RuleEvaluationException.describe(e)
                    : io.spendshift.common.ProblemMappers.databaseUnreachable(e) ? "database unreachable: " + rootMessage(e)
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.errorf(e, "Run %d of portfolio %s failed", runId, key);
            String trimmed = error.length() > 3900 ? error.substring(0, 3900) : error;
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    Run r = Run.findById(runId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
                    if (r.status != Run.Status.RUNNING) {
                        return;
                    }
                    r.status = Run.Status.FAILED;
                    r.error = trimmed;
                    r.finishedAt = clock.instant();
                    audit.append(new AuditService.Event(actor, AuditAction.RUN_FAILED, "run", Long.toString(runId), key,
                            version, Map.of("error", r.error)));
                });
            } catch (RuntimeException unrecordable) {
                throw new RunNotRecorded(trimmed);
            }
            sample.stop(meters.timer("spendshift.run.duration", "status", "FAILED"));
            return get(runId);
        }
    }

    private RunViews.RunView cycle(long runId, String key, LocalDate asOf, boolean dryRun, String actor,
                                   RuleSetService.Active active) {
        long t0 = System.nanoTime();
        record Context(boolean sameData, ExplorationPolicy exploration, List<Experiment> running) {
        }
        Context ctx = QuarkusTransaction.requiringNew().call(() -> {
            Portfolio p = Run.<Run>findById(runId).portfolio;
            if (!dryRun) {
                // nothing changed since the last applied plan: deciding again would only repeat (or undo) it
                Long applied = recommendations.lastAppliedDataVersion(p.id);
                if (applied != null && applied == data.dataVersion(p.id)) {
                    return new Context(true, null, List.of());
                }
            }
            return new Context(false, new ExplorationPolicy(p.explorationEnabled, p.explorationMaxPct.doubleValue(),
                    p.explorationMaxCostPct.doubleValue()), facts.runningExperiments(p.id, asOf));
        });
        if (ctx.sameData()) {
            return sameData(runId, key, asOf, actor);
        }
        FactsService.Facts f = facts.facts(key, asOf);
        long t1 = System.nanoTime();
        // only a real run can store a recommendation; its explanation is snapshotted only when one is stored
        // (PolicyEvaluator keeps references to the firings' facts until the explanation is read)
        Planner.Decision decision = rules.evaluating(key, active.rules().version(), () -> decider.decide(key,
                active.rules().kieBase(), new Planner.Input(f.portfolio(), f.channels(), f.model(), ctx.exploration(),
                        ctx.running(), seed(key, asOf)), !dryRun));
        Evaluation ev = decision.evaluation();
        Plan plan = decision.plan();
        long t2 = System.nanoTime();
        long t3 = t2;
        PortfolioFacts pf = f.portfolio();
        List<RunViews.FiredRule> fired = ev.firedRules().entrySet().stream()
                .map(e -> new RunViews.FiredRule(e.getKey(), e.getValue())).toList();
        record Outcome(Long recommendationId, boolean autoApply) {
        }
        Outcome outcome = QuarkusTransaction.requiringNew().call(() -> {
            Run r = Run.findById(runId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
            if (r.status != Run.Status.RUNNING) {
                // closed meanwhile by a heartbeat that took this instance for dead: its verdict stands
                throw new Conflict("Run " + runId + " was closed while it ran: " + r.error);
            }
            Portfolio p = r.portfolio;
            r.firedRules = write(fired);
            r.finishedAt = clock.instant();
            r.status = plan.isEmpty() ? Run.Status.NO_CHANGE : Run.Status.SUCCEEDED;
            r.forecast = ForecastViews.write(decision.forecast());
            Long recId = null;
            boolean auto = false;
            String withheld = null;
            Map<String, io.spendshift.explain.Narrator.ChannelInfo> known = new LinkedHashMap<>();
            for (io.spendshift.policy.ChannelFacts c : f.channels()) {
                known.put(c.getChannel(), new io.spendshift.explain.Narrator.ChannelInfo(c.getChannel(), null,
                        c.getKind(), c.getMarginalRoas(), c.getMarginalRoasConfidence(), c.getValueSource()));
            }
            if (dryRun) {
                r.plan = write(dryRunPlan(plan, decision.forecast(),
                        RecommendationService.wording(p, known, ev.holdReasons())));
            } else if (!plan.isEmpty()) {
                if (p.mode == Portfolio.Mode.AUTO_APPLY) {
                    LocalDate today = p.today(clock);
                    long appliesToday = recommendations.automaticApplies(p.id,
                            today.atStartOfDay(p.zone()).toInstant(), today.plusDays(1).atStartOfDay(p.zone()).toInstant());
                    withheld = AutoApplyGate.withheld(new AutoApplyGate.Inputs(asOf,
                            io.spendshift.portfolio.PortfolioSettings.freeze(json, p.freeze), plan.moved(), pf.getTotalBudget(),
                            pf.getAutoApplyMaxShiftPct(), decision.gateForecast(), appliesToday, p.maxAppliesPerDay,
                            plan.pacing() != null && plan.shifts().isEmpty()));
                    auto = withheld == null;
                }
                recId = recommendations.create(p, new RecommendationService.Origin(r.id, r.ruleSetVersion, r.asOf,
                        r.startedBy), plan, ev.explanation(), pf.getTotalBudget(), decision.forecast(),
                        decision.experiments(), withheld, known, ev.holdReasons());
                r.recommendationId = recId;
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("status", r.status.name());
            d.put("asOf", asOf.toString());
            d.put("dryRun", dryRun);
            d.put("recommendationId", recId);
            d.put("moved", plan.moved());
            d.put("holds", ev.holds().size());
            if (recId != null && p.mode == Portfolio.Mode.AUTO_APPLY) {
                d.put("autoApplyWithheld", withheld);
            }
            audit.append(new AuditService.Event(actor, AuditAction.RUN_FINISHED, "run", Long.toString(runId), key,
                    r.ruleSetVersion, d));
            AllChannelsHeld.audit(audit, actor, key, r.ruleSetVersion, runId, dryRun, f.channels(), ev.holds());
            return new Outcome(recId, auto);
        });
        long t4 = System.nanoTime();
        lastTimings = new Timings((t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6);
        if (outcome.autoApply()) {
            recommendations.applyAutomatically(outcome.recommendationId(), actor);
        }
        LOG.infof("Run %d of %s for %s: %d shifts, %s moved (facts %.0f ms, rules %.0f ms, plan %.0f ms, record %.0f ms)",
                runId, key, asOf, plan.shifts().size(), plan.moved(), lastTimings.facts(), lastTimings.rules(),
                lastTimings.plan(), lastTimings.persist());
        return get(runId);
    }

    /** A dry run's plan as shown: the plan, its shifts with their sentences, and the summary. */
    private static Map<String, Object> dryRunPlan(Plan plan, io.spendshift.learning.Forecast forecast,
                                                  io.spendshift.explain.Narrator.Context words) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("allocations", plan.allocations());
        m.put("shifts", io.spendshift.explain.Narrator.shifts(plan.shifts(), words));
        m.put("adjustments", plan.adjustments());
        m.put("flags", plan.flags());
        if (plan.pacing() != null) {
            m.put("pacing", plan.pacing());
        }
        m.put("summary", io.spendshift.explain.Narrator.summary(plan, forecast, words));
        return m;
    }

    /** Ends a run whose portfolio's data is what the last applied plan was made on: NO_CHANGE, "same data". */
    private RunViews.RunView sameData(long runId, String key, LocalDate asOf, String actor) {
        QuarkusTransaction.requiringNew().run(() -> {
            Run r = Run.findById(runId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
            if (r.status != Run.Status.RUNNING) {
                throw new Conflict("Run " + runId + " was closed while it ran: " + r.error);
            }
            r.status = Run.Status.NO_CHANGE;
            r.reason = SAME_DATA;
            r.firedRules = "[]";
            r.finishedAt = clock.instant();
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("status", r.status.name());
            d.put("asOf", asOf.toString());
            d.put("dryRun", false);
            d.put("recommendationId", null);
            d.put("reason", SAME_DATA);
            audit.append(new AuditService.Event(actor, AuditAction.RUN_FINISHED, "run", Long.toString(runId), key,
                    r.ruleSetVersion, d));
        });
        LOG.infof("Run %d of %s for %s: same data as the last applied plan, nothing new", runId, key, asOf);
        return get(runId);
    }

    /** The reason of a run that found the data of the last applied plan unchanged. */
    public static final String SAME_DATA = "same data";

    /** The planner's seed of a cycle: stable for a portfolio and a day, so a replay decides the same. */
    static long seed(String key, LocalDate asOf) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((key + "|" + asOf).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.nio.ByteBuffer.wrap(h).getLong();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public RunViews.RunView get(long id) {
        return QuarkusTransaction.requiringNew().call(() -> view(Run.<Run>findByIdOptional(id)
                .orElseThrow(() -> new NotFound("Run", Long.toString(id)))));
    }

    /** The key of the portfolio a run belongs to (to check the caller's access before anything else). */
    public String portfolioOf(long id) {
        return QuarkusTransaction.requiringNew().call(() -> Run.<Run>findByIdOptional(id).map(r -> r.portfolio.key)
                .orElseThrow(() -> new NotFound("Run", Long.toString(id))));
    }

    public Page<RunViews.RunView> list(String key, int page, int size) {
        Page.check(page, size);
        return QuarkusTransaction.requiringNew().call(() -> {
            Portfolio p = Portfolio.require(key);
            var q = Run.<Run>find("portfolio = ?1 order by id desc", p);
            return new Page<>(q.page(page, size).list().stream().map(this::view).toList(), page, size, q.count());
        });
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private RunViews.RunView view(Run r) {
        List<RunViews.FiredRule> fired = List.of();
        try {
            if (r.firedRules != null) {
                fired = json.readValue(r.firedRules, new TypeReference<>() { });
            }
            return new RunViews.RunView(r.id, r.portfolio.key, r.trigger.name(), r.status.name(), r.asOf, r.dryRun,
                    r.ruleSetVersion, r.startedAt, r.finishedAt, r.startedBy, r.recommendationId, fired, r.error,
                    r.plan == null ? null : json.readTree(r.plan), r.instanceId, r.scheduledFor,
                    ForecastViews.view(r.forecast), r.reason);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
