package io.spendshift.policy;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * A feasible plan: every channel's current and proposed budget, the shifts that add up to the deltas, every
 * clamp, drop and conflict the resolver made on the rules' proposals ({@code adjustments}), the flags the
 * rules raised, and the pacing change of the total daily budget ({@code pacing}, null when the total stays).
 * A channel's delta is the shifts into it minus those out of it plus its part of the pacing change.
 */
public record Plan(List<Allocation> allocations, List<Shift> shifts, List<Adjustment> adjustments, List<Flag> flags,
                   @JsonInclude(JsonInclude.Include.NON_NULL) PacingChange pacing) {

    public Plan(List<Allocation> allocations, List<Shift> shifts, List<Adjustment> adjustments, List<Flag> flags) {
        this(allocations, shifts, adjustments, flags, null);
    }

    public Plan(List<Allocation> allocations, List<Shift> shifts) {
        this(allocations, shifts, List.of(), List.of(), null);
    }

    public record Allocation(String channel, BigDecimal currentBudget, BigDecimal proposedBudget, BigDecimal delta) {
    }

    /** Stored with its {@code sentence} for people (read back, that is ignored). */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    public record Shift(String from, String to, BigDecimal amount, String rule, String reason) {
    }

    /** The budget period pacing aims at, its dates inclusive. */
    public record Dates(LocalDate from, LocalDate to) {
    }

    /** One channel's part of the pacing change (positive: more budget). */
    public record ChannelChange(String channel, BigDecimal delta) {
    }

    /**
     * The pacing part of a plan: the period and its budget, the spend so far, the days left, the bounded daily
     * target and the total daily budget before and after; {@code channels}: how the change
     * {@code totalAfter - totalBefore} is spread (more to the highest marginal values, cuts from the lowest).
     */
    public record PacingChange(String periodKind, Dates period, BigDecimal budget, BigDecimal spentToDate,
                               BigDecimal expectedToDate, Double pace, int daysLeft, BigDecimal pacedDailyTotal,
                               BigDecimal dailyTarget, BigDecimal totalBefore, BigDecimal totalAfter,
                               List<ChannelChange> channels) {

        /** {@code totalAfter - totalBefore}. */
        public BigDecimal change() {
            return totalAfter.subtract(totalBefore);
        }
    }

    /** True when nothing changes: no shift and no pacing. */
    public boolean isEmpty() {
        return shifts.isEmpty() && pacing == null;
    }

    /** Total budget moved: the sum of the shifts, plus the size of the pacing change. */
    public BigDecimal moved() {
        BigDecimal m = shifts.stream().map(Shift::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        return pacing == null ? m : m.add(pacing.change().abs());
    }
}
