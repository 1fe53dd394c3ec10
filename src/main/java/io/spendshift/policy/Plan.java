package io.spendshift.policy;

import java.math.BigDecimal;
import java.util.List;

/**
 * A feasible plan: every channel's current and proposed budget, the shifts that add up to the deltas, every
 * clamp, drop and conflict the resolver made on the rules' proposals ({@code adjustments}), and the flags the
 * rules raised.
 */
public record Plan(List<Allocation> allocations, List<Shift> shifts, List<Adjustment> adjustments, List<Flag> flags) {

    public Plan(List<Allocation> allocations, List<Shift> shifts) {
        this(allocations, shifts, List.of(), List.of());
    }

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
