package io.spendshift.policy;

import java.util.Map;

/**
 * Thresholds per channel kind, set by the decision table {@code rules/kind-thresholds.drl.csv}: the confidence
 * a channel's marginal estimate needs before budget moves on it, and the largest step of one cycle in % of
 * the channel's budget (the portfolio's {@code maxShiftPct} still caps it).
 */
public record KindThreshold(String kind, double minConfidence, double stepPct) implements Explainable {
    @Override
    public Map<String, Object> snapshot() {
        return Map.of("type", "KindThreshold", "kind", kind, "minConfidence", minConfidence, "stepPct", stepPct);
    }

    public String getKind() { return kind; }
    public double getMinConfidence() { return minConfidence; }
    public double getStepPct() { return stepPct; }
}
