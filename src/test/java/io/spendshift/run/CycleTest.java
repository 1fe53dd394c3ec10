package io.spendshift.run;

import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import io.spendshift.recommendation.RecommendationService;
import io.spendshift.TestClock;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class CycleTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    RunLock runLock;
    @Inject
    RecommendationService recommendations;
    @Inject
    TestClock clock;

    static String activeVersion() {
        return as("viewer").get("/api/v1/rules").then().extract().path("version");
    }

    static io.restassured.response.ValidatableResponse run(String key, String user, Object body) {
        return as(user).body(body).post("/api/v1/portfolios/" + key + "/runs").then();
    }

    static int recommendationOf(String key) {
        return run(key, "strategist", Map.of()).statusCode(201).body("status", equalTo("SUCCEEDED"))
                .extract().path("recommendationId");
    }

    static int version(int rec) {
        return as("viewer").get("/api/v1/recommendations/" + rec).then().extract().path("version");
    }

    @Test
    void endToEndRunApproveApplyIsAuditedWithActorsAndRuleSetVersion() {
        String key = Cycles.portfolio();
        String version = activeVersion();
        String today = LocalDate.now().toString();
        int runId = run(key, "strategist", Map.of("asOf", today)).statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/runs/" + as("viewer")
                        .get("/api/v1/portfolios/" + key + "/runs").then().extract().path("items[0].id")))
                .body("status", equalTo("SUCCEEDED"))
                .body("trigger", equalTo("MANUAL"))
                .body("ruleSetVersion", equalTo(version))
                .body("asOf", equalTo(today))
                .body("firedRules.rule", hasItem("Trim channels whose marginal long-term value is below the average"))
                .body("error", nullValue())
                .extract().path("id");
        int rec = as("viewer").get("/api/v1/runs/" + runId).then().statusCode(200).extract().path("recommendationId");

        as("viewer").get("/api/v1/recommendations/" + rec).then().statusCode(200)
                .header("ETag", notNullValue())
                .body("status", equalTo("PROPOSED"))
                .body("runId", equalTo(runId))
                .body("portfolio", equalTo(key))
                .body("shifts[0].from", equalTo("poor"))
                .body("shifts[0].to", equalTo("good"))
                .body("shifts[0].amount", Api.money("200"))
                .body("shifts[0].rule", org.hamcrest.Matchers.startsWith("Trim channels whose"))
                .body("shifts[0].reason", notNullValue())
                .body("allocations.find { it.channel == 'good' }.proposedBudget", Api.money("1200"))
                .body("allocations.find { it.channel == 'poor' }.delta", Api.money("-200"))
                .body("explanation.rule", hasItem("Boost channels whose marginal long-term value is above the average and that have headroom"))
                .body("explanation.find { it.rule.startsWith('Trim') }.facts.channel", hasItem("poor"))
                // every clamp, drop and conflict of the resolver, and the rules' flags (none here), are on it
                .body("adjustments", notNullValue())
                .body("flags", hasSize(0));

        int v = version(rec);
        as("approver").header("If-Match", "\"" + v + "\"").body(Map.of("comment", "looks right"))
                .post("/api/v1/recommendations/" + rec + "/approve").then().statusCode(200)
                .body("status", equalTo("APPROVED")).body("decidedBy", equalTo("approver"))
                .body("comment", equalTo("looks right"));
        as("approver").post("/api/v1/recommendations/" + rec + "/apply").then().statusCode(200)
                .body("status", equalTo("APPLIED")).body("appliedAt", notNullValue());

        as("viewer").get("/api/v1/portfolios/" + key + "/channels").then()
                .body("items.find { it.key == 'good' }.dailyBudget", Api.money("1200"))
                .body("items.find { it.key == 'poor' }.dailyBudget", Api.money("800"))
                .body("items.lastChangedOn", everyItem(equalTo(today)));
        as("viewer").get("/api/v1/portfolios/" + key).then().body("totalDailyBudget", Api.money("2000"));

        as("viewer").get("/api/v1/audit/verify").then().body("valid", equalTo(true));
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&size=100").then()
                .body("items.action", org.hamcrest.Matchers.hasItems("RUN_STARTED", "RUN_FINISHED",
                        "RECOMMENDATION_CREATED", "RECOMMENDATION_APPROVED", "BUDGET_CHANGED", "RECOMMENDATION_APPLIED"))
                .body("items.find { it.action == 'RECOMMENDATION_CREATED' }.actor", equalTo("strategist"))
                .body("items.find { it.action == 'RECOMMENDATION_APPROVED' }.actor", equalTo("approver"))
                .body("items.find { it.action == 'RECOMMENDATION_APPLIED' }.actor", equalTo("approver"))
                .body("items.findAll { it.action == 'BUDGET_CHANGED' }.entityId",
                        containsInAnyOrder(key + "/good", key + "/poor"))
                .body("items.findAll { it.action.startsWith('RUN') || it.action.startsWith('RECOMMENDATION') }.ruleSetVersion",
                        everyItem(equalTo(version)));

        // the next cycle holds both channels: they changed today, inside the cooldown
        run(key, "approver", Map.of()).statusCode(201).body("status", equalTo("NO_CHANGE"))
                .body("recommendationId", nullValue());
    }

    @Test
    void autoApplyAppliesAPlanInsideTheGuardrailAndLeavesOneOutsideForReview() {
        String inside = Cycles.portfolio("AUTO_APPLY", Map.of("policy", Map.of("autoApplyMaxShiftPct", 10)));
        int rec = recommendationOf(inside);
        as("viewer").get("/api/v1/recommendations/" + rec).then()
                .body("status", equalTo("APPLIED")).body("decidedBy", equalTo("system"));
        as("viewer").get("/api/v1/portfolios/" + inside + "/channels").then()
                .body("items.find { it.key == 'good' }.dailyBudget", Api.money("1200"));

        String outside = Cycles.portfolio("AUTO_APPLY", Map.of("policy", Map.of("autoApplyMaxShiftPct", 5)));
        int rec2 = recommendationOf(outside);
        as("viewer").get("/api/v1/recommendations/" + rec2).then()
                .body("status", equalTo("PROPOSED")).body("decidedBy", nullValue())
                .body("autoApplyWithheld", equalTo("moves 200.00, more than autoApplyMaxShiftPct 5% of the total"
                        + " budget (100.00)"));
        as("viewer").get("/api/v1/portfolios/" + outside + "/channels").then()
                .body("items.dailyBudget", everyItem(Api.money("1000")));
    }

    @Test
    void aDryRunReturnsThePlanAndRecordsNoRecommendation() {
        String key = Cycles.portfolio();
        run(key, "strategist", Map.of("dryRun", true)).statusCode(201)
                .body("dryRun", equalTo(true)).body("recommendationId", nullValue())
                .body("plan.shifts[0].amount", Api.money("200"))
                .body("plan.adjustments", notNullValue())
                .body("plan.flags", hasSize(0));
        as("viewer").get("/api/v1/recommendations?portfolio=" + key).then().body("total", equalTo(0));
    }

    @Test
    void aNewerRecommendationSupersedesTheOpenOne() {
        String key = Cycles.portfolio();
        int first = recommendationOf(key);
        int second = recommendationOf(key);
        assertThat(second).isNotEqualTo(first);
        as("viewer").get("/api/v1/recommendations/" + first).then().body("status", equalTo("SUPERSEDED"));
        as("viewer").get("/api/v1/recommendations?portfolio=" + key + "&status=PROPOSED").then()
                .body("total", equalTo(1)).body("items[0].id", equalTo(second));
        as("approver").post("/api/v1/recommendations/" + first + "/approve").then().statusCode(409);
    }

    @Test
    void everyTransitionIsCheckedLegalAndIllegal() {
        String key = Cycles.portfolio();
        int rec = recommendationOf(key);
        as("approver").post("/api/v1/recommendations/" + rec + "/apply").then().statusCode(409).contentType(PROBLEM);
        as("approver").header("If-Match", "\"99\"").post("/api/v1/recommendations/" + rec + "/approve")
                .then().statusCode(412).contentType(PROBLEM);
        as("approver").body(Map.of("comment", "no")).post("/api/v1/recommendations/" + rec + "/reject").then()
                .statusCode(200).body("status", equalTo("REJECTED"));
        as("approver").post("/api/v1/recommendations/" + rec + "/approve").then().statusCode(409);
        as("approver").post("/api/v1/recommendations/" + rec + "/reject").then().statusCode(409);
        as("approver").post("/api/v1/recommendations/" + rec + "/apply").then().statusCode(409);

        int rec2 = recommendationOf(key);
        as("approver").post("/api/v1/recommendations/" + rec2 + "/approve").then().statusCode(200);
        as("approver").post("/api/v1/recommendations/" + rec2 + "/approve").then().statusCode(409);
        as("approver").post("/api/v1/recommendations/" + rec2 + "/reject").then().statusCode(409);
        as("approver").post("/api/v1/recommendations/" + rec2 + "/apply").then().statusCode(200)
                .body("status", equalTo("APPLIED"));
        as("approver").post("/api/v1/recommendations/" + rec2 + "/apply").then().statusCode(409);
        as("viewer").get("/api/v1/recommendations/999999999").then().statusCode(404);
        as("viewer").get("/api/v1/recommendations?status=DONE").then().statusCode(400);
    }

    @Test
    void aProposedRecommendationExpiresAfterItsAge() {
        String key = Cycles.portfolio();
        int rec = recommendationOf(key);
        try {
            clock.advance(Duration.ofHours(73));
            assertThat(recommendations.expireOld()).isGreaterThanOrEqualTo(1);
        } finally {
            clock.reset();
        }
        as("viewer").get("/api/v1/recommendations/" + rec).then().body("status", equalTo("EXPIRED"));
        as("viewer").get("/api/v1/audit?entityType=recommendation&entityId=" + rec + "&action=RECOMMENDATION_EXPIRED")
                .then().body("total", equalTo(1)).body("items[0].actor", equalTo("system"));
    }

    @Test
    void concurrentApprovalsOfOneRecommendationHaveExactlyOneWinner() throws Exception {
        String key = Cycles.portfolio();
        int rec = recommendationOf(key);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> as("approver").post("/api/v1/recommendations/" + rec + "/approve").statusCode());
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                codes.add(f.get());
            }
            assertThat(codes).containsOnly(200, 409);
            assertThat(codes).filteredOn(c -> c == 200).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        as("viewer").get("/api/v1/audit?entityType=recommendation&entityId=" + rec + "&action=RECOMMENDATION_APPROVED")
                .then().body("total", equalTo(1));
    }

    @Test
    void aSecondRunWhileOneIsInProgressIsAConflict() throws Exception {
        String key = Cycles.portfolio();
        long portfolioId = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                io.spendshift.portfolio.Portfolio.byKey(key).orElseThrow().id);
        assertThat(runLock.acquire(portfolioId)).isTrue();
        try {
            run(key, "strategist", Map.of()).statusCode(409).contentType(PROBLEM)
                    .body("detail", org.hamcrest.Matchers.containsString("already in progress"));
            assertThat(runLock.acquire(portfolioId)).as("the lock is exclusive").isFalse();
        } finally {
            runLock.release(portfolioId);
        }
        // parallel runs: each one either ran or was refused, and the lock is free afterwards
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(() -> as("strategist").body(Map.of("dryRun", true))
                        .post("/api/v1/portfolios/" + key + "/runs").statusCode());
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                codes.add(f.get());
            }
            assertThat(codes).containsOnly(201, 409).contains(201);
        } finally {
            pool.shutdownNow();
        }
        assertThat(runLock.acquire(portfolioId)).isTrue();
        runLock.release(portfolioId);
    }

    @Test
    void runsValidateTheirInputAndRoles() {
        String key = Cycles.portfolio();
        run(key, "strategist", Map.of("asOf", "tomorrow-ish")).statusCode(400).body("errors[0].field", equalTo("asOf"));
        run(key, "strategist", Map.of("asOf", LocalDate.now().plusDays(5).toString())).statusCode(400);
        run(key, "strategist", Map.of("dryRun", "yes")).statusCode(400);
        run(key, "viewer", Map.of()).statusCode(403);
        run(key, "ingest", Map.of()).statusCode(403);
        run("no-such-portfolio", "strategist", Map.of()).statusCode(404);
        as("viewer").get("/api/v1/runs/123456789").then().statusCode(404);
        as("viewer").get("/api/v1/runs/abc").then().statusCode(404);
        as("viewer").get("/api/v1/portfolios/" + key + "/runs").then().statusCode(200)
                .body("items.status", not(hasItem("RUNNING")));
    }
}
