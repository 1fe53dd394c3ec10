package io.spendshift.learning;

import io.spendshift.policy.DailyPerformance;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the response model learns one channel from: its current budget; its daily history before the day decided
 * for; the days on which a designed experiment was running; and the daily budget in force over time
 * ({@code budgets}: from each date on, until the next; the budget before the first entry is the first entry's).
 * Spend that strays from the budget may be demand (a busy day spends more and sells more); budget that moved is
 * exogenous, set by a plan or an experiment.
 */
public record ChannelHistory(String channel, double budget, List<DailyPerformance> days, Set<LocalDate> experimentDays,
                             NavigableMap<LocalDate, Double> budgets) {

    public ChannelHistory {
        days = List.copyOf(days);
        experimentDays = Set.copyOf(experimentDays);
        budgets = budgets == null || budgets.isEmpty() ? new TreeMap<>(Map.of(LocalDate.MIN, budget))
                : new TreeMap<>(budgets);
    }

    /** A channel whose budget never changed. */
    public ChannelHistory(String channel, double budget, List<DailyPerformance> days, Set<LocalDate> experimentDays) {
        this(channel, budget, days, experimentDays, null);
    }

    /** The daily budget in force on {@code day}. */
    public double budgetOn(LocalDate day) {
        Map.Entry<LocalDate, Double> e = budgets.floorEntry(day);
        return e != null ? e.getValue() : budgets.firstEntry().getValue();
    }
}
