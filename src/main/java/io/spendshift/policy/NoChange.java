package io.spendshift.policy;

import java.util.Map;

/** A rule's verdict that nothing should move in this cycle, and why. */
public record NoChange(String reason) implements Explainable {

    @Override
    public Map<String, Object> snapshot() {
        return Map.of("type", "NoChange", "reason", reason);
    }

    public String getReason() { return reason; }
}
