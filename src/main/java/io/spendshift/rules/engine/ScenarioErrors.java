package io.spendshift.rules.engine;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.Hold;
import io.spendshift.policy.Plan;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Scenario failures that say where and why: a YAML error keeps its line, column and field; a shift that did not
 * happen as expected is explained from the evaluation's holds and outputs and the plan (held, capped by
 * maxShiftPct, no recipient with headroom, nothing asked for it).
 */
public final class ScenarioErrors {

    private ScenarioErrors() {
    }

    /** "line 7, column 5, field expect.shifts[0].amout: is not a known field" from a Jackson failure. */
    public static String yaml(Exception e) {
        StringBuilder sb = new StringBuilder("cannot read the scenario: ");
        List<String> where = new ArrayList<>();
        if (e instanceof JsonProcessingException j && j.getLocation() != null
                && j.getLocation() != JsonLocation.NA && j.getLocation().getLineNr() > 0) {
            where.add("line " + j.getLocation().getLineNr());
            if (j.getLocation().getColumnNr() > 0) {
                where.add("column " + j.getLocation().getColumnNr());
            }
        }
        JsonMappingException m = e instanceof JsonMappingException jm ? jm
                : e.getCause() instanceof JsonMappingException jm2 ? jm2 : null;
        String field = m == null ? null : io.spendshift.json.JsonMessages.fieldPath(m);
        if (field != null) {
            where.add("field " + field);
        }
        if (!where.isEmpty()) {
            sb.append(String.join(", ", where)).append(": ");
        }
        String msg = m != null && field != null ? io.spendshift.json.JsonMessages.fieldMessage(m)
                : io.spendshift.json.JsonMessages.humanJackson(
                        e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage());
        return sb.append(msg).toString();
    }

    /** Why the plan has no (or another) shift {@code from -> to}; empty when nothing explains it. */
    public static String whyNotShifted(String from, String to, BigDecimal expected, List<ChannelFacts> channels,
                                       Evaluation ev, Plan plan, double maxShiftPct) {
        List<String> why = new ArrayList<>();
        for (String c : List.of(from, to)) {
            List<String> reasons = ev.holds().stream().filter(h -> h.channel().equals(c)).map(Hold::reason).toList();
            if (!reasons.isEmpty()) {
                why.add(c + " held: " + String.join("; ", reasons));
            }
        }
        ChannelFacts f = find(channels, from);
        ChannelFacts t = find(channels, to);
        if (f == null || t == null) {
            why.add("no channel " + (f == null ? from : to) + " in the scenario");
            return String.join("; ", why);
        }
        if (f.isLocked()) {
            why.add(from + " is locked");
        }
        if (t.isLocked()) {
            why.add(to + " is locked");
        }
        boolean asksFrom = ev.trims().stream().anyMatch(x -> x.channel().equals(from))
                || ev.proposals().stream().anyMatch(p -> p.from().equals(from));
        boolean asksTo = ev.boosts().stream().anyMatch(x -> x.channel().equals(to))
                || ev.proposals().stream().anyMatch(p -> p.to().equals(to));
        if (!asksFrom) {
            why.add("no rule asked to take budget from " + from + " (no Trim or ShiftProposal)");
        }
        if (!asksTo) {
            why.add("no rule asked to give budget to " + to + " (no Boost or ShiftProposal)");
        }
        if (t.getMaxDailyBudget() != null && t.getDailyBudget().compareTo(t.getMaxDailyBudget()) >= 0) {
            why.add("no headroom: " + to + " is at its maximum " + t.getMaxDailyBudget().stripTrailingZeros().toPlainString());
        }
        if (f.getMinDailyBudget() != null && f.getDailyBudget().compareTo(f.getMinDailyBudget()) <= 0) {
            why.add(from + " is at its minimum " + f.getMinDailyBudget().stripTrailingZeros().toPlainString());
        }
        if (asksFrom && !asksTo && ev.boosts().stream().noneMatch(b -> hasHeadroom(find(channels, b.channel()), ev))
                && ev.proposals().isEmpty()) {
            why.add("no recipient with headroom: no boosted channel that is not held and below its maximum");
        }
        BigDecimal cap = f.getDailyBudget().multiply(BigDecimal.valueOf(maxShiftPct))
                .divide(BigDecimal.valueOf(100), 2, RoundingMode.DOWN);
        if (expected != null && expected.compareTo(cap) > 0) {
            why.add("capped by maxShiftPct: at most " + fmt(maxShiftPct) + "% of " + from + "'s "
                    + f.getDailyBudget().stripTrailingZeros().toPlainString() + " = " + cap.stripTrailingZeros().toPlainString()
                    + " may leave it in one cycle");
        }
        if (expected != null && t.getMaxDailyBudget() != null
                && t.getDailyBudget().add(expected).compareTo(t.getMaxDailyBudget()) > 0
                && t.getDailyBudget().compareTo(t.getMaxDailyBudget()) < 0) {
            why.add("capped by " + to + "'s maximum: it can receive at most "
                    + t.getMaxDailyBudget().subtract(t.getDailyBudget()).stripTrailingZeros().toPlainString());
        }
        String elsewhere = plan.shifts().stream().filter(s -> s.from().equals(from) && !s.to().equals(to))
                .map(s -> s.to() + " " + s.amount()).collect(Collectors.joining(", "));
        if (!elsewhere.isEmpty()) {
            why.add(from + "'s budget went to " + elsewhere);
        }
        return String.join("; ", why);
    }

    private static boolean hasHeadroom(ChannelFacts c, Evaluation ev) {
        return c != null && !c.isLocked() && ev.holds().stream().noneMatch(h -> h.channel().equals(c.getChannel()))
                && (c.getMaxDailyBudget() == null || c.getDailyBudget().compareTo(c.getMaxDailyBudget()) < 0);
    }

    private static ChannelFacts find(List<ChannelFacts> channels, String key) {
        return channels.stream().filter(c -> c.getChannel().equals(key)).findFirst().orElse(null);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
