package io.spendshift.policy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
 * {@link Trim}s paired with {@link Boost}s: the budget trimmed is shared among boosted channels in proportion
 * to their weight (largest-remainder rounding), as far as their headroom goes.
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

        // 2. trims paired with boosts
        pairTrimsWithBoosts(st, shifts, shiftMeta, trims, boosts);

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

    /**
     * Trims and boosts: each trimmed channel gives what it may (its largest trim, within its room), the total
     * is shared among boosted channels in proportion to their weight as far as their headroom goes
     * (water-filling, largest-remainder cents), and donors and recipients are then paired in order, so a
     * plan has at most donors + recipients - 1 trim shifts: linear, whatever the portfolio's size.
     */
    private static void pairTrimsWithBoosts(Map<String, State> st, Map<String, long[]> shifts, Map<String, String[]> meta,
                                            List<Trim> trims, List<Boost> boosts) {
        Map<String, Trim> largest = new LinkedHashMap<>();
        for (Trim t : trims) {
            if (t.amount() != null && t.amount().signum() > 0 && st.containsKey(t.channel())) {
                largest.merge(t.channel(), t, (a, b) -> b.amount().compareTo(a.amount()) > 0 ? b : a);
            }
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        for (Boost b : boosts) {
            if (b.weight() > 0 && Double.isFinite(b.weight()) && st.containsKey(b.channel())
                    && !largest.containsKey(b.channel())) {
                weights.merge(b.channel(), b.weight(), Math::max);
            }
        }
        List<Trim> donors = new ArrayList<>(largest.values());
        donors.sort(Comparator.comparing(Trim::amount).reversed().thenComparing(Trim::channel));
        long[] give = new long[donors.size()];
        long total = 0;
        for (int i = 0; i < donors.size(); i++) {
            give[i] = Math.min(cents(donors.get(i).amount()), st.get(donors.get(i).channel()).canGive());
            total += give[i];
        }
        List<String> recipients = new ArrayList<>(weights.keySet());
        recipients.sort(Comparator.comparing((String k) -> weights.get(k)).reversed().thenComparing(k -> k));
        long[] cap = new long[recipients.size()];
        double[] w = new double[recipients.size()];
        long capacity = 0;
        for (int j = 0; j < recipients.size(); j++) {
            cap[j] = st.get(recipients.get(j)).canTake();
            w[j] = weights.get(recipients.get(j));
            capacity += cap[j];
        }
        long amount = Math.min(total, capacity);
        if (amount <= 0) {
            return;
        }
        long[] take = waterFill(amount, w, cap);
        long[] out = amount == total ? give : scaleDown(give, amount);
        int j = 0;
        for (int i = 0; i < donors.size(); i++) {
            Trim t = donors.get(i);
            while (out[i] > 0 && j < recipients.size()) {
                long m = Math.min(out[i], take[j]);
                long moved = move(st, shifts, meta, t.channel(), recipients.get(j), m, t.rule(), t.reason());
                out[i] -= moved;
                take[j] -= moved;
                if (take[j] == 0 || moved == 0) {
                    j++;
                }
            }
        }
    }

    /** Shares {@code amount} cents by weight, no share above its cap; the shares add up to {@code amount}. */
    static long[] waterFill(long amount, double[] weight, long[] cap) {
        int n = weight.length;
        long[] share = new long[n];
        boolean[] fixed = new boolean[n];
        long left = amount;
        while (left > 0) {
            double wsum = 0;
            for (int i = 0; i < n; i++) {
                if (!fixed[i]) {
                    wsum += weight[i];
                }
            }
            if (wsum <= 0) {
                break;
            }
            boolean capped = false;
            for (int i = 0; i < n; i++) {
                if (!fixed[i] && left * weight[i] / wsum >= cap[i] - share[i]) {
                    left -= cap[i] - share[i];
                    share[i] = cap[i];
                    fixed[i] = true;
                    capped = true;
                }
            }
            if (capped) {
                continue;
            }
            long[] part = largestRemainder(left, weight, fixed);
            for (int i = 0; i < n; i++) {
                share[i] += part[i];
            }
            left = 0;
        }
        return share;
    }

    private static long[] largestRemainder(long amount, double[] weight, boolean[] skip) {
        int n = weight.length;
        double wsum = 0;
        for (int i = 0; i < n; i++) {
            if (!skip[i]) {
                wsum += weight[i];
            }
        }
        long[] part = new long[n];
        double[] frac = new double[n];
        long given = 0;
        for (int i = 0; i < n; i++) {
            if (skip[i]) {
                frac[i] = -1;
                continue;
            }
            double exact = amount * weight[i] / wsum;
            part[i] = (long) Math.floor(exact);
            frac[i] = exact - part[i];
            given += part[i];
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(frac[y], frac[x]));
        for (int k = 0; given < amount && k < n; k++) {
            if (!skip[order[k]]) {
                part[order[k]]++;
                given++;
            }
        }
        return part;
    }

    /** Scales donors' gives down to {@code amount} in proportion, in whole cents. */
    private static long[] scaleDown(long[] give, long amount) {
        double[] w = new double[give.length];
        for (int i = 0; i < give.length; i++) {
            w[i] = give[i];
        }
        return waterFill(amount, w, give);
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
