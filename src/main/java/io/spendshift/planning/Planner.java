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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One decision of the cycle, the same in production and in closed-loop simulations: the rules evaluate the
 * facts, the resolver makes a feasible plan, exploration adds designed moves on channels the policy leaves alone
 * and whose response is not known yet, and the forecaster says what the plan will bring.
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
                           Set<String> closedExperiments) {
    }

    /**
     * {@code explain}: keep what the rules fired on, for the explanation of a recommendation that will be stored;
     * the facts are snapshotted only when {@code evaluation().explanation()} is read (so only for a non-empty plan
     * that is stored), never for dry runs and simulations ({@code false}).
     */
    public static Decision decide(KieBase rules, Input in, boolean explain) {
        PortfolioFacts p = in.portfolio();
        Evaluation ev = PolicyEvaluator.evaluate(rules, p, in.channels(), explain);
        Set<String> held = new HashSet<>();
        ev.holds().forEach(h -> held.add(h.channel()));
        List<PlanResolver.Line> lines = in.channels().stream().map(c -> new PlanResolver.Line(c.getChannel(),
                c.getDailyBudget(), c.getMinDailyBudget(), c.getMaxDailyBudget(), c.isLocked())).toList();
        Plan policyPlan = PlanResolver.resolve(lines, held, ev.proposals(), ev.trims(), ev.boosts(), p.getMaxShiftPct());
        Exploration.Design design = Exploration.Design.NONE;
        if (in.exploration() != null && in.exploration().enabled()) {
            Set<String> busy = new HashSet<>();
            policyPlan.allocations().forEach(a -> {
                if (a.delta().signum() != 0) {
                    busy.add(a.channel());
                }
            });
            List<Exploration.Line> ex = in.channels().stream().map(c -> new Exploration.Line(c.getChannel(),
                    c.getDailyBudget().doubleValue(), c.getMinDailyBudget().doubleValue(),
                    c.getMaxDailyBudget() == null ? null : c.getMaxDailyBudget().doubleValue(),
                    !c.isLocked() && !held.contains(c.getChannel()))).toList();
            design = Exploration.design(in.model(), ex, busy, in.running(), in.exploration(), p.getMaxShiftPct(),
                    p.getAsOf(), in.seed());
        }
        Plan plan = policyPlan;
        if (!design.shifts().isEmpty()) {
            List<ShiftProposal> all = new ArrayList<>(ev.proposals());
            all.addAll(design.shifts());
            plan = PlanResolver.resolve(lines, held, all, ev.trims(), ev.boosts(), p.getMaxShiftPct());
        }
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
        return new Decision(ev, plan, forecast, design.experiments(), design.closed());
    }
}
