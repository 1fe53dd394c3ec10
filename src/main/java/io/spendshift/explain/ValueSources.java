package io.spendshift.explain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a value rests on, in words: the team's customer feed, the LTV in metric rows, or platform revenue. */
public final class ValueSources {

    private ValueSources() {
    }

    /** The words for what a value rests on, as a user reads them; null when not known. */
    public static String words(String source) {
        if (source == null) {
            return null;
        }
        return switch (source) {
            case "OUTCOMES" -> "from your customer feed";
            case "METRICS" -> "from the LTV in the metric rows";
            case "REVENUE" -> "platform revenue: no customer data for this channel";
            default -> null;
        };
    }

    static String note(Narrator.ChannelInfo c) {
        String words = words(c.valueSource());
        return words == null ? "" : " (" + words + ")";
    }

    /**
     * "Values rest on your customer feed for A and B; on platform revenue, without customer data, for C." for the
     * channels a plan moves, when what their values rest on is known; empty otherwise.
     */
    static String sentence(Set<String> moved, Narrator.Context ctx) {
        Map<String, List<String>> bySource = new LinkedHashMap<>();
        for (String source : List.of("OUTCOMES", "METRICS", "REVENUE")) {
            for (String c : moved) {
                Narrator.ChannelInfo info = ctx.channels().get(c);
                if (info != null && source.equals(info.valueSource())) {
                    bySource.computeIfAbsent(source, k -> new ArrayList<>()).add(ctx.name(c));
                }
            }
        }
        if (bySource.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        bySource.forEach((source, names) -> parts.add(switch (source) {
            case "OUTCOMES" -> "on your customer feed for " + Narrator.join(names);
            case "METRICS" -> "on the LTV in the metric rows for " + Narrator.join(names);
            default -> "on platform revenue, without customer data, for " + Narrator.join(names);
        }));
        return "Values rest " + String.join("; ", parts) + ".";
    }
}
