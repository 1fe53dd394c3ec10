package io.spendshift.rules.engine;

import io.spendshift.policy.Boost;
import io.spendshift.policy.Cap;
import io.spendshift.policy.Flag;
import io.spendshift.policy.Floor;
import io.spendshift.policy.PlanResolver;
import io.spendshift.policy.SetBudget;
import io.spendshift.policy.Hold;
import io.spendshift.policy.ShiftProposal;
import io.spendshift.policy.Trim;

import java.util.List;
import java.util.Map;

/**
 * What one evaluation of the rules produced: proposals, holds, trims, boosts, targets, caps, floors and flags, how often each rule fired,
 * and the explanation (which rule fired on which facts).
 */
public record Evaluation(List<ShiftProposal> proposals, List<Hold> holds, List<Trim> trims, List<Boost> boosts,
                         List<SetBudget> setBudgets, List<Cap> caps, List<Floor> floors, List<Flag> flags,
                         Map<String, Integer> firedRules, List<Firing> explanation) {

    public Evaluation(List<ShiftProposal> proposals, List<Hold> holds, List<Trim> trims, List<Boost> boosts,
                      Map<String, Integer> firedRules, List<Firing> explanation) {
        this(proposals, holds, trims, boosts, List.of(), List.of(), List.of(), List.of(), firedRules, explanation);
    }

    /** The held channels, each with its holds' reasons joined. */
    public Map<String, String> holdReasons() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Hold h : holds) {
            out.merge(h.channel(), String.valueOf(h.reason()), (a, b) -> a.equals(b) ? a : a + "; " + b);
        }
        return out;
    }

    /** What the plan resolver reads. */
    public PlanResolver.Outputs outputs() {
        return new PlanResolver.Outputs(proposals, trims, boosts, setBudgets, caps, floors, flags);
    }

    /** One firing: the rule and a snapshot of the facts it matched. */
    public record Firing(String rule, List<Map<String, Object>> facts) {
    }
}
