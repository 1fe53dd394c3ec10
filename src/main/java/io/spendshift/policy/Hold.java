package io.spendshift.policy;

import java.util.Map;

/** A guardrail's verdict: this channel's budget must not move in this cycle, and why. */
public record Hold(String channel, String reason) implements Explainable {
    @Override
    public Map<String, Object> snapshot() {
        return Map.of("type", "Hold", "channel", channel, "reason", reason);
    }

    public String getChannel() { return channel; }
    public String getReason() { return reason; }
}
