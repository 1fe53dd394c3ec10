package io.spendshift.policy;

import java.math.BigDecimal;
import java.util.List;

/** A feasible plan: every channel's current and proposed budget, and the shifts that add up to the deltas. */
public record Plan(List<Allocation> allocations, List<Shift> shifts) {

    public record Allocation(String channel, BigDecimal currentBudget, BigDecimal proposedBudget, BigDecimal delta) {
    }

    public record Shift(String from, String to, BigDecimal amount, String rule, String reason) {
    }

    public boolean isEmpty() {
        return shifts.isEmpty();
    }

    /** Total budget moved: the sum of the shifts. */
    public BigDecimal moved() {
        return shifts.stream().map(Shift::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
