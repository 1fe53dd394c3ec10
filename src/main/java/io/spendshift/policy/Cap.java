package io.spendshift.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most {@code pct} % of the portfolio's total daily budget on one channel ({@code channel}) or on the channels
 * carrying a tag ({@code tag}; give one of the two, the other null). The resolver enforces it on the plan: what is
 * above the cap moves to channels outside it, within every channel's maxShiftPct and bounds, so a share far above
 * its cap comes down over several cycles. The adjustments say how far each cycle got.
 */
public record Cap(String channel, String tag, double pct, String rule, String reason) implements Explainable {

    /** {@code channel} or {@code tag:<slug>}, as adjustments name it. */
    public String scope() {
        return ShareLimit.scope(channel, tag);
    }

    @Override
    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "Cap");
        m.put("scope", scope());
        m.put("pct", pct);
        m.put("reason", reason);
        return m;
    }

    public String getChannel() { return channel; }
    public String getTag() { return tag; }
    public double getPct() { return pct; }
}
