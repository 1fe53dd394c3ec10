package io.spendshift.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At least {@code pct} % of the portfolio's total daily budget on one channel ({@code channel}) or on the channels
 * carrying a tag ({@code tag}; give one of the two). The resolver enforces it on the plan, taking what is missing
 * from channels outside it within their maxShiftPct and bounds; the adjustments say how far each cycle got.
 */
public record Floor(String channel, String tag, double pct, String rule, String reason) implements Explainable {

    /** {@code channel} or {@code tag:<slug>}, as adjustments name it. */
    public String scope() {
        return ShareLimit.scope(channel, tag);
    }

    @Override
    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "Floor");
        m.put("scope", scope());
        m.put("pct", pct);
        m.put("reason", reason);
        return m;
    }

    public String getChannel() { return channel; }
    public String getTag() { return tag; }
    public double getPct() { return pct; }
}
