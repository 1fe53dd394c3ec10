package io.spendshift.explain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Facts as an explanation shows them: money to the cent with the portfolio's {@code currency} named on the fact,
 * other numbers to two decimals, anything that is not a plain JSON value as text that never reads as a Java object.
 */
final class FactRounding {

    /** The fact fields that are money in the portfolio's currency. */
    static final Set<String> MONEY = Set.of("dailyBudget", "minDailyBudget", "maxDailyBudget", "spend", "value",
            "revenue", "targetBudget", "totalBudget", "monthToDateSpend", "budget", "amount", "cpa", "cac", "ltv",
            "periodBudget", "spendToDate", "spentToDate", "pacedDailyTotal", "dailyTarget", "totalBefore", "totalAfter",
            "expectedSpendToDate");

    private FactRounding() {
    }

    static Map<String, Object> round(Map<String, Object> fact, String currency) {
        Map<String, Object> out = new LinkedHashMap<>();
        boolean money = false;
        for (Map.Entry<String, Object> e : fact.entrySet()) {
            Object v = e.getValue();
            if (MONEY.contains(e.getKey()) && v instanceof Number n) {
                out.put(e.getKey(), (n instanceof BigDecimal b ? b : BigDecimal.valueOf(n.doubleValue()))
                        .setScale(2, RoundingMode.HALF_EVEN));
                money = true;
            } else {
                out.put(e.getKey(), value(v));
            }
        }
        if (money) {
            out.put("currency", currency);
        }
        return out;
    }

    private static Object value(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            return v;
        }
        if (v instanceof BigDecimal b) {
            return b.setScale(Math.min(Math.max(b.scale(), 0), 2), RoundingMode.HALF_EVEN);
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d).setScale(2, RoundingMode.HALF_EVEN) : null;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), value(x)));
            return out;
        }
        if (v instanceof Iterable<?> it) {
            List<Object> out = new ArrayList<>();
            it.forEach(x -> out.add(value(x)));
            return out;
        }
        if (v instanceof Object[] a) {
            List<Object> out = new ArrayList<>();
            for (Object x : a) {
                out.add(value(x));
            }
            return out;
        }
        return v instanceof Enum<?> || v instanceof CharSequence || v instanceof java.time.temporal.TemporalAccessor
                ? v.toString() : "(value)";
    }
}
