package io.spendshift.explain;

import io.spendshift.learning.Forecast;
import io.spendshift.policy.Plan;
import io.spendshift.rules.engine.Evaluation.Firing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The words of a recommendation for the people who review it: a sentence per shift (channel names, the
 * portfolio's currency, the marginal values that motivate it), a summary paragraph (what moves, why, the forecast,
 * pacing, held channels) and explanation entries with a title, a readable text and whether they are internal
 * (shown behind a disclosure) or mattered to the plan. Plain Java: the facts come in as snapshots.
 */
public final class Narrator {

    /** The rule name of the pacing step's explanation entry. */
    public static final String PACING_RULE = "Pace the total daily budget to the budget plan";
    /** The rule name of the exploration step's shifts (as {@code io.spendshift.learning.Exploration.RULE}). */
    private static final String EXPLORATION_RULE = io.spendshift.learning.Exploration.RULE;

    private Narrator() {
    }

    /**
     * A channel as the words need it: name, kind, marginal value per unit of spend and its confidence (0..1), and
     * what its value rests on ({@code OUTCOMES}, {@code METRICS}, {@code REVENUE}; null when not known).
     */
    public record ChannelInfo(String key, String name, String kind, Double marginal, Double confidence,
                              String valueSource) {

        public ChannelInfo(String key, String name, String kind, Double marginal, Double confidence) {
            this(key, name, kind, marginal, confidence, null);
        }
    }


    /** What the words of one recommendation know: currency, channels by key, held channels with their reasons. */
    public record Context(Wording money, Map<String, ChannelInfo> channels, Map<String, String> holds) {

        public Context {
            channels = channels == null ? Map.of() : channels;
            holds = holds == null ? Map.of() : holds;
        }

        public String name(String key) {
            ChannelInfo c = channels.get(key);
            return c == null || c.name() == null || c.name().isBlank() ? key : c.name();
        }

        Set<String> kinds() {
            Set<String> out = new LinkedHashSet<>();
            channels.values().forEach(c -> out.add(c.kind()));
            return out;
        }
    }

    /** The shifts as stored and shown: {@code from, to, amount, rule, reason} and the {@code sentence}. */
    public static List<Map<String, Object>> shifts(List<Plan.Shift> shifts, Context ctx) {
        List<Map<String, Object>> out = new ArrayList<>(shifts.size());
        for (Plan.Shift s : shifts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("from", s.from());
            m.put("to", s.to());
            m.put("amount", s.amount());
            m.put("rule", s.rule());
            m.put("reason", s.reason());
            m.put("sentence", sentence(s, ctx));
            out.add(m);
        }
        return out;
    }

    /**
     * "Move €600/day from Meta prospecting to Non-brand search: the next euro there buys €0.30 of long-term value,
     * here €5.67; confidence 55% and 40%".
     */
    public static String sentence(Plan.Shift s, Context ctx) {
        Wording w = ctx.money();
        String head = "Move " + w.money(s.amount()) + "/day from " + ctx.name(s.from()) + " to " + ctx.name(s.to());
        if (EXPLORATION_RULE.equals(s.rule())) {
            return head + ": a small designed experiment to learn how these channels respond to budget"
                    + (s.reason() == null || s.reason().isBlank() ? "" : " (" + s.reason() + ")");
        }
        ChannelInfo from = ctx.channels().get(s.from());
        ChannelInfo to = ctx.channels().get(s.to());
        if (s.rule() != null && s.rule().startsWith("Edited by ")) {
            return head + ": changed by " + s.rule().substring("Edited by ".length()) + " before approval";
        }
        if (s.rule() != null && s.rule().startsWith("Revert recommendation")) {
            return head + ": " + s.rule().replace("Revert recommendation", "undo recommendation");
        }
        if (from != null && to != null && from.marginal() != null && to.marginal() != null) {
            String text = head + ": the next " + w.unit() + " there buys " + w.perUnit(from.marginal())
                    + " of long-term value" + ValueSources.note(from) + ", here " + w.perUnit(to.marginal()) + ValueSources.note(to);
            if (from.confidence() != null && to.confidence() != null) {
                text += "; confidence " + Wording.percent(from.confidence()) + " and " + Wording.percent(to.confidence());
            }
            return text;
        }
        return head + (s.reason() == null || s.reason().isBlank() ? "" : ": " + s.reason());
    }

    /** A short paragraph: what moves, why, the forecast, pacing, held channels. */
    public static String summary(Plan plan, Forecast forecast, Context ctx) {
        Wording w = ctx.money();
        StringBuilder b = new StringBuilder();
        Map<String, BigDecimal> net = new LinkedHashMap<>();
        BigDecimal moved = BigDecimal.ZERO;
        boolean exploring = false;
        for (Plan.Shift s : plan.shifts()) {
            net.merge(s.from(), s.amount().negate(), BigDecimal::add);
            net.merge(s.to(), s.amount(), BigDecimal::add);
            moved = moved.add(s.amount());
            exploring |= EXPLORATION_RULE.equals(s.rule());
        }
        List<String> gives = new ArrayList<>();
        List<String> gets = new ArrayList<>();
        net.forEach((c, d) -> {
            if (d.signum() < 0) {
                gives.add(ctx.name(c) + " (" + w.signed(d) + ")");
            } else if (d.signum() > 0) {
                gets.add(ctx.name(c) + " (" + w.signed(d) + ")");
            }
        });
        if (!plan.shifts().isEmpty()) {
            b.append("Moves ").append(w.money(moved)).append("/day");
            if (!gives.isEmpty() && !gets.isEmpty()) {
                b.append(" from ").append(join(gives)).append(" to ").append(join(gets));
            }
            b.append(exploring && plan.shifts().stream().allMatch(s -> EXPLORATION_RULE.equals(s.rule()))
                    ? ", small designed experiments to learn how these channels respond."
                    : ", where the next " + w.unit() + " buys more long-term value.");
            String sources = ValueSources.sentence(net.keySet(), ctx);
            if (!sources.isEmpty()) {
                b.append(' ').append(sources);
            }
        }
        Plan.PacingChange p = plan.pacing();
        if (p != null) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(pacingText(p, ctx)).append('.');
        }
        if (forecast != null) {
            if (forecast.available() && forecast.valuePerDay() != null) {
                b.append(" Expected ").append(w.signed(forecast.valuePerDay().expected())).append("/day (")
                        .append(Math.round((forecast.level() == null ? Forecast.LEVEL : forecast.level()) * 100))
                        .append("%: ").append(w.signed(forecast.valuePerDay().low())).append(" to ")
                        .append(w.signed(forecast.valuePerDay().high())).append(").");
            } else if (!forecast.available()) {
                b.append(" No forecast: ").append(forecast.unavailable()).append('.');
            }
        }
        if (!ctx.holds().isEmpty()) {
            List<String> held = new ArrayList<>();
            ctx.holds().forEach((c, why) -> held.add(ctx.name(c) + " (" + why + ")"));
            b.append(" Held: ").append(String.join("; ", held)).append('.');
        }
        return b.toString().trim();
    }

    /** "Pacing: the month's budget €90,000 ... the total daily budget goes from €3,200 to €2,950". */
    static String pacingText(Plan.PacingChange p, Context ctx) {
        Wording w = ctx.money();
        String period = "FLIGHT".equals(p.periodKind()) ? "the flight " + p.period().from() + " to " + p.period().to()
                : "the month " + p.period().from().getMonth().getDisplayName(java.time.format.TextStyle.FULL,
                java.util.Locale.ENGLISH) + " " + p.period().from().getYear();
        StringBuilder b = new StringBuilder("Pacing: ").append(period).append(" has a budget of ")
                .append(w.money(p.budget())).append(", ").append(w.money(p.spentToDate())).append(" spent so far");
        if (p.pace() != null) {
            b.append(" (pace ").append(Wording.ratio(p.pace())).append(p.pace() > 1 ? ", ahead of plan)" : ", behind plan)");
        }
        b.append("; ").append(p.daysLeft()).append(p.daysLeft() == 1 ? " day" : " days").append(" left call for ")
                .append(w.money(p.pacedDailyTotal())).append("/day, so the total daily budget goes from ")
                .append(w.money(p.totalBefore())).append(" to ").append(w.money(p.totalAfter()));
        if (p.totalAfter().compareTo(p.dailyTarget()) != 0) {
            b.append(" (target ").append(w.money(p.dailyTarget())).append(", as far as the channels' bounds allow)");
        }
        List<String> parts = new ArrayList<>();
        for (Plan.ChannelChange c : p.channels()) {
            parts.add(ctx.name(c.channel()) + " " + w.signed(c.delta()));
        }
        if (!parts.isEmpty()) {
            b.append(": ").append(String.join(", ", parts));
        }
        return b.toString();
    }

    /**
     * The explanation entries: {@code rule, title, text, internal, facts} per firing (facts rounded, money with the
     * currency), plus one for the pacing step. Only firings on channels the plan changes and the thresholds of the
     * portfolio's own channel kinds are not internal.
     */
    public static List<Map<String, Object>> explanation(List<? extends Firing> firings, Plan plan, Context ctx) {
        Set<String> involved = new LinkedHashSet<>();
        for (Plan.Shift s : plan.shifts()) {
            involved.add(s.from());
            involved.add(s.to());
        }
        if (plan.pacing() != null) {
            plan.pacing().channels().forEach(c -> involved.add(c.channel()));
        }
        Map<String, Map<String, Object>> thresholds = new LinkedHashMap<>();
        for (Firing f : firings) {
            for (Map<String, Object> fact : f.facts()) {
                if ("KindThreshold".equals(fact.get("type")) && fact.get("kind") != null) {
                    thresholds.putIfAbsent(String.valueOf(fact.get("kind")), fact);
                }
            }
        }
        Set<String> kinds = ctx.kinds();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Firing f : firings) {
            String kind = thresholdKind(f);
            boolean internal;
            String text;
            if (kind != null && f.facts().stream().noneMatch(x -> x.get("channel") != null)) {
                internal = !kinds.contains(kind);
                Map<String, Object> t = thresholds.get(kind);
                text = t == null ? "Sets the thresholds for " + kind + " channels."
                        : thresholdText(kind, t);
            } else {
                internal = f.facts().stream().map(x -> x.get("channel")).noneMatch(involved::contains);
                text = text(f, ctx);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", f.rule());
            m.put("title", f.rule());
            m.put("text", text);
            m.put("internal", internal);
            List<Map<String, Object>> facts = new ArrayList<>();
            for (Map<String, Object> fact : f.facts()) {
                facts.add(FactRounding.round(fact, ctx.money().currency()));
            }
            m.put("facts", facts);
            out.add(m);
        }
        if (plan.pacing() != null) {
            Plan.PacingChange p = plan.pacing();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", PACING_RULE);
            m.put("title", "Pacing to the budget plan");
            m.put("text", pacingText(p, ctx) + ".");
            m.put("internal", false);
            Map<String, Object> fact = new LinkedHashMap<>();
            fact.put("type", "Pacing");
            fact.put("periodFrom", p.period().from().toString());
            fact.put("periodTo", p.period().to().toString());
            fact.put("budget", p.budget());
            fact.put("spentToDate", p.spentToDate());
            fact.put("pace", p.pace());
            fact.put("daysLeft", p.daysLeft());
            fact.put("dailyTarget", p.dailyTarget());
            fact.put("totalBefore", p.totalBefore());
            fact.put("totalAfter", p.totalAfter());
            m.put("facts", List.of(FactRounding.round(fact, ctx.money().currency())));
            out.add(m);
        }
        return out;
    }

    private static String thresholdKind(Firing f) {
        for (Map<String, Object> fact : f.facts()) {
            if ("KindThreshold".equals(fact.get("type")) && fact.get("kind") != null) {
                return String.valueOf(fact.get("kind"));
            }
        }
        String r = f.rule() == null ? "" : f.rule();
        return r.startsWith("Thresholds for ") ? r.substring("Thresholds for ".length()).trim() : null;
    }

    private static String thresholdText(String kind, Map<String, Object> t) {
        return "A " + kind + " channel's marginal estimate needs a confidence of at least "
                + Wording.percent(num(t.get("minConfidence"))) + " before its budget moves, by at most "
                + Math.round(num(t.get("stepPct"))) + "% of it per cycle.";
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** A readable sentence of what the rule matched. */
    static String text(Firing f, Context ctx) {
        Wording w = ctx.money();
        List<String> parts = new ArrayList<>();
        for (Map<String, Object> x : f.facts()) {
            String type = String.valueOf(x.get("type"));
            String name = x.get("channel") == null ? null : ctx.name(String.valueOf(x.get("channel")));
            // a fact without a channel or reason reads as such, never as "null"
            String who = name == null ? "a channel" : name;
            String reason = x.get("reason") == null ? "" : String.valueOf(x.get("reason")).trim();
            switch (type) {
                case "ChannelFacts" -> {
                    StringBuilder b = new StringBuilder(who).append(": budget ")
                            .append(w.money(dec(x.get("dailyBudget")))).append("/day");
                    if (x.get("marginalRoas") instanceof Number m) {
                        b.append(", the next ").append(w.unit()).append(" buys ").append(w.perUnit(m.doubleValue()))
                                .append(" of long-term value");
                        if (x.get("marginalRoasConfidence") instanceof Number c) {
                            b.append(" (confidence ").append(Wording.percent(c.doubleValue())).append(')');
                        }
                    }
                    if (x.get("roas") instanceof Number r) {
                        b.append(", ROAS ").append(Wording.ratio(r.doubleValue()));
                    }
                    if (x.get("ltvToCac") instanceof Number r) {
                        b.append(", LTV:CAC ").append(Wording.ratio(r.doubleValue()));
                    }
                    if (x.get("daysSinceLastChange") instanceof Number d) {
                        b.append(", last changed ").append(d.intValue()).append(" days ago");
                    }
                    parts.add(b.toString());
                }
                case "Candidate" -> parts.add(who + " takes part in the comparison"
                        + (x.get("marginal") instanceof Number m ? " with " + w.perUnit(m.doubleValue())
                        + " of long-term value per " + w.unit() : ""));
                case "MarginalRange" -> parts.add("marginal values range from " + w.perUnit(num(x.get("worst")))
                        + " to " + w.perUnit(num(x.get("best"))) + " per " + w.unit()
                        + (x.get("mean") instanceof Number m ? " (average " + w.perUnit(m.doubleValue()) + ")" : ""));
                case "KindThreshold" -> parts.add(x.get("kind") + " channels need a confidence of at least "
                        + Wording.percent(num(x.get("minConfidence"))));
                case "Hold" -> parts.add(who + " is held" + (reason.isEmpty() ? "" : ": " + reason));
                case "Trim", "Boost", "ShiftProposal", "SetBudget", "Cap", "Floor", "Flag" ->
                        parts.add((name == null ? "" : name + ": ") + (reason.isEmpty() ? type.toLowerCase() : reason));
                case "NoChange" -> {
                    if (!reason.isEmpty()) {
                        parts.add(reason);
                    }
                }
                case "PortfolioFacts" -> {
                    if (Boolean.TRUE.equals(x.get("frozen"))) {
                        parts.add("the portfolio is frozen on this day");
                    } else if (x.get("pace") instanceof Number pace) {
                        parts.add("the portfolio spends at " + Wording.ratio(pace.doubleValue()) + " of its planned pace");
                    }
                }
                case "Aggregate" -> {
                    if (x.get("values") instanceof List<?> values && !values.isEmpty()) {
                        List<String> shown = aggregated(values, ctx);
                        if (!shown.isEmpty()) {
                            parts.add("computed over the facts it matched: " + join(shown));
                        }
                    }
                }
                default -> {
                    // rule-declared types carry no words of their own
                }
            }
        }
        if (parts.isEmpty()) {
            return f.rule() + ".";
        }
        String t = String.join("; ", parts);
        return Character.toUpperCase(t.charAt(0)) + t.substring(1) + ".";
    }

    /** Most facts named one by one; more than this many, counted. */
    private static final int NAMED = 5;

    /**
     * The values of an accumulate, readable: numbers rounded, a collected fact by its channel's name (or its
     * type), a long list of facts counted ("12 channels"); nulls left out.
     */
    private static List<String> aggregated(List<?> values, Context ctx) {
        List<String> shown = new ArrayList<>();
        int facts = 0;
        boolean allChannels = true;
        for (Object v : values) {
            if (v == null) {
                continue;
            }
            if (v instanceof Number n) {
                shown.add(n.doubleValue() == Math.rint(n.doubleValue())
                        ? String.valueOf(Math.round(n.doubleValue())) : Wording.ratio(n.doubleValue()));
            } else if (v instanceof Map<?, ?> m) {
                facts++;
                if (m.get("channel") != null) {
                    shown.add(ctx.name(String.valueOf(m.get("channel"))));
                } else {
                    allChannels = false;
                    shown.add(m.get("type") == null ? "a fact" : "the " + m.get("type") + " fact");
                }
            } else if (v instanceof java.util.Collection<?> c) {
                shown.add(c.size() + " values");
            } else {
                shown.add(String.valueOf(v));
            }
        }
        if (facts > NAMED && facts == shown.size()) {
            return List.of(facts + (allChannels ? " channels" : " facts"));
        }
        return shown;
    }

    /** "A", "A and B", "A, B and C". */
    static String join(List<String> items) {
        if (items.size() <= 1) {
            return items.isEmpty() ? "" : items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    private static BigDecimal dec(Object o) {
        if (o instanceof BigDecimal b) {
            return b;
        }
        return o instanceof Number n ? BigDecimal.valueOf(n.doubleValue()).setScale(2, RoundingMode.HALF_EVEN) : null;
    }
}
