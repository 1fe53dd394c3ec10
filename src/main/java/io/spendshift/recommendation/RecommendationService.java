package io.spendshift.recommendation;

import io.spendshift.common.Conflict;
import io.spendshift.common.FieldError;
import io.spendshift.common.IfMatch;
import io.spendshift.common.InvalidInput;
import io.spendshift.common.NotFound;
import io.spendshift.connector.ConnectorService;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.spendshift.audit.AuditAction;
import io.spendshift.audit.AuditService;
import io.spendshift.common.Money;
import io.spendshift.common.Page;
import io.spendshift.learning.Experiment;
import io.spendshift.learning.Forecast;
import io.spendshift.learning.Forecaster;
import io.spendshift.policy.Plan;
import io.spendshift.recommendation.sink.BudgetSink;
import io.spendshift.recommendation.sink.BudgetSinks;
import io.spendshift.portfolio.Channel;
import io.spendshift.portfolio.Portfolio;
import io.spendshift.security.Actors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recommendations and their workflow: created by runs, superseded by newer ones, expired after
 * {@code spendshift.recommendations.expire-after}, approved, rejected and applied by people (or applied by the
 * scheduler within the auto-apply guardrail). Applying delivers to the webhook sink first, then changes the
 * budgets, writes the ledger and the audit entries in one transaction: never half-applied.
 */
@ApplicationScoped
public class RecommendationService {

    private static final Logger LOG = Logger.getLogger(RecommendationService.class);

    private final AuditService audit;
    private final ObjectMapper json;
    private final Clock clock;
    private final EntityManager em;
    private final BudgetSinks sinks;
    private final RecommendationStore store;
    private final io.spendshift.portfolio.PortfolioDataStore data;
    private final Duration expireAfter;
    private final io.spendshift.facts.FactsService facts;
    private final ConnectorService connectors;
    private final io.spendshift.rules.RuleSetService rules;

    RecommendationService(AuditService audit, ObjectMapper json, Clock clock, EntityManager em,
                          BudgetSinks sinks, RecommendationStore store,
                          io.spendshift.portfolio.PortfolioDataStore data,
                          io.spendshift.SpendshiftConfig config, io.spendshift.facts.FactsService facts,
                          io.spendshift.rules.RuleSetService rules, ConnectorService connectors) {
        this.facts = facts;
        this.rules = rules;
        this.connectors = connectors;
        this.store = store;
        this.data = data;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
        this.em = em;
        this.sinks = sinks;
        this.expireAfter = config.recommendations().expireAfter();
    }

    /** The run a plan comes from: its id, the rule set that made the plan, its day and who started it. */
    public record Origin(long runId, String ruleSetVersion, LocalDate asOf, String startedBy) {
    }

    /**
     * Records a plan as a PROPOSED recommendation and supersedes the portfolio's open ones. In the caller's
     * transaction (the run's), so a run and its recommendation commit together.
     */
    public long create(Portfolio p, Origin run, Plan plan, List<?> explanation, BigDecimal total) {
        return create(p, run, plan, explanation, total, null, List.of(), null);
    }

    /**
     * As {@link #create(Portfolio, Origin, Plan, List, BigDecimal)}, with the plan's forecast, the experiments it
     * starts (recorded PLANNED) and, in AUTO_APPLY mode, why it is not applied automatically (null: it will be).
     */
    public long create(Portfolio p, Origin run, Plan plan, List<?> explanation, BigDecimal total, Forecast forecast,
                       List<Experiment> experiments, String autoApplyWithheld) {
        return create(p, run, plan, explanation, total, forecast, experiments, autoApplyWithheld, Map.of(), Map.of());
    }

    /**
     * The words of a plan for people: the portfolio's currency, its channels' names and kinds, and what the
     * cycle knew of each ({@code marginal}: marginal value and confidence by channel key, from the facts).
     */
    public static io.spendshift.explain.Narrator.Context wording(Portfolio p,
                                                                 Map<String, io.spendshift.explain.Narrator.ChannelInfo> marginal,
                                                                 Map<String, String> holds) {
        Map<String, io.spendshift.explain.Narrator.ChannelInfo> channels = new LinkedHashMap<>();
        for (Channel c : Channel.ofPortfolio(p)) {
            io.spendshift.explain.Narrator.ChannelInfo m = marginal.get(c.key);
            channels.put(c.key, new io.spendshift.explain.Narrator.ChannelInfo(c.key, c.name, c.kind.json(),
                    m == null ? null : m.marginal(), m == null ? null : m.confidence(),
                    m == null ? null : m.valueSource()));
        }
        return new io.spendshift.explain.Narrator.Context(new io.spendshift.explain.Wording(p.currency), channels,
                holds);
    }

    /**
     * As {@link #create(Portfolio, Origin, Plan, List, BigDecimal, Forecast, List, String)}, with what the cycle
     * knew of the channels ({@code marginal}) and the held channels' reasons, for the plan's sentences and summary.
     */
    public long create(Portfolio p, Origin run, Plan plan, List<?> explanation, BigDecimal total, Forecast forecast,
                       List<Experiment> experiments, String autoApplyWithheld,
                       Map<String, io.spendshift.explain.Narrator.ChannelInfo> marginal, Map<String, String> holds) {
        io.spendshift.explain.Narrator.Context words = wording(p, marginal, holds);
        // superseded by the run's own caller: a manual run is someone's action, a scheduled one the scheduler's
        supersedeOpen(p, run.startedBy(), Map.of("by run", run.runId()));
        Recommendation r = new Recommendation();
        r.portfolio = p;
        r.runId = run.runId();
        r.status = Recommendation.Status.PROPOSED;
        r.ruleSetVersion = run.ruleSetVersion();
        r.asOf = run.asOf();
        r.createdAt = clock.instant();
        r.moved = plan.moved();
        r.totalBudget = total;
        r.allocations = write(plan.allocations());
        r.shifts = write(io.spendshift.explain.Narrator.shifts(plan.shifts(), words));
        r.explanation = write(explanation.stream().allMatch(e -> e instanceof io.spendshift.rules.engine.Evaluation.Firing)
                ? io.spendshift.explain.Narrator.explanation(explanation.stream()
                        .map(e -> (io.spendshift.rules.engine.Evaluation.Firing) e).toList(), plan, words)
                : explanation);
        r.summary = io.spendshift.explain.Narrator.summary(plan, forecast, words);
        r.pacing = plan.pacing() == null ? null : write(plan.pacing());
        r.adjustments = plan.adjustments().isEmpty() ? null : write(plan.adjustments());
        r.flags = plan.flags().isEmpty() ? null : write(plan.flags());
        r.kind = Recommendation.Kind.PLAN;
        r.forecast = ForecastViews.write(forecast);
        r.autoApplyWithheld = autoApplyWithheld;
        r.persist();
        recordExperiments(r, experiments);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("runId", run.runId());
        details.put("kind", r.kind.name());
        details.put("moved", r.moved);
        details.put("shifts", plan.shifts());
        if (plan.pacing() != null) {
            Map<String, Object> pacing = new LinkedHashMap<>();
            pacing.put("periodFrom", plan.pacing().period().from().toString());
            pacing.put("periodTo", plan.pacing().period().to().toString());
            pacing.put("budget", plan.pacing().budget());
            pacing.put("spentToDate", plan.pacing().spentToDate());
            pacing.put("dailyTarget", plan.pacing().dailyTarget());
            pacing.put("totalBefore", plan.pacing().totalBefore());
            pacing.put("totalAfter", plan.pacing().totalAfter());
            details.put("pacing", pacing);
        }
        if (!plan.adjustments().isEmpty()) {
            details.put("adjustments", plan.adjustments());
        }
        if (!plan.flags().isEmpty()) {
            details.put("flags", plan.flags());
        }
        if (!experiments.isEmpty()) {
            details.put("experiments", experiments.size());
        }
        audit.append(event(run.startedBy(), AuditAction.RECOMMENDATION_CREATED, r, details));
        return r.id;
    }

    /** Supersedes the portfolio's open recommendations (a newer one is being made), ending their planned experiments. */
    private void supersedeOpen(Portfolio p, String actor, Map<String, ?> details) {
        for (Recommendation open : Recommendation.<Recommendation>list("portfolio = ?1 and status in ?2", p,
                List.copyOf(Recommendation.Move.SUPERSEDE.from()))) {
            open.move(Recommendation.Move.SUPERSEDE);
            endPlannedExperiments(open);
            audit.append(event(actor, AuditAction.RECOMMENDATION_SUPERSEDED, open, details));
        }
    }

    /** The experiments a plan starts: in the recommendation (its view) and as PLANNED rows of {@code experiment}. */
    private void recordExperiments(Recommendation r, List<Experiment> experiments) {
        if (experiments == null || experiments.isEmpty()) {
            return;
        }
        Map<String, Long> ids = new HashMap<>();
        for (Channel c : Channel.ofPortfolio(r.portfolio)) {
            ids.put(c.key, c.id);
        }
        List<Map<String, Object>> shown = new ArrayList<>();
        for (Experiment e : experiments) {
            Long channelId = ids.get(e.channel());
            if (channelId == null) {
                continue;
            }
            BigDecimal pct = Double.isFinite(e.deltaPct()) ? BigDecimal.valueOf(e.deltaPct()) : BigDecimal.ZERO;
            ExperimentRecord x = new ExperimentRecord();
            x.portfolioId = r.portfolio.id;
            x.channelId = channelId;
            x.recommendationId = r.id;
            x.amount = e.amount();
            x.deltaPct = pct.setScale(4, java.math.RoundingMode.HALF_EVEN);
            x.reason = e.reason() == null ? "" : e.reason().length() > 1000 ? e.reason().substring(0, 1000) : e.reason();
            x.startsOn = e.from() == null ? r.asOf : e.from();
            x.until = e.until();
            x.status = ExperimentRecord.Status.PLANNED;
            x.persist();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("channel", e.channel());
            m.put("deltaPct", pct.setScale(2, java.math.RoundingMode.HALF_EVEN));
            m.put("reason", x.reason);
            m.put("until", e.until() == null ? null : e.until().toString());
            shown.add(m);
        }
        r.experiments = shown.isEmpty() ? null : write(shown);
    }

    /** A recommendation that will never be applied: its planned experiments will not run. */
    private static void endPlannedExperiments(Recommendation r) {
        ExperimentRecord.update("status = ?1 where recommendationId = ?2 and status = ?3", ExperimentRecord.Status.ENDED,
                r.id, ExperimentRecord.Status.PLANNED);
    }

    public RecommendationViews.RecommendationView approve(long id, IfMatch ifMatch, String actor, String comment) {
        return decide(id, ifMatch, actor, comment, Recommendation.Move.APPROVE, AuditAction.RECOMMENDATION_APPROVED);
    }

    public RecommendationViews.RecommendationView reject(long id, IfMatch ifMatch, String actor, String comment) {
        return decide(id, ifMatch, actor, comment, Recommendation.Move.REJECT, AuditAction.RECOMMENDATION_REJECTED);
    }

    private RecommendationViews.RecommendationView decide(long id, IfMatch ifMatch, String actor, String comment,
                                                 Recommendation.Move move, AuditAction action) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Recommendation r = require(id, ifMatch);
            r.move(move);
            decide(r, actor, comment);
            if (move == Recommendation.Move.REJECT) {
                endPlannedExperiments(r);
            }
            audit.append(event(actor, action, r, comment(comment)));
            em.flush(); // the version moves now, so a concurrent decision fails here, not after the answer
            return view(r);
        });
    }

    /** One budget an approver asks for in an edit ({@code PATCH /recommendations/{id}}). */
    public record EditLine(String channel, BigDecimal proposedBudget) {
    }

    /**
     * An approver changes a PROPOSED plan before approving it ({@link ProposalEdit}): the named channels get the
     * budgets asked, the shifts are recomputed under the rule "Edited by &lt;actor&gt;", the forecast is made again on
     * the learning model, the plan's planned experiments end (its designed moves are replaced), and the change is
     * audited {@code RECOMMENDATION_EDITED} with the budgets before and after. 409 unless PROPOSED, 412 on a
     * version mismatch, 400 naming the channel when the result would break a plan's invariants.
     */
    public RecommendationViews.RecommendationView edit(long id, IfMatch ifMatch, String actor, List<EditLine> asked,
                                                       String comment) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Recommendation r = require(id, ifMatch);
            if (r.status != Recommendation.Status.PROPOSED) {
                throw new Conflict("Recommendation " + id + " is " + r.status + "; only a PROPOSED recommendation"
                        + " can be edited");
            }
            Portfolio p = r.portfolio;
            Map<String, Channel> channels = new HashMap<>();
            Channel.ofPortfolio(p).forEach(c -> channels.put(c.key, c));
            Map<String, String> holds = holds(p.key, r.asOf);
            List<Plan.Allocation> before = read(r.allocations, new TypeReference<List<Plan.Allocation>>() { });
            List<ProposalEdit.Line> lines = new ArrayList<>();
            for (Plan.Allocation a : before) {
                Channel c = channels.get(a.channel());
                lines.add(new ProposalEdit.Line(a.channel(), a.currentBudget(), a.proposedBudget(),
                        c == null ? a.currentBudget() : c.minDailyBudget, c == null ? a.currentBudget() : c.maxDailyBudget,
                        c == null || c.locked, holds.get(a.channel())));
            }
            List<ProposalEdit.Asked> wanted = new ArrayList<>();
            for (int i = 0; asked != null && i < asked.size(); i++) {
                EditLine l = asked.get(i);
                wanted.add(new ProposalEdit.Asked(i, l == null ? null : l.channel(), l == null ? null : l.proposedBudget()));
            }
            Plan.PacingChange pacing = r.pacing == null ? null : read(r.pacing, new TypeReference<Plan.PacingChange>() { });
            Plan plan = ProposalEdit.plan(actor, lines, wanted, pacing);
            io.spendshift.explain.Narrator.Context words = wording(p, Map.of(), holds);
            // every query before the first change of the recommendation: a query flushes it, moving its version
            Forecast predicted = forecast(p.key, r.asOf, plan, id);
            String forecast = ForecastViews.write(predicted);
            if (r.experiments != null) {
                endPlannedExperiments(r);
                r.experiments = null;
            }
            BigDecimal movedBefore = r.moved;
            r.allocations = write(plan.allocations());
            r.shifts = write(io.spendshift.explain.Narrator.shifts(plan.shifts(), words));
            r.moved = plan.moved();
            r.summary = io.spendshift.explain.Narrator.summary(plan, predicted, words);
            r.adjustments = null; // the resolver's clamps were about the rules' proposals, which no longer apply
            List<Object> explanation = new ArrayList<>(read(r.explanation, new TypeReference<List<Object>>() { }));
            Map<String, Object> fact = new LinkedHashMap<>();
            fact.put("type", "Edit");
            fact.put("editedBy", actor);
            fact.put("comment", comment);
            Map<String, BigDecimal> changed = new LinkedHashMap<>();
            for (int i = 0; i < before.size(); i++) {
                Plan.Allocation a = plan.allocations().get(i);
                if (a.proposedBudget().compareTo(before.get(i).proposedBudget()) != 0) {
                    changed.put(a.channel(), a.proposedBudget());
                }
            }
            fact.put("proposedBudgets", changed);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("rule", ProposalEdit.rule(actor));
            entry.put("title", "Edited before approval");
            entry.put("text", editText(actor, comment, plan.allocations(), before, words));
            entry.put("internal", false);
            entry.put("facts", List.of(fact));
            explanation.add(entry);
            r.explanation = write(explanation);
            r.forecast = forecast;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("before", budgets(before));
            details.put("after", budgets(plan.allocations()));
            details.put("movedBefore", movedBefore);
            details.put("moved", r.moved);
            details.put("comment", comment);
            audit.append(event(actor, AuditAction.RECOMMENDATION_EDITED, r, details));
            em.flush();
            return view(r);
        });
    }

    /**
     * "approver changed the proposed budgets before approval: Good €1,100.50/day (was €1,200), Poor €899.50/day
     * (was €800) (go slower)."
     */
    private static String editText(String actor, String comment, List<Plan.Allocation> after,
                                   List<Plan.Allocation> before, io.spendshift.explain.Narrator.Context words) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < after.size(); i++) {
            Plan.Allocation a = after.get(i);
            BigDecimal was = before.get(i).proposedBudget();
            if (a.proposedBudget().compareTo(was) != 0) {
                parts.add(words.name(a.channel()) + " " + words.money().money(a.proposedBudget()) + "/day (was "
                        + words.money().money(was) + ")");
            }
        }
        return actor + " changed the proposed budgets before approval: " + String.join(", ", parts)
                + (comment == null || comment.isBlank() ? "" : " (" + comment + ")") + ".";
    }

    /** channel → proposed budget, for the audit of an edit. */
    private static Map<String, BigDecimal> budgets(List<Plan.Allocation> allocations) {
        Map<String, BigDecimal> m = new LinkedHashMap<>();
        allocations.forEach(a -> m.put(a.channel(), a.proposedBudget()));
        return m;
    }

    /** The channels the active rules hold on {@code day}, with their reasons (as the performance page shows them). */
    private Map<String, String> holds(String key, LocalDate day) {
        io.spendshift.facts.FactsService.Facts f = facts.facts(key, day);
        io.spendshift.rules.RuleSetService.Active active = rules.active();
        return rules.evaluating(key, active.rules().version(), () -> io.spendshift.rules.engine.PolicyEvaluator
                .evaluate(active.rules().kieBase(), f.portfolio(), f.channels(), false)).holdReasons();
    }

    /**
     * Applies an APPROVED (or FAILED, to retry) recommendation for an approver. The webhook (if any) is called
     * first; only when it succeeded do budgets change.
     */
    public RecommendationViews.RecommendationView apply(long id, IfMatch ifMatch, String actor) {
        return apply(id, ifMatch, actor, false, null);
    }

    /**
     * Applies a PROPOSED recommendation as the system, within the auto-apply guardrail, right after the run
     * that {@code runStartedBy} started (the scheduler or a person). The same checks as an approver's apply: a plan
     * that no longer fits its channels is left PROPOSED, for a person, with why in {@code autoApplyWithheld}.
     */
    public RecommendationViews.RecommendationView applyAutomatically(long id, String runStartedBy) {
        return applyAutomatically(id, runStartedBy, "applied automatically within the auto-apply guardrail");
    }

    /** Applies a PROPOSED recommendation as the system, with {@code comment} as the decision's comment. */
    public RecommendationViews.RecommendationView applyAutomatically(long id, String startedBy, String comment) {
        try {
            return apply(id, null, Actors.SYSTEM, true, startedBy, comment);
        } catch (PlanOutdated e) {
            // nothing was sent or changed; the plan waits for a person, who sees why (and gets the same 409 on apply)
            LOG.warnf("Recommendation %d was not applied automatically: %s", id, e.getMessage());
            return QuarkusTransaction.requiringNew().call(() -> {
                Recommendation r = Recommendation.<Recommendation>findByIdOptional(id)
                        .orElseThrow(() -> new NotFound("Recommendation", Long.toString(id)));
                String why = "not applied automatically: " + e.getMessage();
                r.autoApplyWithheld = why.length() > 1000 ? why.substring(0, 999) + "…" : why;
                em.flush();
                return view(r);
            });
        }
    }

    /**
     * A plan that no longer fits the portfolio's channels as they are now (a budget changed since the plan was made,
     * a channel locked since, bounds narrowed since): 409 naming the channels, found before anything is written.
     */
    static final class PlanOutdated extends Conflict {

        PlanOutdated(String detail, List<FieldError> errors) {
            super(detail, errors);
        }
    }

    private RecommendationViews.RecommendationView apply(long id, IfMatch ifMatch, String actor, boolean auto,
                                                         String runStartedBy) {
        return apply(id, ifMatch, actor, auto, runStartedBy, "applied automatically within the auto-apply guardrail");
    }

    private RecommendationViews.RecommendationView apply(long id, IfMatch ifMatch, String actor, boolean auto,
                                                         String runStartedBy, String autoComment) {
        Recommendation.Move move = auto ? Recommendation.Move.AUTO_APPLY : Recommendation.Move.APPLY;
        record Prepared(long version, BudgetSink.ChangeSet changes, BudgetSink.Destination to,
                        List<ConnectorService.ChangedTarget> changedBefore) {
        }
        Prepared prep = QuarkusTransaction.requiringNew().call(() -> {
            Recommendation r = require(id, ifMatch);
            r.check(move);
            BudgetSink.ChangeSet cs = changeSet(r, actor);
            // before anything is sent anywhere: a plan made on budgets that changed since is not applied at all
            Map<String, BigDecimal> now = new HashMap<>();
            Map<String, Guardrails.Now> guardrails = new HashMap<>();
            for (Channel c : Channel.ofPortfolio(r.portfolio)) {
                now.put(c.key, c.dailyBudget);
                guardrails.put(c.key, new Guardrails.Now(c.locked, c.minDailyBudget, c.maxDailyBudget));
            }
            for (BudgetSink.Change ch : cs.changes()) {
                BigDecimal b = now.get(ch.channel());
                if (b == null || b.compareTo(ch.before()) != 0) {
                    throw new PlanOutdated("Channel " + ch.channel() + " changed since the plan was made"
                            + " (budget now " + (b == null ? "gone" : Money.cents(b)) + ", plan expected "
                            + ch.before() + "); run the cycle again", List.of());
                }
            }
            // nor is one that would move a channel locked since, or past bounds narrowed since: every channel of the plan
            List<FieldError> breaches = Guardrails.check(read(r.allocations,
                    new TypeReference<List<Plan.Allocation>>() { }), guardrails);
            if (!breaches.isEmpty()) {
                throw new PlanOutdated("The plan no longer fits " + (breaches.size() == 1 ? "a channel" : breaches.size()
                        + " channels") + " as it is now, so nothing was applied: " + breaches.stream()
                        .map(FieldError::message).collect(java.util.stream.Collectors.joining("; "))
                        + ". Run the cycle again for a plan within today's guardrails", breaches);
            }
            return new Prepared(r.version, cs,
                    new BudgetSink.Destination(r.portfolio.webhookUrl, r.portfolio.webhookSecret),
                    changedTargets(r.changedTargets));
        });
        String failure = null;
        // the ad platforms first: a platform that refuses or fails part-way stops the apply before the other sinks
        Map<String, BigDecimal> after = new LinkedHashMap<>();
        for (BudgetSink.Change c : prep.changes().changes()) {
            after.put(c.channel(), c.after());
        }
        ConnectorService.ApplyOutcome platforms = connectors.apply(prep.changes().portfolio(), after,
                prep.changedBefore());
        if (platforms.error() != null) {
            failure = "an ad platform failed: " + platforms.error();
        }
        if (failure == null) {
            try {
                sinks.deliver(prep.changes(), prep.to());
            } catch (BudgetSink.SinkException e) {
                failure = e.getMessage();
            }
        }
        String sinkFailure = failure;
        return QuarkusTransaction.requiringNew().call(() -> {
            Recommendation r = em.find(Recommendation.class, id, LockModeType.OPTIMISTIC);
            if (r.version != prep.version()) {
                throw new Conflict("Recommendation " + id + " changed while it was being applied");
            }
            r.changedTargets = platforms.changedTargets().isEmpty() ? null : write(platforms.changedTargets());
            if (sinkFailure != null) {
                r.move(Recommendation.Move.FAIL);
                r.failureReason = sinkFailure;
                if (auto) {
                    decide(r, actor, null);
                }
                Map<String, Object> failed = new LinkedHashMap<>();
                failed.put("reason", sinkFailure);
                if (!platforms.changedTargets().isEmpty()) {
                    failed.put("changedTargets", platforms.changedTargets());
                }
                audit.append(event(actor, AuditAction.APPLY_FAILED, r, failed));
                em.flush();
                return view(r);
            }
            applyBudgets(r, prep.changes(), actor);
            if (auto) {
                decide(r, actor, autoComment);
            }
            r.move(move);
            r.appliedAt = clock.instant();
            r.appliedOn = r.asOf;
            // after the apply's own bump: a run on this very data proposes nothing new ("same data")
            r.appliedDataVersion = data.dataVersion(r.portfolio.id);
            r.failureReason = null;
            closeUndoneExperiments(r);
            ExperimentRecord.update("status = ?1, startsOn = ?2 where recommendationId = ?3 and status = ?4",
                    ExperimentRecord.Status.ACTIVE, r.asOf, r.id, ExperimentRecord.Status.PLANNED);
            if (r.kind == Recommendation.Kind.REVERT && r.revertOf != null) {
                // the undone plan's experiments stop where the revert takes effect
                ExperimentRecord.update("until = ?1 where recommendationId = ?2 and status = ?3 and until > ?1", r.asOf,
                        r.revertOf, ExperimentRecord.Status.ACTIVE);
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("moved", r.moved);
            details.put("changes", prep.changes().changes().size());
            if (!platforms.changedTargets().isEmpty()) {
                details.put("changedTargets", platforms.changedTargets());
            }
            details.put("kind", r.kind.name());
            if (r.revertOf != null) {
                details.put("revertOf", r.revertOf);
            }
            if (auto) {
                // the system applied it, within the guardrail, after a run someone (or the scheduler) started
                details.put("runStartedBy", runStartedBy);
            }
            audit.append(event(actor, AuditAction.RECOMMENDATION_APPLIED, r, details));
            em.flush();
            return view(r);
        });
    }

    private void applyBudgets(Recommendation r, BudgetSink.ChangeSet cs, String actor) {
        data.dataChanged(r.portfolio.id);
        Map<String, Channel> channels = new HashMap<>();
        for (Channel c : Channel.ofPortfolio(r.portfolio)) {
            channels.put(c.key, c);
        }
        Instant now = clock.instant();
        for (BudgetSink.Change ch : cs.changes()) {
            Channel c = channels.get(ch.channel());
            if (c == null || c.dailyBudget.compareTo(ch.before()) != 0) {
                throw new Conflict("Channel " + ch.channel() + " changed since the plan was made"
                        + " (budget now " + (c == null ? "gone" : Money.cents(c.dailyBudget)) + ", plan expected "
                        + ch.before() + "); run the cycle again");
            }
            c.dailyBudget = ch.after();
            c.lastChangedOn = r.asOf;
            c.updatedAt = now;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("recommendationId", r.id);
            d.put("before", ch.before());
            d.put("after", ch.after());
            d.put("effectiveOn", r.asOf.toString());
            audit.append(new AuditService.Event(actor, AuditAction.BUDGET_CHANGED, "channel",
                    r.portfolio.key + "/" + c.key, r.portfolio.key, r.ruleSetVersion, d));
        }
        // the ledger commits with the budgets it records: in this transaction
        sinks.record(cs);
    }

    /** What earlier attempts changed on the platforms (stored JSON), or none. */
    private List<ConnectorService.ChangedTarget> changedTargets(String stored) {
        return stored == null ? List.of() : read(stored, new TypeReference<List<ConnectorService.ChangedTarget>>() { });
    }

    /**
     * The change set of a recommendation: each moved channel with its name, its platform target and the reasons of
     * the shifts that move it; the set's reason is the plan's shift reasons, or {@code revert of #<id>}.
     */
    private BudgetSink.ChangeSet changeSet(Recommendation r, String actor) {
        Map<String, Channel> channels = new HashMap<>();
        for (Channel c : Channel.ofPortfolio(r.portfolio)) {
            channels.put(c.key, c);
        }
        List<Plan.Shift> shifts = read(r.shifts, new TypeReference<List<Plan.Shift>>() { });
        boolean revert = r.kind == Recommendation.Kind.REVERT;
        // each channel's shift reasons, in one pass (a large plan has thousands of channels and shifts)
        Map<String, java.util.LinkedHashSet<String>> why = new HashMap<>();
        java.util.LinkedHashSet<String> reasons = new java.util.LinkedHashSet<>();
        for (Plan.Shift sh : shifts) {
            if (sh.reason() != null) {
                reasons.add(sh.reason());
                why.computeIfAbsent(sh.from(), k -> new java.util.LinkedHashSet<>()).add(sh.reason());
                why.computeIfAbsent(sh.to(), k -> new java.util.LinkedHashSet<>()).add(sh.reason());
            }
        }
        if (r.pacing != null) {
            // a pacing plan's change of the total is a reason of its own, for the channels it touches
            JsonNode pacing = read(r.pacing, new TypeReference<JsonNode>() { });
            String paced = "paced to the budget plan: total daily budget " + pacing.path("totalBefore").asText()
                    + " to " + pacing.path("totalAfter").asText();
            reasons.add(paced);
            for (JsonNode c : pacing.path("channels")) {
                why.computeIfAbsent(c.path("channel").asText(), k -> new java.util.LinkedHashSet<>()).add(paced);
            }
        }
        List<BudgetSink.Change> changes = new ArrayList<>();
        for (Plan.Allocation a : read(r.allocations, new TypeReference<List<Plan.Allocation>>() { })) {
            if (a.delta().signum() != 0) {
                Channel c = channels.get(a.channel());
                changes.add(new BudgetSink.Change(a.channel(), a.currentBudget(), a.proposedBudget(),
                        c == null ? null : c.name, c == null ? null : target(c), revert ? "revert of #" + r.revertOf
                        : cap(String.join("; ", why.getOrDefault(a.channel(), new java.util.LinkedHashSet<>())))));
            }
        }
        String reason = revert ? "revert of #" + r.revertOf : cap(String.join("; ", reasons));
        return new BudgetSink.ChangeSet(r.id, r.portfolio.key, r.asOf, actor, changes, r.portfolio.currency,
                revert ? BudgetSink.Kind.REVERT : BudgetSink.Kind.PLAN, reason, r.revertOf, Long.toString(r.id));
    }

    /** A channel's platform target as the sinks see it; null when it has none. */
    public static BudgetSink.Target target(Channel c) {
        return c.targetValue().map(t -> new BudgetSink.Target(t.connector(), t.account(),
                t.campaigns() == null ? List.of() : List.copyOf(t.campaigns()))).orElse(null);
    }

    private static String cap(String s) {
        return s.length() > 1000 ? s.substring(0, 999) + "…" : s;
    }

    @Scheduled(every = "{spendshift.recommendations.expire-check}", identity = "expire-recommendations",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expireOnSchedule() {
        expireOld();
    }

    /** Expires PROPOSED recommendations older than {@code expire-after}; returns how many. */
    public int expireOld() {
        Instant cutoff = clock.instant().minus(expireAfter);
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Recommendation> old = Recommendation.list("status in ?1 and createdAt < ?2",
                    List.copyOf(Recommendation.Move.EXPIRE.from()), cutoff);
            for (Recommendation r : old) {
                r.move(Recommendation.Move.EXPIRE);
                endPlannedExperiments(r);
                audit.append(event(Actors.SYSTEM, AuditAction.RECOMMENDATION_EXPIRED, r,
                        Map.of("createdAt", r.createdAt.toString(), "expireAfter", expireAfter.toString())));
            }
            if (!old.isEmpty()) {
                LOG.infof("Expired %d recommendations older than %s", old.size(), expireAfter);
            }
            return old.size();
        });
    }

    /**
     * How many plans the system applied automatically to the portfolio in {@code [from, to)} (reverts excluded:
     * they are undo, not a new bet). In the caller's transaction.
     */
    public long automaticApplies(long portfolioId, Instant from, Instant to) {
        return Recommendation.count("portfolio.id = ?1 and kind = ?2 and decidedBy = ?3 and appliedAt >= ?4"
                + " and appliedAt < ?5", portfolioId, Recommendation.Kind.PLAN, Actors.SYSTEM, from, to);
    }

    /** The data version recorded when the portfolio's last applied recommendation was applied; null: none. */
    public Long lastAppliedDataVersion(long portfolioId) {
        List<Recommendation> last = Recommendation.<Recommendation>find("portfolio.id = ?1 and status = ?2"
                + " order by appliedAt desc, id desc", portfolioId, Recommendation.Status.APPLIED).page(0, 1).list();
        return last.isEmpty() ? null : last.get(0).appliedDataVersion;
    }

    /**
     * An applied plan whose exploration shifts undo ended experiments (the designer undoes every ended block of a
     * channel that can move) closes them: their move is out of the budget from now on.
     */
    private void closeUndoneExperiments(Recommendation r) {
        // stored with their sentences: read as maps
        List<Map<String, Object>> shifts = read(r.shifts, new com.fasterxml.jackson.core.type.TypeReference<>() { });
        java.util.Set<String> explored = new java.util.HashSet<>();
        for (Map<String, Object> s : shifts) {
            if (io.spendshift.learning.Exploration.RULE.equals(s.get("rule"))) {
                explored.add(String.valueOf(s.get("from")));
                explored.add(String.valueOf(s.get("to")));
            }
        }
        if (explored.isEmpty()) {
            return;
        }
        em.createNativeQuery("UPDATE experiment SET status = 'DONE' WHERE portfolio_id = ?1 AND status = 'ACTIVE'"
                        + " AND until <= ?2 AND recommendation_id <> ?3 AND channel_id IN"
                        + " (SELECT id FROM channel WHERE portfolio_id = ?1 AND ckey IN (?4))")
                .setParameter(1, r.portfolio.id).setParameter(2, r.asOf).setParameter(3, r.id)
                .setParameter(4, explored).executeUpdate();
    }

    /** The rule name of a revert's shifts. */
    public static String revertRule(long id) {
        return "Revert recommendation " + id;
    }

    /** A new REVERT recommendation and its id. */
    public record Reverted(long id, RecommendationViews.RecommendationView view) {
    }

    /**
     * Proposes to undo an APPLIED recommendation: every channel its plan changed goes back to its budget before
     * the plan, within today's bounds, locked channels untouched, the total conserved to the cent (the budget
     * moves from channels above their old budget to those below, through the plan resolver with no shift limit).
     * The revert is PROPOSED, supersedes the portfolio's open recommendations, and is reviewed and applied like any
     * plan. 409 when the recommendation is not APPLIED, when a revert of it is already pending or applied, or when
     * nothing is left to restore.
     */
    public Reverted revert(long id, String actor, String comment) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Recommendation orig = Recommendation.<Recommendation>findByIdOptional(id)
                    .orElseThrow(() -> new NotFound("Recommendation", Long.toString(id)));
            if (orig.status != Recommendation.Status.APPLIED) {
                throw new Conflict("Recommendation " + id + " is " + orig.status
                        + "; only an APPLIED recommendation can be reverted");
            }
            long pending = Recommendation.count("revertOf = ?1 and status in ?2", id, List.of(
                    Recommendation.Status.PROPOSED, Recommendation.Status.APPROVED, Recommendation.Status.APPLIED,
                    Recommendation.Status.FAILED));
            if (pending > 0) {
                throw new Conflict("A revert of recommendation " + id + " is already pending or applied");
            }
            Portfolio p = orig.portfolio;
            LocalDate today = p.today(clock);
            Map<String, BigDecimal> restore = new LinkedHashMap<>();
            for (Plan.Allocation a : read(orig.allocations, new TypeReference<List<Plan.Allocation>>() { })) {
                if (a.delta().signum() != 0) {
                    restore.put(a.channel(), a.currentBudget());
                }
            }
            List<Channel> channels = Channel.ofPortfolio(p);
            Plan plan = RevertPlan.plan(id, channels.stream().map(c -> new RevertPlan.Line(c.key, c.dailyBudget,
                    c.minDailyBudget, c.maxDailyBudget, c.locked)).toList(), restore);
            if (plan.isEmpty()) {
                throw new Conflict("Nothing to revert: the budgets recommendation " + id
                        + " changed are already back where they were (within today's bounds), or locked");
            }
            Forecast forecast = forecast(p.key, today, plan, id);
            supersedeOpen(p, actor, Map.of("by revert of", id));
            Recommendation r = new Recommendation();
            r.portfolio = p;
            r.runId = null;
            r.kind = Recommendation.Kind.REVERT;
            r.revertOf = id;
            r.status = Recommendation.Status.PROPOSED;
            r.ruleSetVersion = orig.ruleSetVersion;
            r.asOf = today;
            r.createdAt = clock.instant();
            r.moved = plan.moved();
            r.totalBudget = channels.stream().map(c -> c.dailyBudget).reduce(BigDecimal.ZERO, BigDecimal::add);
            r.allocations = write(plan.allocations());
            io.spendshift.explain.Narrator.Context words = wording(p, Map.of(), Map.of());
            r.shifts = write(io.spendshift.explain.Narrator.shifts(plan.shifts(), words));
            Map<String, Object> fact = new LinkedHashMap<>();
            fact.put("type", "Revert");
            fact.put("recommendationId", id);
            fact.put("appliedOn", orig.appliedOn == null ? null : orig.appliedOn.toString());
            fact.put("restore", restore);
            fact.put("comment", comment);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("rule", revertRule(id));
            entry.put("title", "Undo of recommendation " + id);
            entry.put("text", "Restores the budgets recommendation " + id + " changed"
                    + (orig.appliedOn == null ? "" : " on " + orig.appliedOn) + ", within today's bounds"
                    + (comment == null || comment.isBlank() ? "." : ": " + comment));
            entry.put("internal", false);
            entry.put("facts", List.of(fact));
            r.explanation = write(List.of(entry));
            r.summary = "Undoes recommendation " + id + ". " + io.spendshift.explain.Narrator.summary(plan, forecast, words);
            r.forecast = ForecastViews.write(forecast);
            r.persist();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("kind", r.kind.name());
            details.put("revertOf", id);
            details.put("moved", r.moved);
            details.put("shifts", plan.shifts());
            details.put("comment", comment);
            audit.append(event(actor, AuditAction.RECOMMENDATION_CREATED, r, details));
            em.flush();
            return new Reverted(r.id, view(r));
        });
    }

    /** What a plan of today is expected to bring, on today's model; a forecast that fails says why. */
    private Forecast forecast(String key, LocalDate day, Plan plan, long seed) {
        try {
            Map<String, BigDecimal> current = new LinkedHashMap<>();
            Map<String, BigDecimal> proposed = new LinkedHashMap<>();
            for (Plan.Allocation a : plan.allocations()) {
                current.put(a.channel(), a.currentBudget());
                proposed.put(a.channel(), a.proposedBudget());
            }
            return Forecaster.forecast(facts.facts(key, day).model(), current, proposed, Map.of(), seed);
        } catch (RuntimeException e) {
            LOG.warnf("No forecast for the revert in portfolio %s: %s", key, e.toString());
            return Forecast.unavailable("the forecast failed: " + e.getClass().getSimpleName());
        }
    }

    public RecommendationViews.RecommendationView get(long id) {
        return QuarkusTransaction.requiringNew().call(() -> view(Recommendation.<Recommendation>findByIdOptional(id)
                .orElseThrow(() -> new NotFound("Recommendation", Long.toString(id)))));
    }

    /**
     * A page of recommendations of the portfolios in {@code scope} (the caller's): a projection, read without a
     * transaction (nothing is written).
     */
    public Page<RecommendationViews.RecommendationView> list(String portfolio, String status,
                                                             io.spendshift.security.PortfolioScope scope, int page,
                                                             int size) {
        Page.check(page, size);
        Recommendation.Status st = null;
        if (status != null && !status.isBlank()) {
            try {
                st = Recommendation.Status.valueOf(status);
            } catch (IllegalArgumentException e) {
                throw InvalidInput.of("status", "must be one of " + List.of(Recommendation.Status.values()));
            }
        }
        String key = portfolio == null || portfolio.isBlank() ? null : portfolio;
        if (scope.isEmpty() || key != null && !scope.includes(key)) {
            return new Page<>(List.of(), page, size, 0); // as for a portfolio without recommendations
        }
        java.util.Set<String> keys = scope.all() || key != null ? null : scope.keys();
        return new Page<>(store.page(key, keys, st, page, size), page, size, store.count(key, keys, st));
    }

    /** The key of the portfolio a recommendation belongs to (to check the caller's access before anything else). */
    public String portfolioOf(long id) {
        return store.portfolioOf(id).orElseThrow(() -> new NotFound("Recommendation", Long.toString(id)));
    }

    private Recommendation require(long id, IfMatch ifMatch) {
        Recommendation r = Recommendation.<Recommendation>findByIdOptional(id)
                .orElseThrow(() -> new NotFound("Recommendation", Long.toString(id)));
        IfMatch.check(ifMatch, "Recommendation " + id, r.version);
        return r;
    }

    private void decide(Recommendation r, String actor, String comment) {
        r.decidedBy = actor;
        r.decidedAt = clock.instant();
        r.decisionComment = comment;
    }

    private static Map<String, Object> comment(String c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("comment", c);
        return m;
    }

    private static AuditService.Event event(String actor, AuditAction action, Recommendation r, Map<String, ?> details) {
        return new AuditService.Event(actor, action, "recommendation", Long.toString(r.id), r.portfolio.key,
                r.ruleSetVersion, details);
    }

    RecommendationViews.RecommendationView view(Recommendation r) {
        return new RecommendationViews.RecommendationView(r.id, r.portfolio.key, r.runId, r.status.name(), r.ruleSetVersion,
                r.asOf, r.createdAt, r.decidedBy, r.decidedAt, r.decisionComment, r.appliedAt, r.failureReason,
                r.version, Money.cents(r.moved), Money.cents(r.totalBudget), r.allocations, r.shifts,
                r.explanation, r.kind.name(), r.revertOf, ForecastViews.view(r.forecast),
                RecommendationStore.experiments(r.experiments), r.autoApplyWithheld, r.appliedOn, r.verificationStatus,
                r.adjustments == null ? "[]" : r.adjustments, r.flags == null ? "[]" : r.flags, r.summary, r.pacing,
                r.changedTargets == null ? "[]" : r.changedTargets);
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String s, TypeReference<T> type) {
        try {
            return json.readValue(s, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
