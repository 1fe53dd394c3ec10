package io.spendshift.policy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A channel taking part in the comparison of marginal values (not held, estimate confident enough). Inserted
 * logically by the outcome rules, so it disappears if a hold appears.
 */
public record Candidate(String channel, String kind, double marginal, BigDecimal budget, boolean hasHeadroom,
                        boolean canGiveUp, Double ltvToCac) implements Explainable {

    @Override
    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "Candidate");
        m.put("channel", channel);
        m.put("kind", kind);
        m.put("marginal", ChannelFacts.round(marginal));
        m.put("budget", budget);
        m.put("ltvToCac", ChannelFacts.round(ltvToCac));
        return m;
    }

    public String getChannel() { return channel; }
    public String getKind() { return kind; }
    public double getMarginal() { return marginal; }
    public BigDecimal getBudget() { return budget; }
    public boolean isHasHeadroom() { return hasHeadroom; }
    public boolean isCanGiveUp() { return canGiveUp; }
    public Double getLtvToCac() { return ltvToCac; }
}
