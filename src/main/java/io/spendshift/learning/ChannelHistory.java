package io.spendshift.learning;

import io.spendshift.policy.DailyPerformance;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * What the response model learns one channel from: its current budget, and its daily history before the day
 * decided for, with the days on which a designed experiment was running (they are exogenous: the budget moved
 * by design, not with demand).
 */
public record ChannelHistory(String channel, double budget, List<DailyPerformance> days, Set<LocalDate> experimentDays) {

    public ChannelHistory {
        days = List.copyOf(days);
        experimentDays = Set.copyOf(experimentDays);
    }
}
