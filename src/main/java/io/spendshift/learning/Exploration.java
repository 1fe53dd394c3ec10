package io.spendshift.learning;

import io.spendshift.policy.ShiftProposal;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * Designs exploration: small, randomized, balanced budget moves on channels whose response cannot be estimated
 * yet, recorded as experiments.
 */
public final class Exploration {

    /** The rule name exploration shifts carry. */
    public static final String RULE = "Explore channels whose response cannot be estimated yet";

    private Exploration() {
    }

    /** A channel as the designer sees it: budget, bounds (max null: none), and whether it may move at all. */
    public record Line(String channel, double budget, double min, Double max, boolean movable) {
    }

    /** The moves to add to the plan, and the experiments they start. */
    public record Design(List<ShiftProposal> shifts, List<Experiment> experiments) {
        public static final Design NONE = new Design(List.of(), List.of());
    }

    /**
     * {@code running}: experiments still in force on {@code asOf}; {@code busy}: channels the policy moves in this
     * plan (they are not perturbed on top). Deterministic for a seed.
     */
    public static Design design(PortfolioModel model, List<Line> lines, Set<String> busy, List<Experiment> running,
                                ExplorationPolicy policy, double maxShiftPct, LocalDate asOf, long seed) {
        return Design.NONE;
    }
}
