package io.spendshift.recommendation;

import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import io.spendshift.run.Cycles;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * {@code PATCH /recommendations/{id}}: an approver changes a proposed plan before approving it; the result is still
 * a plan (bounds, locked and held channels, total to the cent), its shifts and forecast are recomputed, the change
 * is audited with before and after, and what is refused changes nothing.
 */
@QuarkusTest
class RecommendationEditTest {

    private static final String PROBLEM = "application/problem+json";

    /** The cycle fixture (poor → good, 200) plus a locked channel and one without data (held by the rules). */
    static String portfolio() {
        String key = Cycles.portfolio();
        Api.admin().body(Map.of("name", "Brand", "kind", "search", "dailyBudget", 300, "minDailyBudget", 0,
                "maxDailyBudget", 1000, "locked", true)).put("/api/v1/portfolios/" + key + "/channels/brand")
                .then().statusCode(201);
        Api.admin().body(Map.of("name", "Thin", "kind", "display", "dailyBudget", 200, "minDailyBudget", 0,
                "maxDailyBudget", 1000)).put("/api/v1/portfolios/" + key + "/channels/thin").then().statusCode(201);
        return key;
    }

    static int run(String key) {
        return as("strategist").body(Map.of()).post("/api/v1/portfolios/" + key + "/runs").then().statusCode(201)
                .extract().path("recommendationId");
    }

    static Map<String, Object> edit(String channel, Object budget) {
        return Map.of("channel", channel, "proposedBudget", budget);
    }

    static BigDecimal proposed(int id, String channel) {
        return new BigDecimal(as("viewer").get("/api/v1/recommendations/" + id).then().extract()
                .path("allocations.find { it.channel == '" + channel + "' }.proposedBudget").toString());
    }

    @Test
    void anApproverEditsTheProposalThenApprovesAndAppliesTheEditedBudgets() {
        String key = portfolio();
        int id = run(key);
        BigDecimal planned = proposed(id, "good");
        assertThat(planned).as("the rules' plan moves good").isNotEqualByComparingTo("1000")
                .isNotEqualByComparingTo("1100.50");
        int version = as("viewer").get("/api/v1/recommendations/" + id).then().extract().path("version");

        as("approver").header("If-Match", "\"" + version + "\"")
                .body(Map.of("allocations", List.of(edit("good", 1100.5), edit("poor", 899.5)), "comment", "go slower"))
                .patch("/api/v1/recommendations/" + id).then().statusCode(200)
                .header("ETag", "\"" + (version + 1) + "\"")
                .body("status", equalTo("PROPOSED"))
                .body("version", equalTo(version + 1))
                .body("allocations.find { it.channel == 'good' }.proposedBudget", Api.money("1100.50"))
                .body("allocations.find { it.channel == 'good' }.delta", Api.money("100.50"))
                .body("allocations.find { it.channel == 'poor' }.proposedBudget", Api.money("899.50"))
                .body("allocations.find { it.channel == 'brand' }.proposedBudget", Api.money("300.00"))
                .body("shifts.size()", equalTo(1))
                .body("shifts[0].from", equalTo("poor")).body("shifts[0].to", equalTo("good"))
                .body("shifts[0].amount", Api.money("100.50"))
                .body("shifts[0].rule", equalTo("Edited by approver"))
                .body("moved", Api.money("100.50"))
                .body("explanation.rule", hasItem("Edited by approver"))
                // an edited plan reads like any other: sentences, a summary, a titled entry in the portfolio's currency
                .body("shifts[0].sentence", equalTo("Move €100/day from poor to good: changed by approver before approval"))
                .body("summary", org.hamcrest.Matchers.startsWith("Moves €100/day from poor (-€100) to good (+€100)"))
                .body("explanation.find { it.rule == 'Edited by approver' }.title", equalTo("Edited before approval"))
                .body("explanation.find { it.rule == 'Edited by approver' }.internal", equalTo(false))
                .body("explanation.find { it.rule == 'Edited by approver' }.text", containsString("good €1,100/day (was €"))
                .body("explanation.find { it.rule == 'Edited by approver' }.text", containsString("(go slower)"))
                .body("forecast.valuePerDay.expected", org.hamcrest.Matchers.notNullValue());

        Map<String, Object> details = as("viewer").get("/api/v1/audit?entityType=recommendation&entityId=" + id
                + "&action=RECOMMENDATION_EDITED").then().statusCode(200).body("items.size()", equalTo(1))
                .body("items[0].actor", equalTo("approver")).extract().path("items[0].details");
        assertThat(details.get("comment")).isEqualTo("go slower");
        assertThat(new BigDecimal(((Map<?, ?>) details.get("before")).get("good").toString())).isEqualByComparingTo(planned);
        assertThat(new BigDecimal(((Map<?, ?>) details.get("after")).get("good").toString())).isEqualByComparingTo("1100.50");

        // the old version is stale now
        as("approver").header("If-Match", "\"" + version + "\"").post("/api/v1/recommendations/" + id + "/approve")
                .then().statusCode(412);
        as("approver").header("If-Match", "\"" + (version + 1) + "\"").post("/api/v1/recommendations/" + id + "/approve")
                .then().statusCode(200).body("status", equalTo("APPROVED"));
        as("approver").body(Map.of("allocations", List.of(edit("good", 1000), edit("poor", 1000))))
                .patch("/api/v1/recommendations/" + id).then().statusCode(409).contentType(PROBLEM)
                .body("detail", containsString("only a PROPOSED recommendation can be edited"));
        as("approver").post("/api/v1/recommendations/" + id + "/apply").then().statusCode(200);
        as("viewer").get("/api/v1/portfolios/" + key + "/channels").then()
                .body("items.find { it.key == 'good' }.dailyBudget", Api.money("1100.50"))
                .body("items.find { it.key == 'poor' }.dailyBudget", Api.money("899.50"));
    }

    @Test
    void anEditThatWouldBreakThePlanIsRefusedNamingTheChannelAndChangesNothing() {
        String key = portfolio();
        int id = run(key);
        String before = as("viewer").get("/api/v1/recommendations/" + id).then().extract().asString();
        String path = "/api/v1/recommendations/" + id;

        as("approver").body(Map.of("allocations", List.of(edit("good", 1950), edit("poor", 50)))).patch(path).then()
                .statusCode(400).contentType(PROBLEM)
                .body("errors.field", equalTo(List.of("allocations[1].proposedBudget")))
                .body("errors[0].message", equalTo("channel poor: 50.00 is below its minimum daily budget 100.00"));
        as("approver").body(Map.of("allocations", List.of(edit("brand", 400), edit("poor", 700)))).patch(path).then()
                .statusCode(400).body("errors[0].field", equalTo("allocations[0].proposedBudget"))
                .body("errors[0].message", containsString("channel brand is locked"));
        as("approver").body(Map.of("allocations", List.of(edit("thin", 300), edit("poor", 700)))).patch(path).then()
                .statusCode(400).body("errors[0].message", containsString("channel thin is held"));
        as("approver").body(Map.of("allocations", List.of(edit("good", 1300)))).patch(path).then()
                .statusCode(400).body("errors[0].field", equalTo("allocations"))
                .body("errors[0].message", containsString("not the plan's total 2500.00"));
        as("approver").body(Map.of("allocations", List.of(edit("nope", 1)))).patch(path).then()
                .statusCode(400).body("errors[0].field", equalTo("allocations[0].channel"));
        as("approver").body(Map.of("comment", "no budgets")).patch(path).then().statusCode(400);
        as("approver").header("If-Match", "\"99\"").body(Map.of("allocations", List.of(edit("good", 1100),
                edit("poor", 900)))).patch(path).then().statusCode(412);
        as("strategist").body(Map.of("allocations", List.of(edit("good", 1100), edit("poor", 900)))).patch(path)
                .then().statusCode(403);
        as("viewer").body(Map.of("allocations", List.of(edit("good", 1100), edit("poor", 900)))).patch(path)
                .then().statusCode(403);

        assertThat(as("viewer").get(path).then().extract().asString()).isEqualTo(before);
        as("viewer").get("/api/v1/audit?entityType=recommendation&entityId=" + id + "&action=RECOMMENDATION_EDITED")
                .then().body("items.size()", equalTo(0));
    }

    @Test
    void aPacingPlanIsEditedConservingItsPacedTotalAndKeepsItsPacingBlock() {
        // 2,000 a day against a monthly budget of 30,000: the plan paces the total down to 1,800 (PacingAndExplanationsTest)
        String key = Cycles.portfolio("RECOMMEND", Map.of("plan", Map.of("monthlyBudget", 30000)));
        int id = run(key);
        as("viewer").get("/api/v1/recommendations/" + id).then().body("pacing.totalAfter", Api.money("1800"));
        BigDecimal good = proposed(id, "good");
        BigDecimal poor = proposed(id, "poor");
        // back to the current total (2,000) is refused; moving 50 back to poor keeps the paced total
        as("approver").body(Map.of("allocations", List.of(edit("poor", poor.add(BigDecimal.valueOf(200))))))
                .patch("/api/v1/recommendations/" + id).then()
                .statusCode(400).body("errors[0].message", containsString("not the plan's total 1800.00"));
        var r = as("approver").body(Map.of("allocations", List.of(edit("good", good.subtract(BigDecimal.valueOf(50))),
                        edit("poor", poor.add(BigDecimal.valueOf(50))))))
                .patch("/api/v1/recommendations/" + id).then().statusCode(200)
                .body("pacing.totalBefore", Api.money("2000"))
                .body("pacing.totalAfter", Api.money("1800"))
                .body("summary", containsString("Pacing: the month"))
                .body("shifts.rule", org.hamcrest.Matchers.everyItem(equalTo("Edited by approver")))
                .body("shifts.sentence", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.startsWith("Move €")))
                .extract();
        BigDecimal total = io.spendshift.run.PacingAndExplanationsTest.deltasAddUp(r);
        assertThat(total).isEqualByComparingTo("1800");
        assertThat(proposed(id, "poor")).isEqualByComparingTo(poor.add(BigDecimal.valueOf(50)));
        as("approver").post("/api/v1/recommendations/" + id + "/approve").then().statusCode(200);
        as("approver").post("/api/v1/recommendations/" + id + "/apply").then().statusCode(200);
        as("viewer").get("/api/v1/portfolios/" + key).then().body("totalDailyBudget", Api.money("1800"));
    }
}
