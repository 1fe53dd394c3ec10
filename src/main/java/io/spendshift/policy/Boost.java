package io.spendshift.policy;

import java.util.Map;

/** A proposal that a channel should receive budget, in proportion to {@code weight} among recipients. */
public record Boost(String channel, double weight, String rule, String reason) implements Explainable {
    @Override
    public Map<String, Object> snapshot() {
        return Map.of("type", "Boost", "channel", channel, "weight", ChannelFacts.round(weight), "reason", reason);
    }

    public String getChannel() { return channel; }
    public double getWeight() { return weight; }
}
