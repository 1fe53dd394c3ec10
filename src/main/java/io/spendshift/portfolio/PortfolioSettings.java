package io.spendshift.portfolio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spendshift.common.Money;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The settings a portfolio keeps as JSON text (budget plan, freeze periods, long-term multipliers), read as typed
 * values: for the portfolio's own views and for the facts, which need them without the portfolio service.
 */
public final class PortfolioSettings {

    private PortfolioSettings() {
    }

    /** policy.ltvMultiplier: the long-term multiplier of revenue-only channels, by kind; empty when none is set. */
    public static Map<String, BigDecimal> ltvMultipliers(Portfolio p) {
        if (p.ltvMultipliers == null || p.ltvMultipliers.isBlank()) {
            return Map.of();
        }
        try {
            return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(PLAN_JSON.readValue(p.ltvMultipliers,
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, BigDecimal>>() { })));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable policy.ltvMultiplier of portfolio " + p.key, e);
        }
    }

    /** A portfolio's budget plan (monthly budget, flights), or empty. */
    public static java.util.Optional<PortfolioDtos.PlanView> plan(Portfolio p) {
        if (p.budgetPlan == null || p.budgetPlan.isBlank()) {
            return java.util.Optional.empty();
        }
        try {
            PortfolioDtos.PlanView v = PLAN_JSON.readValue(p.budgetPlan, PortfolioDtos.PlanView.class);
            return java.util.Optional.of(new PortfolioDtos.PlanView(Money.cents(v.monthlyBudget()),
                    v.flights() == null ? List.of() : v.flights().stream().map(f -> new PortfolioDtos.FlightView(
                            f.from(), f.to(), Money.cents(f.budget()))).toList(),
                    plain(v.maxDailyChangePct() == null ? io.spendshift.policy.PolicyDefaults.MAX_DAILY_CHANGE_PCT
                            : v.maxDailyChangePct())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable budget plan", e);
        }
    }

    private static final ObjectMapper PLAN_JSON = new ObjectMapper().registerModule(
            new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** Freeze periods as stored ({@code policy.freeze}, JSON text); null is none. */
    public static List<PortfolioDtos.FreezeView> freeze(ObjectMapper json, String stored) {
        if (stored == null || stored.isBlank()) {
            return List.of();
        }
        try {
            return List.of(json.readValue(stored, PortfolioDtos.FreezeView[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable freeze periods", e);
        }
    }

    /** A number as a person writes it: 20 rather than 20.00, 2.5 rather than 2.50. */
    static BigDecimal plain(BigDecimal v) {
        return v == null ? null : v.stripTrailingZeros().scale() < 0 ? v.setScale(0) : v.stripTrailingZeros();
    }
}
