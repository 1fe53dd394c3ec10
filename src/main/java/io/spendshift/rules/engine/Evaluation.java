package io.spendshift.rules.engine;

import io.spendshift.policy.Boost;
import io.spendshift.policy.Hold;
import io.spendshift.policy.ShiftProposal;
import io.spendshift.policy.Trim;

import java.util.List;
import java.util.Map;

/**
 * What one evaluation of the rules produced: proposals, holds, trims and boosts, how often each rule fired,
 * and the explanation (which rule fired on which facts).
 */
public record Evaluation(List<ShiftProposal> proposals, List<Hold> holds, List<Trim> trims, List<Boost> boosts,
                         Map<String, Integer> firedRules, List<Firing> explanation) {

    /** One firing: the rule and a snapshot of the facts it matched. */
    public record Firing(String rule, List<Map<String, Object>> facts) {
    }
}
