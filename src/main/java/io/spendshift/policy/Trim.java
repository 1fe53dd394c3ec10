package io.spendshift.policy;

import java.math.BigDecimal;
import java.util.Map;

/** A proposal to take up to {@code amount} of daily budget out of a channel; the resolver finds recipients. */
public record Trim(String channel, BigDecimal amount, String rule, String reason) implements Explainable {
    @Override
    public Map<String, Object> snapshot() {
        return Map.of("type", "Trim", "channel", channel, "amount", amount, "reason", reason);
    }

    public String getChannel() { return channel; }
    public BigDecimal getAmount() { return amount; }
}
