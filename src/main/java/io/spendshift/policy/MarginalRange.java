package io.spendshift.policy;

import java.util.Map;

/** The worst, best and mean marginal value among the channels taking part. */
public record MarginalRange(double worst, double best, double mean) implements Explainable {

    @Override
    public Map<String, Object> snapshot() {
        return Map.of("type", "MarginalRange", "worst", ChannelFacts.round(worst), "best", ChannelFacts.round(best),
                "mean", ChannelFacts.round(mean));
    }

    public double getWorst() { return worst; }
    public double getBest() { return best; }
    public double getMean() { return mean; }
}
