package io.spendshift.portfolio;

import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.spendshift.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

/** The policy fields of turn 2: exploration, automation limits, freeze dates, verification. */
@QuarkusTest
class LearningPolicyTest {

    static Map<String, Object> body(String key, Map<String, Object> policy) {
        return Map.of("key", key, "name", "P " + key, "currency", "EUR", "policy", policy);
    }

    @Test
    void defaultsAreThoseOfTheContract() {
        String key = Api.uniqueKey("pol");
        Api.admin().body(body(key, Map.of())).post("/api/v1/portfolios").then().statusCode(201)
                .body("policy.exploration.enabled", equalTo(true))
                .body("policy.exploration.maxPct", Api.money("10"))
                .body("policy.exploration.maxCostPct", Api.money("1"))
                .body("policy.maxAppliesPerDay", equalTo(1))
                .body("policy.freeze", hasSize(0))
                .body("policy.verifyAfterDays", equalTo(14))
                .body("policy.autoRevert", equalTo(false));
    }

    @Test
    void theyAreStoredPatchedAndAudited() {
        String key = Api.uniqueKey("pol");
        Api.admin().body(body(key, Map.of("exploration", Map.of("enabled", false, "maxPct", 5, "maxCostPct", 0.5),
                        "maxAppliesPerDay", 3, "verifyAfterDays", 21, "autoRevert", true,
                        "freeze", List.of(Map.of("from", "2026-11-26", "to", "2026-11-30", "reason", "black friday")))))
                .post("/api/v1/portfolios").then().statusCode(201)
                .body("policy.exploration.enabled", equalTo(false))
                .body("policy.exploration.maxPct", Api.money("5"))
                .body("policy.exploration.maxCostPct", Api.money("0.5"))
                .body("policy.maxAppliesPerDay", equalTo(3))
                .body("policy.verifyAfterDays", equalTo(21))
                .body("policy.autoRevert", equalTo(true))
                .body("policy.freeze[0].from", equalTo("2026-11-26"))
                .body("policy.freeze[0].reason", equalTo("black friday"));
        // a merge-patch replaces the freeze list and leaves the rest as it was
        Api.admin().contentType("application/merge-patch+json")
                .body("{\"policy\":{\"freeze\":[{\"from\":\"2026-12-24\",\"to\":\"2026-12-26\",\"reason\":\"xmas\"}],"
                        + "\"exploration\":{\"maxPct\":8}}}")
                .patch("/api/v1/portfolios/" + key).then().statusCode(200)
                .body("policy.freeze", hasSize(1))
                .body("policy.freeze[0].to", equalTo("2026-12-26"))
                .body("policy.exploration.maxPct", Api.money("8"))
                .body("policy.exploration.enabled", equalTo(false))
                .body("policy.verifyAfterDays", equalTo(21));
        as("viewer").get("/api/v1/portfolios/" + key).then().body("policy.freeze[0].reason", equalTo("xmas"));
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=PORTFOLIO_UPDATED").then()
                .body("total", equalTo(1))
                .body("items[0].details.before.policy.freeze[0].reason", equalTo("black friday"))
                .body("items[0].details.after.policy.freeze[0].reason", equalTo("xmas"));
    }

    @Test
    void badValuesAre400sNamingTheField() {
        bad(Map.of("exploration", Map.of("maxPct", 30)), "policy.exploration.maxPct");
        bad(Map.of("maxShiftPct", 5, "exploration", Map.of("maxPct", 6)), "policy.exploration.maxPct");
        bad(Map.of("exploration", Map.of("maxPct", 0)), "policy.exploration.maxPct");
        bad(Map.of("exploration", Map.of("maxCostPct", 101)), "policy.exploration.maxCostPct");
        bad(Map.of("exploration", Map.of("maxCostPct", -1)), "policy.exploration.maxCostPct");
        bad(Map.of("maxAppliesPerDay", -1), "policy.maxAppliesPerDay");
        bad(Map.of("verifyAfterDays", 0), "policy.verifyAfterDays");
        bad(Map.of("verifyAfterDays", 91), "policy.verifyAfterDays");
        bad(Map.of("freeze", List.of(Map.of("from", "2026-12-02", "to", "2026-12-01"))), "policy.freeze[0].to");
        bad(Map.of("freeze", List.of(Map.of("from", "2026-12-01", "to", "2026-12-02"), Map.of("from", "soon", "to",
                "2026-12-01"))), "policy.freeze[1].from");
        bad(Map.of("freeze", List.of(Map.of("to", "2026-12-01"))), "policy.freeze[0].from");
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            many.add(Map.of("from", "2026-12-01", "to", "2026-12-01"));
        }
        bad(Map.of("freeze", many), "policy.freeze");
        // zero is allowed: no automatic applies at all
        Api.admin().body(body(Api.uniqueKey("pol"), Map.of("maxAppliesPerDay", 0, "exploration", Map.of("maxCostPct", 0))))
                .post("/api/v1/portfolios").then().statusCode(201);
    }

    static void bad(Map<String, Object> policy, String field) {
        Api.admin().body(body(Api.uniqueKey("pol"), policy)).post("/api/v1/portfolios").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem(field));
    }
}
