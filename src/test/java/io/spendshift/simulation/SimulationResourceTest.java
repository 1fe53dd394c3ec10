package io.spendshift.simulation;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class SimulationResourceTest {

    static long count(String path) {
        return as("viewer").get(path).then().extract().<Number>path("total").longValue();
    }

    @Test
    void aSimulationNeedsOnlyASeedAndDaysAndWritesNothingReal() {
        long portfolios = count("/api/v1/portfolios");
        long audit = count("/api/v1/audit");
        as("strategist").body(Map.of("seed", 1, "days", 40)).post("/api/v1/simulations").then().statusCode(200)
                .body("days", equalTo(40))
                .body("daily", hasSize(40))
                .body("channels", hasSize(5))
                .body("oracleValue", notNullValue())
                .body("upliftCaptured", notNullValue())
                .body("daily[0].budgets", notNullValue())
                .body("ruleSetVersion", equalTo(as("viewer").get("/api/v1/rules").then().extract().path("version")));
        Number staticValue = as("strategist").body(Map.of("seed", 1, "days", 10)).post("/api/v1/simulations").then()
                .extract().path("staticValue");
        org.assertj.core.api.Assertions.assertThat(staticValue.doubleValue()).isPositive();
        org.assertj.core.api.Assertions.assertThat(count("/api/v1/portfolios")).isEqualTo(portfolios);
        // the only trace a simulation leaves is its audit entry (who simulated what, and the outcome)
        org.assertj.core.api.Assertions.assertThat(count("/api/v1/audit")).isEqualTo(audit + 2);
        org.assertj.core.api.Assertions.assertThat(count("/api/v1/audit?action=SIMULATION_RUN&order=desc")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void explicitChannelsPolicyAndACandidateRuleSet() {
        Map<String, Object> a = Map.ofEntries(Map.entry("key", "a"), Map.entry("kind", "search"), Map.entry("reach", 50),
                Map.entry("alpha", 0.7), Map.entry("kappa", 800), Map.entry("theta", 0.2), Map.entry("aov", 60),
                Map.entry("ltv", 200), Map.entry("noise", 0.1), Map.entry("cpc", 1), Map.entry("ctr", 0.02),
                Map.entry("ordersPerCustomer", 1.2), Map.entry("minBudget", 100), Map.entry("maxBudget", 3000),
                Map.entry("initialBudget", 1000));
        Map<String, Object> b = new java.util.HashMap<>(a);
        b.put("key", "b");
        b.put("kind", "social");
        b.put("ltv", 40);
        as("strategist").body(Map.of("seed", 5, "days", 30, "channels", List.of(a, b), "policy", Map.of("maxShiftPct", 10),
                        "rules", Map.of("files", List.of(Map.of("path", "naive.drl", "content", """
                                package naive;
                                import io.spendshift.policy.ChannelFacts;
                                import io.spendshift.policy.Hold;
                                rule "Hold everything"
                                when ChannelFacts( $c : channel )
                                then insert( new Hold( $c, "frozen" ) );
                                end
                                """)))))
                .post("/api/v1/simulations").then().statusCode(200)
                .body("channels", equalTo(List.of("a", "b")))
                .body("changes", equalTo(0))
                .body("totalValue", equalTo(as("strategist").body(Map.of("seed", 5, "days", 30, "channels", List.of(a, b),
                        "rules", Map.of("files", List.of(Map.of("path", "x.drl", "content", "package x;\n")))))
                        .post("/api/v1/simulations").then().extract().path("staticValue")));
    }

    /**
     * An account whose platform pacing delivers the budget within 1%: spend never varies by itself, so the policy
     * learns only from what it designs. With exploration (the default) it runs experiments, checks its forecasts
     * against the market's truth and moves budget; without, nothing is ever learnt and nothing moves.
     */
    @Test
    void onExactPacingExplorationIsWhatLetsThePolicyLearn() {
        var explored = as("strategist").body(Map.of("seed", 1, "days", 60, "regime", "EXACT_PACING"))
                .post("/api/v1/simulations").then().statusCode(200)
                .body("regime", equalTo("EXACT_PACING"))
                .extract().jsonPath();
        assertThat(explored.getInt("experiments")).isPositive();
        assertThat(explored.getInt("plans")).isPositive();
        assertThat(explored.getInt("forecasts")).isPositive();
        assertThat(explored.getInt("forecastsCovered")).isBetween(0, explored.getInt("forecasts"));
        var frozen = as("strategist").body(Map.of("seed", 1, "days", 60, "regime", "EXACT_PACING",
                        "policy", Map.of("exploration", Map.of("enabled", false))))
                .post("/api/v1/simulations").then().statusCode(200).extract().jsonPath();
        assertThat(frozen.getInt("experiments")).isZero();
        assertThat(frozen.getInt("plans")).as("nothing learnt, nothing moved").isZero();
        assertThat(explored.getDouble("upliftCaptured")).isPositive();
    }

    @Test
    void badSimulationsAreRefused() {
        as("strategist").body(Map.of("seed", 1, "days", 10, "regime", "CALM")).post("/api/v1/simulations").then()
                .statusCode(400).body("errors.field", hasItem("regime"));
        as("strategist").body(Map.of("days", 10)).post("/api/v1/simulations").then().statusCode(400)
                .body("errors.field", hasItem("seed"));
        as("strategist").body(Map.of("seed", 1, "days", 0)).post("/api/v1/simulations").then().statusCode(400)
                .body("errors.field", hasItem("days"));
        as("strategist").body(Map.of("seed", 1, "days", 10, "rules", "newest")).post("/api/v1/simulations").then()
                .statusCode(400);
        as("strategist").body(Map.of("seed", 1, "days", 10, "rules", Map.of("files", List.of(Map.of("path", "b.drl",
                "content", "package b;\nrule x when Nope() then end"))))).post("/api/v1/simulations").then()
                .statusCode(422).body("valid", equalTo(false));
        as("strategist").body(Map.of("seed", 1, "days", 10, "channels", List.of(Map.of("key", "a")))).post("/api/v1/simulations")
                .then().statusCode(400);
        as("viewer").body(Map.of("seed", 1, "days", 10)).post("/api/v1/simulations").then().statusCode(403);
    }
}
