package io.spendshift.policy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the rules' proposals into a feasible plan (DESIGN.md step 4). It is the one place that enforces the
 * invariants of API.md: the total is conserved to the cent, every budget stays in {@code [min, max]}, no
 * channel moves by more than {@code maxShiftPct} of its budget, held and locked channels do not move, and the
 * shifts into a channel minus those out of it equal its delta. It works in whole cents, so nothing is lost
 * to rounding.
 *
 * <p>Order: explicit {@link ShiftProposal}s first (opposite proposals between two channels net out), then
 * {@link Trim}s, largest first, each spread over the {@link Boost}ed channels in proportion to their weight
 * (largest-remainder rounding), as far as their headroom goes.
 */
public final class PlanResolver {

    private PlanResolver() {
    }

    /** A channel's line for the resolver. {@code max} null means no upper bound. */
    public record Line(String channel, BigDecimal budget, BigDecimal min, BigDecimal max, boolean locked) {
    }

    public static Plan resolve(List<Line> lines, Set<String> held, List<ShiftProposal> proposals, List<Trim> trims,
                               List<Boost> boosts, double maxShiftPct) {
        Map<String, State> st = new LinkedHashMap<>();
        for (Line l : lines) {
            st.put(l.channel(), new State(l, maxShiftPct, held.contains(l.channel()) || l.locked()));
        }
        Map<String, long[]> shifts = new LinkedHashMap<>();
        Map<String, String[]> shiftMeta = new HashMap<>();

        // 1. explicit proposals, netted per pair
        Map<String, Long> net = new LinkedHashMap<>();
        Map<String, ShiftProposal> firstOfPair = new HashMap<>();
        for (ShiftProposal p : proposals) {
            if (p.from() == null || p.to() == null || p.from().equals(p.to()) || p.amount() == null
                    || p.amount().signum() <= 0) {
                continue;
            }
            boolean forward = p.from().compareTo(p.to()) < 0;
            String pair = forward ? p.from() + "\u0000" + p.to() : p.to() + "\u0000" + p.from();
            long cents = cents(p.amount());
            net.merge(pair, forward ? cents : -cents, Long::sum);
            firstOfPair.putIfAbsent(pair + (forward ? ">" : "<"), p);
        }
        for (Map.Entry<String, Long> e : net.entrySet()) {
            String[] ab = e.getKey().split("\u0000");
            long amount = e.getValue();
            String from = amount >= 0 ? ab[0] : ab[1];
            String to = amount >= 0 ? ab[1] : ab[0];
            ShiftProposal origin = firstOfPair.get(e.getKey() + (amount >= 0 ? ">" : "<"));
            move(st, shifts, shiftMeta, from, to, Math.abs(amount), origin == null ? null : origin.rule(),
                    origin == null ? null : origin.reason());
        }

        // 2. trims spread over boosts
        List<Boost> recipients = boosts.stream().filter(b -> b.weight() > 0 && st.containsKey(b.channel())).toList();
        List<Trim> ordered = new ArrayList<>(trims);
        ordered.sort(Comparator.comparing(Trim::amount).reversed().thenComparing(Trim::channel));
        Set<String> trimmed = new HashSet<>();
        for (Trim t : ordered) {
            State from = st.get(t.channel());
            if (from == null || !trimmed.add(t.channel()) || t.amount() == null || t.amount().signum() <= 0) {
                continue;
            }
            long want = Math.min(cents(t.amount()), from.canGive());
            spread(st, shifts, shiftMeta, t, want, recipients);
        }

        // 3. the plan
        List<Plan.Allocation> allocations = new ArrayList<>();
        for (State s : st.values()) {
            BigDecimal current = s.line.budget();
            BigDecimal delta = BigDecimal.valueOf(s.delta, 2);
            allocations.add(new Plan.Allocation(s.line.channel(), current.setScale(2), current.add(delta).setScale(2),
                    delta));
        }
        List<Plan.Shift> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : shifts.entrySet()) {
            String[] meta = shiftMeta.get(e.getKey());
            out.add(new Plan.Shift(meta[0], meta[1], BigDecimal.valueOf(e.getValue()[0], 2), meta[2], meta[3]));
        }
        return new Plan(allocations, out);
    }

    private static void spread(Map<String, State> st, Map<String, long[]> shifts, Map<String, String[]> meta,
                               Trim t, long want, List<Boost> recipients) {
        // water-filling: hand out in proportion to weight; a recipient that fills up drops out
        List<Boost> open = new ArrayList<>(recipients.stream()
                .filter(b -> !b.channel().equals(t.channel()) && st.get(b.channel()).canTake() > 0).toList());
        long remaining = Math.min(want, st.get(t.channel()).canGive());
        while (remaining > 0 && !open.isEmpty()) {
            double total = open.stream().mapToDouble(Boost::weight).sum();
            long[] share = new long[open.size()];
            double[] frac = new double[open.size()];
            long given = 0;
            for (int i = 0; i < open.size(); i++) {
                double exact = remaining * open.get(i).weight() / total;
                share[i] = (long) Math.floor(exact);
                frac[i] = exact - share[i];
                given += share[i];
            }
            Integer[] order = new Integer[open.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (x, y) -> Double.compare(frac[y], frac[x]));
            for (int k = 0; given < remaining && k < order.length; k++, given++) {
                share[order[k]]++;
            }
            long movedThisRound = 0;
            List<Boost> full = new ArrayList<>();
            for (int i = 0; i < open.size(); i++) {
                Boost b = open.get(i);
                long moved = move(st, shifts, meta, t.channel(), b.channel(), share[i], t.rule(), t.reason());
                movedThisRound += moved;
                if (st.get(b.channel()).canTake() == 0) {
                    full.add(b);
                }
            }
            remaining -= movedThisRound;
            remaining = Math.min(remaining, st.get(t.channel()).canGive());
            if (movedThisRound == 0 && full.isEmpty()) {
                break;
            }
            open.removeAll(full);
        }
    }

    /** Moves up to {@code cents} from one channel to another within both channels' limits; returns the amount moved. */
    private static long move(Map<String, State> st, Map<String, long[]> shifts, Map<String, String[]> meta,
                             String fromKey, String toKey, long cents, String rule, String reason) {
        State from = st.get(fromKey);
        State to = st.get(toKey);
        if (from == null || to == null || cents <= 0) {
            return 0;
        }
        long amount = Math.min(cents, Math.min(from.canGive(), to.canTake()));
        if (amount <= 0) {
            return 0;
        }
        from.delta -= amount;
        to.delta += amount;
        String key = fromKey + "\u0000" + toKey + "\u0000" + rule;
        shifts.computeIfAbsent(key, k -> new long[1])[0] += amount;
        meta.putIfAbsent(key, new String[]{fromKey, toKey, rule, reason});
        return amount;
    }

    static long cents(BigDecimal v) {
        return v.movePointRight(2).setScale(0, java.math.RoundingMode.DOWN).longValueExact();
    }

    /** A channel's room to move in whole cents: what it may give up and take on from its starting budget. */
    private static final class State {
        final Line line;
        final long maxDown;
        final long maxUp;
        long delta;

        State(Line line, double maxShiftPct, boolean frozen) {
            this.line = line;
            long budget = cents(line.budget());
            long cap = frozen ? 0 : (long) Math.floor(budget * maxShiftPct / 100.0);
            long min = line.min() == null ? 0 : cents(line.min());
            long max = line.max() == null ? Long.MAX_VALUE / 4 : cents(line.max());
            this.maxDown = Math.max(0, Math.min(cap, budget - min));
            this.maxUp = Math.max(0, Math.min(cap, max - budget));
        }

        /** The delta stays within [-maxDown, maxUp]; this is how far it can still go down. */
        long canGive() {
            return Math.max(0, delta + maxDown);
        }

        /** How far the delta can still go up. */
        long canTake() {
            return Math.max(0, maxUp - delta);
        }
    }
}
