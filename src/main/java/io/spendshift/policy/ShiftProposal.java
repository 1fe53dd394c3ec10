package io.spendshift.policy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** A rule's proposal to move {@code amount} of daily budget from one channel to another. */
public record ShiftProposal(String from, String to, BigDecimal amount, String rule, String reason) implements Explainable {
    @Override
    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "ShiftProposal");
        m.put("from", from);
        m.put("to", to);
        m.put("amount", amount);
        m.put("reason", reason);
        return m;
    }

    public String getFrom() { return from; }
    public String getTo() { return to; }
    public BigDecimal getAmount() { return amount; }
}
