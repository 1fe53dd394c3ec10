package io.spendshift.planning;

import io.spendshift.learning.Experiment;
import io.spendshift.learning.Exploration;
import io.spendshift.learning.ExplorationPolicy;
import io.spendshift.learning.Forecast;
import io.spendshift.learning.Forecaster;
import io.spendshift.learning.PortfolioModel;
import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.Plan;
import io.spendshift.policy.PlanResolver;
import io.spendshift.policy.PortfolioFacts;
import io.spendshift.policy.ShiftProposal;
import io.spendshift.rules.engine.Evaluation;
import io.spendshift.rules.engine.PolicyEvaluator;
import org.kie.api.KieBase;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One decision of the cycle, the same in production and in closed-loop simulations: the rules evaluate the
 * facts, the resolver makes a feasible plan, exploration adds designed moves on channels the policy leaves alone
 * and whose response is not known yet, the pacer changes the total daily budget where the portfolio's budget plan
 * asks for it ({@link Pacer}), and the forecaster says what the plan will bring.
 */
public final class Planner {

    private Planner() {
    }

    /** {@code running}: experiments in force on the day decided for. */
    public record Input(PortfolioFacts portfolio, List<ChannelFacts> channels, PortfolioModel model,
                        ExplorationPolicy exploration, List<Experiment> running, long seed) {
    }

    /**
     * The plan with its forecast; {@code experiments} are those the plan starts, {@code closedExperiments} the
     * channels whose ended experiment the plan undoes.
     */
    public record Decision(Evaluation evaluation, Plan plan, Forecast forecast, List<Experiment> experiments,
                           Set<String> closedExperiments, Forecast betForecast) {

        public Decision(Evaluation evaluation, Plan plan, Forecast forecast, List<Experiment> experiments,
                        Set<String> closedExperiments) {
            this(evaluation, plan, forecast, experiments, closedExperiments, null);
        }

        /**
         * What the automation gate judges: for a plan with pacing, the forecast of its moves between channels
         * before pacing ({@code betForecast}; a budget cut the plan asks for lowers value by design); else the
         * plan's forecast.
         */
        public Forecast gateForecast() {
            return plan.pacing() == null || betForecast == null ? forecast : betForecast;
        }
    }

    /**
     * {@code explain}: keep what the rules fired on, for the explanation of a recommendation that will be stored;
     * the facts are snapshotted only when {@code evaluation().explanation()} is read (so only for a non-empty plan
     * that is stored), never for dry runs and simulations ({@code false}).
     */
    public static Decision decide(KieBase rules, Input in, boolean explain) {
        PortfolioFacts p = in.portfolio();
        // the resolver's own snapshot, taken before the rules see the facts: inputs are read-only to the plan
        List<PlanResolver.Line> lines = in.channels().stream().map(PlanResolver.Line::of).toList();
        double maxShiftPct = p.getMaxShiftPct();
        LocalDate asOf = p.getAsOf();
        Map<String, Double> marginal = new java.util.HashMap<>();
        for (ChannelFacts c : in.channels()) {
            if (c.getMarginalRoas() != null) {
                marginal.put(c.getChannel(), c.getMarginalRoas());
            }
        }
        Evaluation ev = PolicyEvaluator.evaluate(rules, p, in.channels(), explain);
        Map<String, String> holds = ev.holdReasons();
        Set<String> held = holds.keySet();
        Plan policyPlan = PlanResolver.resolve(lines, holds, ev.outputs(), maxShiftPct);
        Exploration.Design design = Exploration.Design.NONE;
        if (in.exploration() != null && in.exploration().enabled()) {
            Set<String> busy = new HashSet<>();
            policyPlan.allocations().forEach(a -> {
                if (a.delta().signum() != 0) {
                    busy.add(a.channel());
                }
            });
            List<Exploration.Line> ex = lines.stream().map(c -> new Exploration.Line(c.channel(),
                    c.budget().doubleValue(), c.min() == null ? 0 : c.min().doubleValue(),
                    c.max() == null ? null : c.max().doubleValue(),
                    !c.locked() && !held.contains(c.channel()))).toList();
            design = Exploration.design(in.model(), ex, busy, in.running(), in.exploration(), maxShiftPct,
                    asOf, in.seed());
        }
        Plan plan = policyPlan;
        if (!design.shifts().isEmpty()) {
            List<ShiftProposal> all = new ArrayList<>(ev.proposals());
            all.addAll(design.shifts());
            PlanResolver.Outputs o = ev.outputs();
            plan = PlanResolver.resolve(lines, holds, new PlanResolver.Outputs(all, o.trims(), o.boosts(),
                    o.setBudgets(), o.caps(), o.floors(), o.flags()), maxShiftPct);
        }
        // pacing last: it changes the total by what the policy and exploration left free
        Plan beforePacing = plan;
        plan = Pacer.pace(plan, p, lines, held, marginal, maxShiftPct);
        Map<String, BigDecimal> current = new LinkedHashMap<>();
        Map<String, BigDecimal> proposed = new LinkedHashMap<>();
        for (Plan.Allocation a : plan.allocations()) {
            current.put(a.channel(), a.currentBudget());
            proposed.put(a.channel(), a.proposedBudget());
        }
        Map<String, BigDecimal> explored = new LinkedHashMap<>();
        for (Experiment e : design.experiments()) {
            explored.put(e.channel(), e.amount());
        }
        Forecast forecast = Forecaster.forecast(in.model(), current, proposed, explored, in.seed());
        Forecast bet = null;
        if (plan.pacing() != null && !beforePacing.isEmpty()) {
            Map<String, BigDecimal> moves = new LinkedHashMap<>();
            beforePacing.allocations().forEach(a -> moves.put(a.channel(), a.proposedBudget()));
            bet = Forecaster.forecast(in.model(), current, moves, explored, in.seed());
        }
        return new Decision(ev, plan, forecast, design.experiments(), design.closed(), bet);
    }
}
