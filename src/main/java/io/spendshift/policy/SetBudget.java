package io.spendshift.policy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A target budget for a channel. The resolver walks the channel towards it, no further per cycle than
 * {@code maxShiftPct} (and never outside its bounds): what a cut frees goes to the boosted channels first, then
 * to every other channel that may move in proportion to its budget; what a raise needs comes from the trimmed
 * channels first, then from every other channel that may move in proportion to its budget.
 */
public record SetBudget(String channel, BigDecimal amount, String rule, String reason) implements Explainable {

    @Override
    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "SetBudget");
        m.put("channel", channel);
        m.put("amount", amount);
        m.put("reason", reason);
        return m;
    }

    public String getChannel() { return channel; }
    public BigDecimal getAmount() { return amount; }
    public String getReason() { return reason; }
}
