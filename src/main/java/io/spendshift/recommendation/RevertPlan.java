package io.spendshift.recommendation;

import io.spendshift.policy.Plan;
import io.spendshift.policy.PlanResolver;
import io.spendshift.policy.ShiftProposal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plan of a revert: each channel an applied plan changed goes back to its budget before that plan, clamped
 * to today's {@code [min, max]}; locked channels stay. Budget moves from channels above their old budget to those
 * below (paired in channel order), through {@link PlanResolver} with no shift limit, so the plan keeps every
 * invariant of a plan: the total is conserved to the cent, bounds hold, shifts add up to the deltas. Where the
 * clamped targets do not balance, only what can be matched moves.
 */
final class RevertPlan {

    /** A channel as it is today. {@code max} null: no upper bound. */
    record Line(String channel, BigDecimal budget, BigDecimal min, BigDecimal max, boolean locked) {
    }

    private RevertPlan() {
    }

    /** {@code restore}: each channel the reverted plan changed, with its budget before that plan. */
    static Plan plan(long revertedId, List<Line> today, Map<String, BigDecimal> restore) {
        record Gap(String channel, BigDecimal now, BigDecimal target, long cents) {
        }
        List<Gap> above = new ArrayList<>();
        List<Gap> below = new ArrayList<>();
        for (Line l : today) {
            BigDecimal old = restore.get(l.channel());
            if (old == null || l.locked()) {
                continue;
            }
            BigDecimal target = old;
            if (l.min() != null && target.compareTo(l.min()) < 0) {
                target = l.min();
            }
            if (l.max() != null && target.compareTo(l.max()) > 0) {
                target = l.max();
            }
            long diff = l.budget().subtract(target).movePointRight(2).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
            if (diff > 0) {
                above.add(new Gap(l.channel(), l.budget(), target, diff));
            } else if (diff < 0) {
                below.add(new Gap(l.channel(), l.budget(), target, -diff));
            }
        }
        String rule = RecommendationService.revertRule(revertedId);
        List<ShiftProposal> proposals = new ArrayList<>();
        long[] give = above.stream().mapToLong(Gap::cents).toArray();
        long[] take = below.stream().mapToLong(Gap::cents).toArray();
        int i = 0;
        int j = 0;
        while (i < give.length && j < take.length) {
            long m = Math.min(give[i], take[j]);
            Gap from = above.get(i);
            Gap to = below.get(j);
            proposals.add(new ShiftProposal(from.channel(), to.channel(), BigDecimal.valueOf(m, 2), rule,
                    "back to the budgets before recommendation " + revertedId + ": " + from.channel() + " "
                            + from.now().setScale(2, RoundingMode.HALF_EVEN) + " → " + from.target().setScale(2, RoundingMode.HALF_EVEN)
                            + ", " + to.channel() + " " + to.now().setScale(2, RoundingMode.HALF_EVEN) + " → "
                            + to.target().setScale(2, RoundingMode.HALF_EVEN)));
            give[i] -= m;
            take[j] -= m;
            if (give[i] == 0) {
                i++;
            }
            if (take[j] == 0) {
                j++;
            }
        }
        List<PlanResolver.Line> lines = today.stream().map(l -> new PlanResolver.Line(l.channel(), l.budget(),
                l.min() == null ? BigDecimal.ZERO : l.min(), l.max(), l.locked())).toList();
        return PlanResolver.resolve(lines, Set.of(), proposals, List.of(), List.of(), 100.0);
    }
}
