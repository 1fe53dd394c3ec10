package io.spendshift.policy;

import java.math.BigDecimal;
import java.math.RoundingMode;
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

    /**
     * A channel's line for the resolver, taken from the facts before the rules run (the resolver never reads the
     * fact objects the rules saw). {@code max} null means no upper bound; {@code tags} the channel's tags.
     */
    public record Line(String channel, BigDecimal budget, BigDecimal min, BigDecimal max, boolean locked,
                       List<String> tags) {

        public Line(String channel, BigDecimal budget, BigDecimal min, BigDecimal max, boolean locked) {
            this(channel, budget, min, max, locked, List.of());
        }

        public Line {
            tags = tags == null ? List.of() : List.copyOf(tags);
        }

        /** The snapshot of a channel's budget line, to take before the facts go into a session. */
        public static Line of(ChannelFacts c) {
            return new Line(c.getChannel(), c.getDailyBudget(), c.getMinDailyBudget(), c.getMaxDailyBudget(),
                    c.isLocked(), c.getTags());
        }
    }

    /** Everything the rules said that the resolver turns into a plan. */
    public record Outputs(List<ShiftProposal> proposals, List<Trim> trims, List<Boost> boosts,
                          List<SetBudget> setBudgets, List<Cap> caps, List<Floor> floors, List<Flag> flags) {

        public Outputs {
            proposals = nz(proposals);
            trims = nz(trims);
            boosts = nz(boosts);
            setBudgets = nz(setBudgets);
            caps = nz(caps);
            floors = nz(floors);
            flags = nz(flags);
        }

        private static <T> List<T> nz(List<T> l) {
            return l == null ? List.of() : l;
        }
    }

    public static Plan resolve(List<Line> lines, Set<String> held, List<ShiftProposal> proposals, List<Trim> trims,
                               List<Boost> boosts, double maxShiftPct) {
        Map<String, String> holds = new HashMap<>();
        held.forEach(h -> holds.put(h, "held"));
        return resolve(lines, holds, new Outputs(proposals, trims, boosts, null, null, null, null), maxShiftPct);
    }

    /**
     * {@code holds}: the held channels, each with its hold's reason(s). Order: explicit proposals (opposite ones
     * between two channels net out), then targets ({@link SetBudget}), then trims paired with boosts, then caps and
     * floors on shares of the total. Every clamp, drop and conflict becomes an {@link Adjustment} of the plan.
     */
    public static Plan resolve(List<Line> lines, Map<String, String> holds, Outputs outputs, double maxShiftPct) {
        Run run = new Run(maxShiftPct);
        for (Line l : lines) {
            String frozen = l.locked() ? "locked" : holds.containsKey(l.channel())
                    ? "held: " + holds.get(l.channel()) : null;
            run.st.put(l.channel(), new State(l, maxShiftPct, frozen));
        }
        run.proposals(outputs.proposals());
        Set<String> targeted = run.targets(outputs.setBudgets(), outputs.trims(), outputs.boosts());
        run.pairTrimsWithBoosts(outputs.trims(), outputs.boosts(), targeted);
        run.shares(outputs.caps(), outputs.floors());

        List<Plan.Allocation> allocations = new ArrayList<>();
        for (State s : run.st.values()) {
            BigDecimal current = s.line.budget();
            BigDecimal delta = BigDecimal.valueOf(s.delta, 2);
            allocations.add(new Plan.Allocation(s.line.channel(), current.setScale(2), current.add(delta).setScale(2),
                    delta));
        }
        List<Plan.Shift> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : run.shifts.entrySet()) {
            String[] meta = run.meta.get(e.getKey());
            out.add(new Plan.Shift(meta[0], meta[1], BigDecimal.valueOf(e.getValue()[0], 2), meta[2], meta[3]));
        }
        List<Flag> flags = new ArrayList<>(new java.util.LinkedHashSet<>(outputs.flags()));
        flags.sort(Comparator.comparing((Flag f) -> String.valueOf(f.channel())).thenComparing(Flag::severity)
                .thenComparing(f -> String.valueOf(f.message())));
        return new Plan(allocations, out, List.copyOf(run.adjustments), List.copyOf(flags));
    }

    /** One resolution: the channels' states, the shifts so far and the adjustments. */
    private static final class Run {
        final double maxShiftPct;
        final Map<String, State> st = new LinkedHashMap<>();
        final Map<String, long[]> shifts = new LinkedHashMap<>();
        final Map<String, String[]> meta = new HashMap<>();
        final List<Adjustment> adjustments = new ArrayList<>();
        /** What each trimmed channel has already given to fund targets, in cents. */
        final Map<String, Long> trimUsed = new HashMap<>();

        Run(double maxShiftPct) {
            this.maxShiftPct = maxShiftPct;
        }

        void adjust(String rule, String channel, Long asked, long granted, String why) {
            adjustments.add(new Adjustment(rule, channel, asked == null ? null : money(asked), money(granted), why));
        }

        long move(String from, String to, long cents, String rule, String reason) {
            return PlanResolver.move(st, shifts, meta, from, to, cents, rule, reason);
        }

        /** Why a channel cannot move further in one direction. */
        String limit(State s, boolean up) {
            if (s.frozen != null) {
                return s.frozen;
            }
            long bound = up ? s.max - s.budget : s.budget - s.min;
            if (bound <= s.cap) {
                return up ? "no headroom: maximum budget " + money(s.max).toPlainString()
                        : "minimum budget " + money(s.min).toPlainString();
            }
            boolean used = up ? s.delta > 0 : s.delta < 0;
            return "maxShiftPct " + fmtPct(maxShiftPct) + "% of the budget (" + money(s.cap).toPlainString()
                    + " per cycle)" + (used ? ", partly used by other moves" : "");
        }

        // 1. explicit proposals, netted per pair
        void proposals(List<ShiftProposal> proposals) {
            Map<String, List<ShiftProposal>> byPair = new LinkedHashMap<>();
            for (ShiftProposal p : proposals) {
                if (p.from() == null || p.to() == null || p.from().equals(p.to()) || p.amount() == null
                        || p.amount().signum() <= 0) {
                    adjust(p.rule(), p.from(), p.amount() == null ? null : cents(p.amount().max(BigDecimal.ZERO)), 0,
                            "dropped: a shift needs two different channels and an amount above zero");
                    continue;
                }
                if (!st.containsKey(p.from()) || !st.containsKey(p.to())) {
                    adjust(p.rule(), st.containsKey(p.from()) ? p.to() : p.from(), cents(p.amount()), 0,
                            "dropped: unknown channel");
                    continue;
                }
                boolean forward = p.from().compareTo(p.to()) < 0;
                String pair = forward ? p.from() + "\u0000" + p.to() : p.to() + "\u0000" + p.from();
                byPair.computeIfAbsent(pair, k -> new ArrayList<>()).add(p);
            }
            for (List<ShiftProposal> ps : byPair.values()) {
                String a = ps.get(0).from().compareTo(ps.get(0).to()) < 0 ? ps.get(0).from() : ps.get(0).to();
                long fwd = 0;
                long back = 0;
                for (ShiftProposal p : ps) {
                    if (p.from().equals(a)) {
                        fwd += cents(p.amount());
                    } else {
                        back += cents(p.amount());
                    }
                }
                long net = fwd - back;
                String from = net >= 0 ? a : other(ps.get(0), a);
                String to = net >= 0 ? other(ps.get(0), a) : a;
                List<ShiftProposal> winners = ps.stream().filter(p -> p.from().equals(from)).toList();
                List<ShiftProposal> losers = ps.stream().filter(p -> !p.from().equals(from)).toList();
                long offset = Math.min(fwd, back);
                Map<ShiftProposal, Long> granted = new HashMap<>();
                for (ShiftProposal w : winners) {
                    long c = cents(w.amount());
                    long cut = Math.min(c, offset);
                    offset -= cut;
                    granted.put(w, c - cut);
                }
                if (!losers.isEmpty()) {
                    String net$ = money(Math.abs(net)).toPlainString();
                    for (ShiftProposal l : losers) {
                        adjust(l.rule(), l.from(), cents(l.amount()), 0, "conflict: opposite shifts " + to + " -> "
                                + l.from() + " and " + l.from() + " -> " + l.to() + " net to " + from + " -> " + to
                                + " " + net$);
                    }
                    for (ShiftProposal w : winners) {
                        adjust(w.rule(), w.from(), cents(w.amount()), granted.get(w), "conflict: opposite shifts "
                                + w.to() + " -> " + w.from() + " (rules " + rules(losers) + ") net to " + from + " -> "
                                + to + " " + net$);
                    }
                }
                for (ShiftProposal w : winners) {
                    long want = granted.get(w);
                    if (want <= 0) {
                        continue;
                    }
                    State f = st.get(from);
                    State t = st.get(to);
                    long moved = move(from, to, want, w.rule(), w.reason());
                    if (moved < want) {
                        String why = f.canGive() == 0 ? from + ": " + limit(f, false) : to + ": " + limit(t, true);
                        adjust(w.rule(), moved < want && f.canGive() == 0 ? from : to, want, moved, "clamped: " + why);
                    }
                }
            }
        }

        private static String other(ShiftProposal p, String a) {
            return p.from().equals(a) ? p.to() : p.from();
        }

        private static String rules(List<ShiftProposal> ps) {
            return String.join(", ", ps.stream().map(p -> String.valueOf(p.rule())).distinct().toList());
        }

        // 2. targets: each SetBudget walks its channel towards the target within its room
        Set<String> targets(List<SetBudget> setBudgets, List<Trim> trims, List<Boost> boosts) {
            Map<String, SetBudget> chosen = new LinkedHashMap<>();
            for (SetBudget sb : setBudgets) {
                if (sb.channel() == null || !st.containsKey(sb.channel()) || sb.amount() == null
                        || sb.amount().signum() < 0) {
                    adjust(sb.rule(), sb.channel(), sb.amount() == null ? null : cents(sb.amount().max(BigDecimal.ZERO)),
                            0, sb.channel() != null && !st.containsKey(sb.channel()) ? "dropped: unknown channel"
                                    : "dropped: a target needs a channel and an amount of zero or more");
                    continue;
                }
                SetBudget prev = chosen.get(sb.channel());
                if (prev == null) {
                    chosen.put(sb.channel(), sb);
                    continue;
                }
                // conflicting targets: the one nearer the current budget (the more cautious) applies
                BigDecimal budget = st.get(sb.channel()).line.budget();
                boolean nearer = sb.amount().subtract(budget).abs().compareTo(prev.amount().subtract(budget).abs()) < 0;
                SetBudget keep = nearer ? sb : prev;
                SetBudget drop = nearer ? prev : sb;
                chosen.put(sb.channel(), keep);
                if (drop.amount().compareTo(keep.amount()) != 0) {
                    adjust(drop.rule(), drop.channel(), cents(drop.amount()), cents(keep.amount()),
                            "conflict: the target " + keep.amount().setScale(2, RoundingMode.DOWN).toPlainString()
                                    + " of rule " + keep.rule() + " is nearer the current budget and applies");
                }
            }
            for (Trim t : trims) {
                if (chosen.containsKey(t.channel())) {
                    adjust(t.rule(), t.channel(), t.amount() == null ? null : cents(t.amount().max(BigDecimal.ZERO)), 0,
                            "conflict: the channel has a target (SetBudget of rule " + chosen.get(t.channel()).rule()
                                    + "), which applies instead");
                }
            }
            for (Boost b : boosts) {
                if (chosen.containsKey(b.channel())) {
                    adjust(b.rule(), b.channel(), null, 0, "conflict: the channel has a target (SetBudget of rule "
                            + chosen.get(b.channel()).rule() + "), which applies instead");
                }
            }
            List<String[]> downs = new ArrayList<>();
            List<String[]> ups = new ArrayList<>();
            Map<String, long[]> want = new LinkedHashMap<>();
            Map<String, Long> startDelta = new HashMap<>();
            for (SetBudget sb : chosen.values()) {
                State s = st.get(sb.channel());
                startDelta.put(sb.channel(), s.delta);
                long target = cents(sb.amount());
                long clamped = Math.max(s.min, Math.min(s.max, target));
                String why = clamped != target ? "target outside the bounds ["
                        + money(s.min).toPlainString() + ", " + (s.line.max() == null ? "no maximum"
                        : money(s.max).toPlainString()) + "]" : null;
                long d = clamped - (s.budget + s.delta);
                long room = d < 0 ? Math.min(-d, s.canGive()) : Math.min(d, s.canTake());
                if (room < Math.abs(d)) {
                    String lim = limit(s, d > 0);
                    why = why == null ? lim : why + "; " + lim;
                }
                if (why != null) {
                    want.put(sb.channel(), new long[]{room});
                }
                if (room > 0) {
                    (d < 0 ? downs : ups).add(new String[]{sb.channel(), Long.toString(room)});
                }
            }
            // a cut funds a raise
            pair(downs, ups, chosen);
            Set<String> trimmed = new java.util.HashSet<>();
            trims.forEach(t -> trimmed.add(t.channel()));
            Map<String, Double> boosted = new LinkedHashMap<>();
            boosts.forEach(b -> {
                if (b.weight() > 0 && Double.isFinite(b.weight()) && !trimmed.contains(b.channel())) {
                    boosted.merge(b.channel(), b.weight(), Math::max);
                }
            });
            // what a cut frees: boosted channels by weight, then every other channel that may move by budget
            for (String[] dn : downs) {
                long left = Long.parseLong(dn[1]);
                SetBudget sb = chosen.get(dn[0]);
                left -= spread(dn[0], left, false, boosted, chosen.keySet(), trimmed, sb);
                dn[1] = Long.toString(left);
            }
            Map<String, Long> trimAmounts = new LinkedHashMap<>();
            trims.forEach(t -> {
                if (t.amount() != null && t.amount().signum() > 0) {
                    trimAmounts.merge(t.channel(), cents(t.amount()), Math::max);
                }
            });
            for (String[] up : ups) {
                long left = Long.parseLong(up[1]);
                SetBudget sb = chosen.get(up[0]);
                left -= spread(up[0], left, true, trimAmounts.isEmpty() ? Map.of() : toWeights(trimAmounts),
                        chosen.keySet(), boosted.keySet(), sb);
                up[1] = Long.toString(left);
            }
            for (SetBudget sb : chosen.values()) {
                State s = st.get(sb.channel());
                long[] w = want.get(sb.channel());
                long rest = 0;
                for (String[] x : downs) {
                    rest += x[0].equals(sb.channel()) ? Long.parseLong(x[1]) : 0;
                }
                for (String[] x : ups) {
                    rest += x[0].equals(sb.channel()) ? Long.parseLong(x[1]) : 0;
                }
                if (w == null && rest == 0) {
                    continue;
                }
                long start = startDelta.get(sb.channel());
                long asked = Math.abs(cents(sb.amount()) - (s.budget + start));
                long granted = Math.abs(s.delta - start);
                String why = w != null ? "clamped: " + limitsFor(sb, s) : "";
                if (rest > 0) {
                    why = (why.isEmpty() ? "" : why + "; ") + "dropped in part: no other channel could "
                            + (cents(sb.amount()) < s.budget ? "take" : "give") + " " + money(rest).toPlainString();
                }
                adjust(sb.rule(), sb.channel(), asked, granted, why);
            }
            return chosen.keySet();
        }

        private String limitsFor(SetBudget sb, State s) {
            long target = cents(sb.amount());
            long clamped = Math.max(s.min, Math.min(s.max, target));
            List<String> out = new ArrayList<>();
            if (clamped != target) {
                out.add("target outside the bounds [" + money(s.min).toPlainString() + ", "
                        + (s.line.max() == null ? "no maximum" : money(s.max).toPlainString()) + "]");
            }
            if (s.budget + s.delta != clamped) {
                out.add(limit(s, clamped > s.budget));
            }
            return String.join("; ", out);
        }

        private static Map<String, Double> toWeights(Map<String, Long> m) {
            Map<String, Double> w = new LinkedHashMap<>();
            m.forEach((k, v) -> w.put(k, (double) v));
            return w;
        }

        /** Pairs the cuts of targets with the raises of targets, in order. */
        private void pair(List<String[]> downs, List<String[]> ups, Map<String, SetBudget> by) {
            int j = 0;
            for (String[] dn : downs) {
                long give = Long.parseLong(dn[1]);
                while (give > 0 && j < ups.size()) {
                    long take = Long.parseLong(ups.get(j)[1]);
                    SetBudget sb = by.get(dn[0]);
                    long m = move(dn[0], ups.get(j)[0], Math.min(give, take), sb.rule(), sb.reason());
                    give -= m;
                    ups.get(j)[1] = Long.toString(take - m);
                    if (take - m == 0 || m == 0) {
                        j++;
                    }
                }
                dn[1] = Long.toString(give);
            }
        }

        /**
         * Moves up to {@code amount} out of (or, {@code into}, into) a target's channel: first with the preferred
         * channels by weight, then with every other channel that may move, by budget. Returns the amount moved.
         */
        private long spread(String channel, long amount, boolean into, Map<String, Double> preferred,
                            Set<String> exclude, Set<String> alsoExcluded, SetBudget sb) {
            long moved = 0;
            for (int pass = 0; pass < 2 && moved < amount; pass++) {
                List<String> keys = new ArrayList<>();
                List<Double> ws = new ArrayList<>();
                for (State s : st.values()) {
                    String k = s.line.channel();
                    if (k.equals(channel) || exclude.contains(k) || alsoExcluded.contains(k)) {
                        continue;
                    }
                    boolean pref = preferred.containsKey(k);
                    if (pass == 0 && !pref || pass == 1 && pref) {
                        continue;
                    }
                    long room = into ? roomToGive(k) : s.canTake();
                    if (room > 0) {
                        keys.add(k);
                        ws.add(pass == 0 ? preferred.get(k) : Math.max(1, s.budget));
                    }
                }
                if (keys.isEmpty()) {
                    continue;
                }
                long[] cap = new long[keys.size()];
                double[] w = new double[keys.size()];
                long capacity = 0;
                for (int i = 0; i < keys.size(); i++) {
                    cap[i] = into ? roomToGive(keys.get(i)) : st.get(keys.get(i)).canTake();
                    if (into && pass == 0) {
                        cap[i] = Math.min(cap[i], preferredTrimLeft(keys.get(i), preferred));
                    }
                    w[i] = ws.get(i);
                    capacity += cap[i];
                }
                long amt = Math.min(amount - moved, capacity);
                if (amt <= 0) {
                    continue;
                }
                long[] share = waterFill(amt, w, cap);
                for (int i = 0; i < keys.size(); i++) {
                    if (share[i] <= 0) {
                        continue;
                    }
                    long m = into ? move(keys.get(i), channel, share[i], sb.rule(), sb.reason())
                            : move(channel, keys.get(i), share[i], sb.rule(), sb.reason());
                    if (into && pass == 0) {
                        trimUsed.merge(keys.get(i), m, Long::sum);
                    }
                    moved += m;
                }
            }
            return moved;
        }

        private long roomToGive(String k) {
            return st.get(k).canGive();
        }

        private long preferredTrimLeft(String k, Map<String, Double> preferred) {
            return (long) Math.max(0, preferred.get(k) - trimUsed.getOrDefault(k, 0L));
        }

        /**
         * Trims and boosts: each trimmed channel gives what it may (its largest trim, within its room), the total
         * is shared among boosted channels in proportion to their weight as far as their headroom goes
         * (water-filling, largest-remainder cents), and donors and recipients are then paired in order, so a
         * plan has at most donors + recipients - 1 trim shifts: linear, whatever the portfolio's size.
         */
        void pairTrimsWithBoosts(List<Trim> trims, List<Boost> boosts, Set<String> targeted) {
            Map<String, Trim> largest = new LinkedHashMap<>();
            for (Trim t : trims) {
                if (targeted.contains(t.channel())) {
                    continue;
                }
                if (t.amount() == null || t.amount().signum() <= 0) {
                    adjust(t.rule(), t.channel(), null, 0, "dropped: a trim needs an amount above zero");
                    continue;
                }
                if (!st.containsKey(t.channel())) {
                    adjust(t.rule(), t.channel(), cents(t.amount()), 0, "dropped: unknown channel");
                    continue;
                }
                largest.merge(t.channel(), t, (a, b) -> b.amount().compareTo(a.amount()) > 0 ? b : a);
            }
            for (Trim t : trims) {
                Trim kept = largest.get(t.channel());
                if (kept != null && kept != t && !targeted.contains(t.channel()) && t.amount() != null
                        && t.amount().signum() > 0 && !(kept.amount().compareTo(t.amount()) == 0
                        && java.util.Objects.equals(kept.rule(), t.rule()))) {
                    adjust(t.rule(), t.channel(), cents(t.amount()), 0, "conflict: the larger trim of "
                            + kept.amount().setScale(2, RoundingMode.DOWN).toPlainString() + " by rule " + kept.rule()
                            + " applies");
                }
            }
            Map<String, Double> weights = new LinkedHashMap<>();
            Map<String, Boost> firstBoost = new LinkedHashMap<>();
            for (Boost b : boosts) {
                if (targeted.contains(b.channel())) {
                    continue;
                }
                if (!st.containsKey(b.channel())) {
                    adjust(b.rule(), b.channel(), null, 0, "dropped: unknown channel");
                    continue;
                }
                if (!(b.weight() > 0) || !Double.isFinite(b.weight())) {
                    adjust(b.rule(), b.channel(), null, 0, "dropped: a boost needs a finite weight above zero");
                    continue;
                }
                if (largest.containsKey(b.channel())) {
                    Trim t = largest.get(b.channel());
                    adjust(b.rule(), b.channel(), null, 0, "conflict: the channel is also trimmed (rule " + t.rule()
                            + "); the trim wins");
                    continue;
                }
                State s = st.get(b.channel());
                if (s.frozen != null) {
                    adjust(b.rule(), b.channel(), null, 0, "dropped: " + s.frozen);
                    continue;
                }
                weights.merge(b.channel(), b.weight(), Math::max);
                firstBoost.putIfAbsent(b.channel(), b);
            }
            List<Trim> donors = new ArrayList<>(largest.values());
            donors.sort(Comparator.comparing(Trim::amount).reversed().thenComparing(Trim::channel));
            long[] asked = new long[donors.size()];
            long[] give = new long[donors.size()];
            String[] why = new String[donors.size()];
            long total = 0;
            for (int i = 0; i < donors.size(); i++) {
                Trim t = donors.get(i);
                State s = st.get(t.channel());
                asked[i] = cents(t.amount());
                long used = trimUsed.getOrDefault(t.channel(), 0L);
                long want = Math.max(0, asked[i] - used);
                give[i] = Math.min(want, s.canGive());
                if (give[i] < want) {
                    why[i] = "clamped: " + limit(s, false);
                }
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
            long[] out = amount <= 0 ? new long[donors.size()] : amount == total ? give.clone() : scaleDown(give, amount);
            if (amount > 0) {
                long[] take = waterFill(amount, w, cap);
                long[] left = out.clone();
                int j = 0;
                for (int i = 0; i < donors.size(); i++) {
                    Trim t = donors.get(i);
                    while (left[i] > 0 && j < recipients.size()) {
                        long m = Math.min(left[i], take[j]);
                        long moved = move(t.channel(), recipients.get(j), m, t.rule(), t.reason());
                        left[i] -= moved;
                        take[j] -= moved;
                        if (take[j] == 0 || moved == 0) {
                            j++;
                        }
                    }
                    out[i] -= left[i];
                }
            }
            for (int i = 0; i < donors.size(); i++) {
                Trim t = donors.get(i);
                long used = trimUsed.getOrDefault(t.channel(), 0L);
                long granted = out[i] + used;
                if (granted >= asked[i]) {
                    continue;
                }
                List<String> reasons = new ArrayList<>();
                if (why[i] != null) {
                    reasons.add(why[i]);
                }
                if (out[i] < give[i]) {
                    reasons.add(recipients.isEmpty() ? "dropped: no recipient (no channel is boosted)"
                            : "dropped in part: the boosted channels' room (headroom, maxShiftPct) took "
                            + money(amount).toPlainString() + " of the " + money(total).toPlainString() + " trimmed");
                }
                adjust(t.rule(), t.channel(), asked[i], granted, reasons.isEmpty() ? "clamped" : String.join("; ", reasons));
            }
        }

        // 4. caps and floors on shares of the total
        void shares(List<Cap> caps, List<Floor> floors) {
            long total = 0;
            for (State s : st.values()) {
                total += s.budget;
            }
            if (total <= 0) {
                return;
            }
            for (Cap c : caps) {
                share(c.rule(), c.reason(), c.channel(), c.tag(), c.scope(), c.pct(), true, total, false);
            }
            for (Floor f : floors) {
                share(f.rule(), f.reason(), f.channel(), f.tag(), f.scope(), f.pct(), false, total, false);
            }
            if (!floors.isEmpty()) {
                for (Cap c : caps) {
                    share(c.rule(), c.reason(), c.channel(), c.tag(), c.scope(), c.pct(), true, total, true);
                }
            }
        }

        private void share(String rule, String reason, String channel, String tag, String scope, double pct,
                           boolean cap, long total, boolean checkOnly) {
            String what = cap ? "cap" : "floor";
            if (!(pct >= 0 && pct <= 100) || (channel == null) == (tag == null)) {
                if (!checkOnly) {
                    adjust(rule, scope, null, 0, "dropped: a " + what
                            + " needs one channel or one tag (the other null) and a percentage from 0 to 100");
                }
                return;
            }
            List<String> in = new ArrayList<>();
            List<String> outside = new ArrayList<>();
            for (State s : st.values()) {
                boolean member = channel != null ? s.line.channel().equals(channel) : s.line.tags().contains(tag);
                (member ? in : outside).add(s.line.channel());
            }
            if (in.isEmpty()) {
                if (!checkOnly) {
                    adjust(rule, scope, null, 0, "dropped: " + (channel != null ? "unknown channel"
                            : "no channel carries the tag " + tag));
                }
                return;
            }
            long now = 0;
            for (String k : in) {
                now += st.get(k).budget + st.get(k).delta;
            }
            long limit = cap ? (long) Math.floor(total * pct / 100.0) : (long) Math.ceil(total * pct / 100.0);
            long gap = cap ? now - limit : limit - now;
            if (gap <= 0) {
                return;
            }
            String shareNow = fmtPct(100.0 * now / total);
            if (checkOnly) {
                adjust(rule, scope, gap, 0, "conflict: the floors put " + scope + " at " + shareNow
                        + "% of the total, above its cap of " + fmtPct(pct) + "%");
                return;
            }
            List<String> donors = cap ? in : outside;
            List<String> takers = cap ? outside : in;
            long moved = pairByBudget(donors, takers, gap, rule, reason);
            String why = scope + " is " + shareNow + "% of the total, " + (cap ? "above its cap of " : "below its floor of ")
                    + fmtPct(pct) + "%";
            if (moved < gap) {
                why += "; moved " + money(moved).toPlainString() + " this cycle, the rest is beyond what the channels may "
                        + "move (maxShiftPct, bounds, holds)";
            }
            adjust(rule, scope, gap, moved, why);
        }

        /** Moves up to {@code amount} from donors to takers, each side in proportion to budget within its room. */
        private long pairByBudget(List<String> donors, List<String> takers, long amount, String rule, String reason) {
            long[] give = new long[donors.size()];
            double[] wg = new double[donors.size()];
            long supply = 0;
            for (int i = 0; i < donors.size(); i++) {
                give[i] = st.get(donors.get(i)).canGive();
                wg[i] = Math.max(1, st.get(donors.get(i)).budget);
                supply += give[i];
            }
            long[] take = new long[takers.size()];
            double[] wt = new double[takers.size()];
            long demand = 0;
            for (int j = 0; j < takers.size(); j++) {
                take[j] = st.get(takers.get(j)).canTake();
                wt[j] = Math.max(1, st.get(takers.get(j)).budget);
                demand += take[j];
            }
            long amt = Math.min(amount, Math.min(supply, demand));
            if (amt <= 0) {
                return 0;
            }
            long[] g = waterFill(amt, wg, give);
            long[] t = waterFill(amt, wt, take);
            long moved = 0;
            int j = 0;
            for (int i = 0; i < donors.size(); i++) {
                while (g[i] > 0 && j < takers.size()) {
                    long m = move(donors.get(i), takers.get(j), Math.min(g[i], t[j]), rule, reason);
                    g[i] -= m;
                    t[j] -= m;
                    moved += m;
                    if (t[j] == 0 || m == 0) {
                        j++;
                    }
                }
            }
            return moved;
        }
    }

    static BigDecimal money(long cents) {
        return BigDecimal.valueOf(cents, 2);
    }

    static String fmtPct(double d) {
        double r = Math.round(d * 10) / 10.0;
        return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
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
        final long budget;
        final long min;
        final long max;
        final long cap;
        /** Why the channel may not move ("locked", "held: ..."), null when it may. */
        final String frozen;
        final long maxDown;
        final long maxUp;
        long delta;

        State(Line line, double maxShiftPct, String frozen) {
            this.line = line;
            this.frozen = frozen;
            this.budget = cents(line.budget());
            this.cap = frozen != null ? 0 : (long) Math.floor(budget * maxShiftPct / 100.0);
            this.min = line.min() == null ? 0 : cents(line.min());
            this.max = line.max() == null ? Long.MAX_VALUE / 4 : cents(line.max());
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
