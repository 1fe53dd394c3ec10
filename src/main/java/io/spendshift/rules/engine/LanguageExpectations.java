package io.spendshift.rules.engine;

import io.spendshift.policy.Adjustment;
import io.spendshift.policy.Plan;

import java.math.BigDecimal;
import java.util.List;

/** The scenario expectations on flags, adjustments and proposed budgets (kept apart from the runner's own). */
final class LanguageExpectations {

    private LanguageExpectations() {
    }

    static void check(Scenario.Expect x, Plan plan, List<String> problems) {
        for (Scenario.ExpectedFlag f : nz(x.flags())) {
            boolean found = plan.flags().stream().anyMatch(a -> f.channel().equals(a.channel())
                    && (f.severity() == null || f.severity().equals(a.severity()))
                    && (f.messageContains() == null || String.valueOf(a.message()).contains(f.messageContains())));
            if (!found) {
                problems.add("expected a flag on " + f.channel() + (f.severity() == null ? "" : " (" + f.severity() + ")")
                        + (f.messageContains() == null ? "" : " saying '" + f.messageContains() + "'") + "; flags were "
                        + (plan.flags().isEmpty() ? "none" : plan.flags().stream()
                        .map(a -> a.channel() + " " + a.severity() + " (" + a.message() + ")").toList()));
            }
        }
        for (Scenario.ExpectedAdjustment e : nz(x.adjustments())) {
            boolean found = plan.adjustments().stream().anyMatch(a -> e.channel().equals(a.channel())
                    && (e.rule() == null || e.rule().equals(a.rule()))
                    && (e.whyContains() == null || String.valueOf(a.why()).contains(e.whyContains())));
            if (!found) {
                problems.add("expected an adjustment on " + e.channel() + (e.whyContains() == null ? ""
                        : " saying '" + e.whyContains() + "'") + "; adjustments were " + describe(plan.adjustments()));
            }
        }
        for (Scenario.ExpectedBudget b : nz(x.budgets())) {
            BigDecimal got = plan.allocations().stream().filter(a -> a.channel().equals(b.channel()))
                    .map(Plan.Allocation::proposedBudget).findFirst().orElse(null);
            boolean ok = got != null && (b.amount() == null || got.compareTo(b.amount()) == 0)
                    && (b.min() == null || got.compareTo(b.min()) >= 0)
                    && (b.max() == null || got.compareTo(b.max()) <= 0);
            if (!ok) {
                problems.add("expected " + b.channel() + "'s budget to be " + (b.amount() != null ? b.amount().toPlainString()
                        : "between " + (b.min() == null ? "0" : b.min().toPlainString()) + " and "
                        + (b.max() == null ? "any" : b.max().toPlainString())) + "; got "
                        + (got == null ? "no such channel" : got.toPlainString()) + "; adjustments were "
                        + describe(plan.adjustments()));
            }
        }
    }

    static String describe(List<Adjustment> adjustments) {
        return adjustments.isEmpty() ? "none" : adjustments.stream()
                .map(a -> a.channel() + " [" + a.rule() + "] asked " + a.asked() + ", granted " + a.granted() + ": "
                        + a.why()).toList().toString();
    }

    private static <T> List<T> nz(List<T> l) {
        return l == null ? List.of() : l;
    }
}
