package io.spendshift.learning;

import io.spendshift.policy.ShiftProposal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Designs exploration (DESIGN.md): channels whose elasticity is not identified get budget blocks of
 * {@value #BLOCK_DAYS} days (longer than most adstock memory), {@code +A} or {@code -A} with a random sign per
 * block, paired with another explored channel (or, for an odd one out, a channel already identified) that takes
 * the opposite move, so totals are conserved. {@code A} is at most {@code maxPct} of the smaller budget of the
 * pair, within both channels' bounds and the policy's maxShiftPct, and scaled down until the expected cost of all
 * the blocks (second order: {@code b (1 - b) / 2 * level * (A / B)^2} per channel, the first-order term being zero
 * in expectation over the random sign) is within {@code maxCostPct} of the portfolio's daily value. When a block
 * ends, the next one starts from the budgets before it (the previous move is undone in the same plan), and a
 * channel that has become identified is simply returned. Deterministic for a seed.
 */
public final class Exploration {

    /** The rule name exploration shifts carry. */
    public static final String RULE = "Explore channels whose response cannot be estimated yet";
    public static final int BLOCK_DAYS = 4;

    private Exploration() {
    }

    /** A channel as the designer sees it: budget, bounds (max null: none), and whether it may move at all. */
    public record Line(String channel, double budget, double min, Double max, boolean movable) {
    }

    /**
     * The moves to add to the plan, the experiments they start, and the channels whose ended block the plan undoes
     * (their experiments are closed once it is applied).
     */
    public record Design(List<ShiftProposal> shifts, List<Experiment> experiments, Set<String> closed) {
        public static final Design NONE = new Design(List.of(), List.of(), Set.of());
    }

    /**
     * {@code running}: the latest experiment of each channel that has not been closed (its move still in the
     * budget), ended or not; {@code busy}: channels the policy moves in this plan (they are not perturbed on top).
     */
    public static Design design(PortfolioModel model, List<Line> lines, Set<String> busy, List<Experiment> running,
                                ExplorationPolicy policy, double maxShiftPct, LocalDate asOf, long seed) {
        if (model == null || policy == null || !policy.enabled() || policy.maxPct() <= 0) {
            return Design.NONE;
        }
        Map<String, Line> byChannel = new LinkedHashMap<>();
        lines.forEach(l -> byChannel.put(l.channel(), l));
        Set<String> inBlock = new HashSet<>();
        Map<String, Double> undo = new HashMap<>();
        for (Experiment e : running) {
            if (e.until().isAfter(asOf)) {
                inBlock.add(e.channel());
            } else {
                undo.put(e.channel(), e.amount().doubleValue());
            }
        }
        // channels to explore in a new block
        List<String> explore = new ArrayList<>();
        List<String> partners = new ArrayList<>();
        for (Line l : lines) {
            ResponseModel m = model.get(l.channel());
            if (!l.movable() || busy.contains(l.channel()) || inBlock.contains(l.channel()) || m == null
                    || l.budget() <= 0) {
                continue;
            }
            if (!m.identified()) {
                explore.add(l.channel());
            } else {
                partners.add(l.channel());
            }
        }
        Map<String, Double> target = new LinkedHashMap<>();
        List<Experiment> started = new ArrayList<>();
        if (!explore.isEmpty()) {
            SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + asOf.toEpochDay());
            Collections.sort(explore);
            for (int i = explore.size() - 1; i > 0; i--) {
                Collections.swap(explore, i, rnd.nextInt(i + 1));
            }
            if (explore.size() % 2 == 1) {
                partners.sort(Comparator.comparingDouble((String c) -> -byChannel.get(c).budget()).thenComparing(c -> c));
                if (partners.isEmpty()) {
                    explore.remove(explore.size() - 1);
                } else {
                    explore.add(partners.get(0));
                }
            }
            double portfolioValue = 0;
            for (ResponseModel m : model.channels().values()) {
                portfolioValue += m.level();
            }
            List<double[]> pairs = new ArrayList<>();
            double expectedCost = 0;
            for (int i = 0; i + 1 < explore.size(); i += 2) {
                String a = explore.get(i);
                String b = explore.get(i + 1);
                double amount = Math.min(room(byChannel.get(a), undo.getOrDefault(a, 0.0), policy, maxShiftPct),
                        room(byChannel.get(b), undo.getOrDefault(b, 0.0), policy, maxShiftPct));
                double sign = rnd.nextBoolean() ? 1 : -1;
                pairs.add(new double[]{i, amount, sign});
                expectedCost += cost(model.get(a), amount) + cost(model.get(b), amount);
            }
            double budgetForCost = policy.maxCostPct() / 100.0 * portfolioValue;
            double shrink = expectedCost <= budgetForCost || expectedCost <= 0 ? 1 : Math.sqrt(budgetForCost / expectedCost);
            for (double[] pair : pairs) {
                String a = explore.get((int) pair[0]);
                String b = explore.get((int) pair[0] + 1);
                double amount = Math.floor(pair[1] * shrink * 100) / 100;
                if (amount < 0.01) {
                    continue;
                }
                double up = pair[2] * amount;
                target.put(a, up);
                target.put(b, -up);
                started.add(experiment(byChannel.get(a), undo, up, asOf, b));
                started.add(experiment(byChannel.get(b), undo, -up, asOf, a));
            }
        }
        // per channel: the new block's move minus the ended block's move, paired positives with negatives
        Map<String, Double> delta = new LinkedHashMap<>();
        Set<String> closed = new HashSet<>();
        undo.forEach((c, amount) -> {
            if (byChannel.containsKey(c) && byChannel.get(c).movable()) {
                delta.merge(c, -amount, Double::sum);
                closed.add(c);
            }
        });
        target.forEach((c, amount) -> delta.merge(c, amount, Double::sum));
        List<ShiftProposal> shifts = balance(delta);
        return new Design(shifts, started, closed);
    }

    /** How far a channel can move up and down from its pre-experiment budget within bounds and maxShiftPct. */
    private static double room(Line l, double previous, ExplorationPolicy policy, double maxShiftPct) {
        double base = l.budget() - previous;
        double amount = Math.min(base, l.budget()) * policy.maxPct() / 100.0;
        amount = Math.min(amount, Math.max(0, base - l.min()));
        if (l.max() != null) {
            amount = Math.min(amount, Math.max(0, l.max() - base));
        }
        // from +previous to -amount (or the reverse) must be within one cycle's maxShiftPct of today's budget
        double cap = l.budget() * maxShiftPct / 100.0 - Math.abs(previous);
        return Math.max(0, Math.min(amount, cap));
    }

    private static double cost(ResponseModel m, double amount) {
        if (m == null || m.budget() <= 0) {
            return 0;
        }
        double b = ResponseModel.clampB(m.elasticity());
        double r = amount / m.budget();
        return Math.abs(b * (1 - b)) / 2 * m.level() * r * r;
    }

    private static Experiment experiment(Line l, Map<String, Double> undo, double move, LocalDate asOf, String partner) {
        double base = l.budget() - undo.getOrDefault(l.channel(), 0.0);
        double pct = base <= 0 ? 0 : move / base * 100;
        String reason = String.format(java.util.Locale.ROOT,
                "the response of %s to spend is not known well enough yet: %s%.1f%% of its budget for %d days, paired with %s",
                l.channel(), move >= 0 ? "+" : "", pct, BLOCK_DAYS, partner);
        return new Experiment(l.channel(), BigDecimal.valueOf(move).setScale(2, RoundingMode.HALF_EVEN),
                Math.round(pct * 100) / 100.0, reason, asOf, asOf.plusDays(BLOCK_DAYS));
    }

    /** Turns per-channel deltas that sum to zero into shifts from channels going down to channels going up. */
    private static List<ShiftProposal> balance(Map<String, Double> delta) {
        List<String> down = new ArrayList<>();
        List<String> up = new ArrayList<>();
        Map<String, Long> cents = new LinkedHashMap<>();
        long sum = 0;
        for (Map.Entry<String, Double> e : delta.entrySet()) {
            long c = Math.round(e.getValue() * 100);
            cents.put(e.getKey(), c);
            sum += c;
        }
        final long imbalance = sum;
        if (imbalance != 0) {
            // an ended block whose partner cannot move: trim the largest move so the total is conserved
            String adjust = cents.entrySet().stream().filter(e -> Long.signum(e.getValue()) == Long.signum(imbalance))
                    .max(Comparator.comparingLong(e -> Math.abs(e.getValue()))).map(Map.Entry::getKey).orElse(null);
            if (adjust == null) {
                return List.of();
            }
            cents.put(adjust, cents.get(adjust) - imbalance);
        }
        cents.forEach((c, v) -> {
            if (v < 0) {
                down.add(c);
            } else if (v > 0) {
                up.add(c);
            }
        });
        List<ShiftProposal> out = new ArrayList<>();
        int j = 0;
        long[] needUp = up.stream().mapToLong(cents::get).toArray();
        for (String d : down) {
            long give = -cents.get(d);
            while (give > 0 && j < up.size()) {
                long m = Math.min(give, needUp[j]);
                out.add(new ShiftProposal(d, up.get(j), BigDecimal.valueOf(m, 2), RULE,
                        "designed experiment: budget blocks of " + BLOCK_DAYS + " days on channels whose response is not known yet"));
                give -= m;
                needUp[j] -= m;
                if (needUp[j] == 0) {
                    j++;
                }
            }
        }
        return out;
    }
}
