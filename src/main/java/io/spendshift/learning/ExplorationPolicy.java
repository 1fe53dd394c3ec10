package io.spendshift.learning;

/**
 * A portfolio's {@code policy.exploration} (API.md): whether plans may include designed budget moves on channels
 * whose response cannot be estimated, how large one may be ({@code maxPct} of that channel's budget) and how much
 * expected value all of them together may cost ({@code maxCostPct} of the portfolio's daily value).
 */
public record ExplorationPolicy(boolean enabled, double maxPct, double maxCostPct) {

    public static final ExplorationPolicy DEFAULTS = new ExplorationPolicy(true, 10, 1);
    public static final ExplorationPolicy OFF = new ExplorationPolicy(false, 10, 1);
}
