package io.spendshift.recommendation;

import io.spendshift.common.FieldError;
import io.spendshift.common.InvalidInput;
import io.spendshift.policy.Plan;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An approver's change of a proposed plan before approving it: the budgets they name replace the proposed ones,
 * and the result must still be a plan (API.md invariants): every budget within its channel's
 * {@code [min, max]}, locked and held channels at their current budget, the plan's proposed total conserved to the
 * cent (for a pacing plan that is the paced total, not the current one). The pacing block is carried forward
 * unchanged, so each channel's delta is still the shifts into it minus those out of it plus its part of the pacing
 * change; the shifts are recomputed from what remains of the deltas (channels that give paired with channels that
 * take, in channel order) under the rule {@code "Edited by <actor>"}. Every channel of the plan is checked against
 * its lock and bounds as they are now ({@link Guardrails}), the ones the edit does not name too. Pure: the service
 * supplies today's channel lines.
 */
final class ProposalEdit {

    /** Largest budget accepted, as for metrics' money (API.md). */
    static final BigDecimal MAX_BUDGET = new BigDecimal("1000000000000");

    /**
     * A channel of the plan as it is now. {@code held}: why the rules hold it (null: not held); {@code max} null:
     * no upper bound.
     */
    record Line(String channel, BigDecimal current, BigDecimal proposed, BigDecimal min, BigDecimal max,
                boolean locked, String held) {
    }

    /** One asked budget, as posted ({@code index} into the body's {@code allocations}). */
    record Asked(int index, String channel, BigDecimal proposedBudget) {
    }

    private ProposalEdit() {
    }

    /** The rule name of an edited plan's shifts. */
    static String rule(String actor) {
        return "Edited by " + actor;
    }

    /**
     * The edited plan, or {@link InvalidInput} with one error per allocation at fault (field
     * {@code allocations[i].channel} or {@code allocations[i].proposedBudget}, the message naming the channel) or,
     * for a total that moved, one on {@code allocations}.
     */
    static Plan plan(String actor, List<Line> lines, List<Asked> asked) {
        return plan(actor, lines, asked, null);
    }

    /**
     * As {@link #plan(String, List, List)} for a plan with a pacing change ({@code pacing}, null: none): the sum of
     * the proposed budgets is conserved, and the pacing block is kept.
     */
    static Plan plan(String actor, List<Line> lines, List<Asked> asked, Plan.PacingChange pacing) {
        if (asked == null || asked.isEmpty()) {
            throw InvalidInput.of("allocations", "name at least one channel with its proposedBudget");
        }
        Map<String, Line> byChannel = new LinkedHashMap<>();
        lines.forEach(l -> byChannel.put(l.channel(), l));
        Map<String, BigDecimal> next = new LinkedHashMap<>();
        lines.forEach(l -> next.put(l.channel(), l.proposed()));
        Map<String, Integer> seen = new HashMap<>();
        List<FieldError> errors = new ArrayList<>();
        for (Asked a : asked) {
            String at = "allocations[" + a.index() + "]";
            Line l = a.channel() == null ? null : byChannel.get(a.channel());
            if (l == null) {
                errors.add(FieldError.of(at + ".channel", a.channel() == null ? "channel is required"
                        : "channel " + a.channel() + " is not part of this plan"));
                continue;
            }
            if (seen.putIfAbsent(a.channel(), a.index()) != null) {
                errors.add(FieldError.of(at + ".channel", "channel " + a.channel() + " is named twice"));
                continue;
            }
            BigDecimal v = a.proposedBudget();
            String field = at + ".proposedBudget";
            if (v == null) {
                errors.add(FieldError.of(field, "channel " + l.channel() + ": proposedBudget is required"));
            } else if (v.signum() < 0 || v.compareTo(MAX_BUDGET) > 0 || v.stripTrailingZeros().scale() > 2) {
                errors.add(FieldError.of(field, "channel " + l.channel()
                        + ": proposedBudget must be an amount of at least 0 with at most 2 decimals"));
            } else if (v.compareTo(l.current()) != 0 && l.held() != null && !l.locked()) {
                errors.add(FieldError.of(field, "channel " + l.channel() + " is held (" + l.held()
                        + "): its budget stays " + money(l.current())));
            } else {
                String breach = Guardrails.breach(l.channel(), l.current(), v, now(l));
                if (breach != null) {
                    errors.add(FieldError.of(field, breach));
                } else {
                    next.put(l.channel(), v.setScale(2, RoundingMode.UNNECESSARY));
                }
            }
        }
        // every channel of the plan, not only the ones named: one locked (or bounded tighter) since the plan was made
        // must not keep the move the plan gave it
        for (Line l : lines) {
            String why = seen.containsKey(l.channel()) ? null : Guardrails.breach(l.channel(), l.current(), l.proposed(),
                    now(l));
            if (why != null) {
                errors.add(FieldError.of("allocations", why + " (the plan proposes " + money(l.proposed())
                        + " and this edit does not name it: name it with its budget)"));
            }
        }
        if (!errors.isEmpty()) {
            throw InvalidInput.of("The edited plan breaks " + errors.size() + " rule(s) of a plan", errors);
        }
        // the plan's proposed total: the current total, or for a pacing plan the paced one
        BigDecimal total = lines.stream().map(Line::proposed).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal edited = next.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        if (edited.compareTo(total) != 0) {
            BigDecimal diff = edited.subtract(total);
            throw InvalidInput.of("allocations", "the proposed budgets add up to " + money(edited)
                    + ", not the plan's total " + money(total) + " (" + (diff.signum() > 0 ? "+" : "")
                    + money(diff) + "): an edit moves budget between channels, it never adds or removes any");
        }
        boolean unchanged = lines.stream().allMatch(l -> next.get(l.channel()).compareTo(l.proposed()) == 0);
        if (unchanged) {
            throw InvalidInput.of("allocations", "these are the plan's proposed budgets already: nothing to change");
        }
        return build(actor, lines, next, pacing);
    }

    private static Plan build(String actor, List<Line> lines, Map<String, BigDecimal> next, Plan.PacingChange pacing) {
        // each channel's part of the pacing change stays its own: the shifts carry only the rest of its delta
        Map<String, BigDecimal> paced = new HashMap<>();
        if (pacing != null && pacing.channels() != null) {
            pacing.channels().forEach(c -> paced.merge(c.channel(), c.delta(), BigDecimal::add));
        }
        List<Plan.Allocation> allocations = new ArrayList<>();
        List<String> givers = new ArrayList<>();
        List<String> takers = new ArrayList<>();
        Map<String, Long> gap = new HashMap<>();
        for (Line l : lines) {
            BigDecimal current = l.current().setScale(2, RoundingMode.HALF_EVEN);
            BigDecimal proposed = next.get(l.channel()).setScale(2, RoundingMode.HALF_EVEN);
            BigDecimal delta = proposed.subtract(current);
            allocations.add(new Plan.Allocation(l.channel(), current, proposed, delta));
            long cents = delta.subtract(paced.getOrDefault(l.channel(), BigDecimal.ZERO))
                    .setScale(2, RoundingMode.HALF_EVEN).movePointRight(2).longValueExact();
            if (cents < 0) {
                givers.add(l.channel());
                gap.put(l.channel(), -cents);
            } else if (cents > 0) {
                takers.add(l.channel());
                gap.put(l.channel(), cents);
            }
        }
        Map<String, Plan.Allocation> byChannel = new HashMap<>();
        allocations.forEach(a -> byChannel.put(a.channel(), a));
        List<Plan.Shift> shifts = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < givers.size() && j < takers.size()) {
            String from = givers.get(i);
            String to = takers.get(j);
            long m = Math.min(gap.get(from), gap.get(to));
            Plan.Allocation f = byChannel.get(from);
            Plan.Allocation t = byChannel.get(to);
            shifts.add(new Plan.Shift(from, to, BigDecimal.valueOf(m, 2), rule(actor), "changed by " + actor
                    + " before approval: " + from + " " + f.currentBudget() + " → " + f.proposedBudget() + ", " + to
                    + " " + t.currentBudget() + " → " + t.proposedBudget()));
            gap.merge(from, -m, Long::sum);
            gap.merge(to, -m, Long::sum);
            if (gap.get(from) == 0) {
                i++;
            }
            if (gap.get(to) == 0) {
                j++;
            }
        }
        return new Plan(allocations, shifts, List.of(), List.of(), pacing);
    }

    private static Guardrails.Now now(Line l) {
        return new Guardrails.Now(l.locked(), l.min(), l.max());
    }

    private static String money(BigDecimal v) {
        return Guardrails.money(v);
    }
}
