package io.spendshift.planning;

import io.spendshift.policy.Plan;
import io.spendshift.policy.PlanResolver;
import io.spendshift.policy.PortfolioFacts;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pacing step of the cycle: when the portfolio's bounded daily target ({@link PortfolioFacts#getDailyTarget()})
 * differs from the current total daily budget by more than the tolerance, the plan changes the total. The change is
 * spread by the response model's marginal values: more budget goes to the highest marginal value first, cuts come
 * from the lowest first, every channel within {@code [min, max]} and within {@code maxShiftPct} of its current
 * budget (counting the plan's shifts), locked and held channels untouched, to the cent. Shifts between channels stay
 * as the policy made them; the pacing change is in the allocations' deltas and in {@link Plan#pacing()}.
 */
public final class Pacer {

    /** The relative tolerance: a total within 1% of the target is left alone (noise is not a signal). */
    public static final BigDecimal TOLERANCE_SHARE = new BigDecimal("0.01");
    /** The absolute tolerance: one currency unit. */
    public static final BigDecimal TOLERANCE_UNITS = BigDecimal.ONE;

    private static final BigDecimal CENT = new BigDecimal("0.01");

    private Pacer() {
    }

    /** The tolerance around the current total: the larger of 1% of it and one currency unit. */
    public static BigDecimal tolerance(BigDecimal total) {
        return total.multiply(TOLERANCE_SHARE).max(TOLERANCE_UNITS);
    }

    /**
     * {@code plan} with the pacing change applied, or {@code plan} itself when the portfolio is not paced, the
     * target is within the tolerance, or no channel can move. {@code marginal}: each channel's marginal value per
     * unit of spend (absent: unknown, moved last).
     */
    public static Plan pace(Plan plan, PortfolioFacts p, List<PlanResolver.Line> lines, Set<String> held,
                            Map<String, Double> marginal, double maxShiftPct) {
        if (!p.isPacing() || p.getDailyTarget() == null) {
            return plan;
        }
        BigDecimal before = BigDecimal.ZERO;
        for (Plan.Allocation a : plan.allocations()) {
            before = before.add(a.proposedBudget());
        }
        BigDecimal wanted = p.getDailyTarget().subtract(before).setScale(2, RoundingMode.HALF_EVEN);
        if (wanted.abs().compareTo(tolerance(before)) <= 0) {
            return plan;
        }
        boolean up = wanted.signum() > 0;
        Map<String, PlanResolver.Line> byChannel = new LinkedHashMap<>();
        for (PlanResolver.Line l : lines) {
            byChannel.put(l.channel(), l);
        }
        double share = maxShiftPct / 100.0;
        record Room(int index, String channel, double marginal, BigDecimal room, boolean against) {
        }
        List<Room> rooms = new ArrayList<>();
        List<Plan.Allocation> allocations = plan.allocations();
        for (int i = 0; i < allocations.size(); i++) {
            Plan.Allocation a = allocations.get(i);
            PlanResolver.Line l = byChannel.get(a.channel());
            if (l == null || l.locked() || held.contains(a.channel())) {
                continue;
            }
            BigDecimal current = a.currentBudget();
            BigDecimal step = current.multiply(BigDecimal.valueOf(share)).setScale(2, RoundingMode.DOWN);
            BigDecimal room;
            if (up) {
                BigDecimal top = current.add(step);
                if (l.max() != null) {
                    top = top.min(l.max());
                }
                room = top.subtract(a.proposedBudget());
            } else {
                BigDecimal bottom = current.subtract(step).max(l.min() == null ? BigDecimal.ZERO : l.min());
                room = a.proposedBudget().subtract(bottom);
            }
            room = room.setScale(2, RoundingMode.DOWN);
            if (room.signum() > 0) {
                Double m = marginal.get(a.channel());
                // against the policy: more budget where the rules took some away, or a cut where they added
                boolean against = up ? a.delta().signum() < 0 : a.delta().signum() > 0;
                rooms.add(new Room(i, a.channel(), m == null || !Double.isFinite(m) ? Double.NaN : m, room, against));
            }
        }
        // unknown marginal values go last either way: pacing prefers channels whose response it knows
        // channels the policy moved the other way go last: pacing does not undo the policy's shifts if it can help it
        Comparator<Room> known = Comparator.<Room, Boolean>comparing(Room::against)
                .thenComparing(r -> Double.isNaN(r.marginal()));
        Comparator<Room> byValue = Comparator.comparingDouble(r -> Double.isNaN(r.marginal()) ? 0 : r.marginal());
        rooms.sort(known.thenComparing(up ? byValue.reversed() : byValue).thenComparing(Room::channel));
        BigDecimal left = wanted.abs();
        Map<Integer, BigDecimal> change = new LinkedHashMap<>();
        for (Room r : rooms) {
            if (left.compareTo(CENT) < 0) {
                break;
            }
            BigDecimal take = r.room().min(left);
            change.put(r.index(), up ? take : take.negate());
            left = left.subtract(take);
        }
        if (change.isEmpty()) {
            return plan;
        }
        List<Plan.Allocation> out = new ArrayList<>(allocations.size());
        List<Plan.ChannelChange> parts = new ArrayList<>();
        BigDecimal after = BigDecimal.ZERO;
        for (int i = 0; i < allocations.size(); i++) {
            Plan.Allocation a = allocations.get(i);
            BigDecimal c = change.get(i);
            if (c == null) {
                out.add(a);
            } else {
                BigDecimal proposed = a.proposedBudget().add(c);
                out.add(new Plan.Allocation(a.channel(), a.currentBudget(), proposed,
                        proposed.subtract(a.currentBudget())));
                parts.add(new Plan.ChannelChange(a.channel(), c));
            }
            after = after.add(out.get(i).proposedBudget());
        }
        BigDecimal totalBefore = BigDecimal.ZERO;
        for (Plan.Allocation a : allocations) {
            totalBefore = totalBefore.add(a.currentBudget());
        }
        Plan.PacingChange pacing = new Plan.PacingChange(p.getPeriodKind(),
                new Plan.Dates(p.getPeriodFrom(), p.getPeriodTo()), cents(p.getPeriodBudget()),
                cents(p.getSpendToDate()), cents(p.getExpectedSpendToDate()),
                p.getPace() == null ? null : Math.round(p.getPace() * 10000) / 10000.0, p.getDaysLeft(),
                cents(p.getPacedDailyTotal()), cents(p.getDailyTarget()), cents(totalBefore), cents(after), parts);
        return new Plan(out, plan.shifts(), plan.adjustments(), plan.flags(), pacing);
    }

    private static BigDecimal cents(BigDecimal v) {
        return v == null ? null : v.setScale(2, RoundingMode.HALF_EVEN);
    }
}
