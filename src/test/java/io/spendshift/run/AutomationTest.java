package io.spendshift.run;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import io.spendshift.facts.FactsService;
import io.spendshift.learning.Experiment;
import io.spendshift.learning.Forecast;
import io.spendshift.portfolio.Portfolio;
import io.spendshift.recommendation.ExperimentRecord;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** Forecasts on plans and runs, experiments, and the gates an automatic apply must pass. */
@QuarkusTest
class AutomationTest {

    @Inject
    FactsService facts;

    static io.restassured.response.ValidatableResponse run(String key, Object body) {
        return as("strategist").body(body).post("/api/v1/portfolios/" + key + "/runs").then().statusCode(201);
    }

    /** Re-sends yesterday's rows: the data version moves though the numbers do not. */
    static void touchData(String key) {
        String y = LocalDate.now().minusDays(1).toString();
        as("ingest").body(List.of(Api.row("good", y, 1000, 100000, 5000, 100, 6000, 100, 100)))
                .post("/api/v1/portfolios/" + key + "/metrics").then().statusCode(200);
    }

    @Test
    void everyPlanAndDryRunCarriesItsForecastRoundedToCents() {
        String key = Cycles.portfolio();
        TestDecider.force(key, TestDecider.forecast(12.3456, 2.004, 30.999));
        run(key, Map.of("dryRun", true))
                .body("forecast.level", Api.money("0.8"))
                .body("forecast.horizonDays", equalTo(30))
                .body("forecast.valuePerDay.expected", Api.money("12.35"))
                .body("forecast.valuePerDay.low", Api.money("2.00"))
                .body("forecast.valuePerDay.high", Api.money("31.00"))
                .body("forecast.valueOverHorizon.expected", Api.money("370.37"))
                .body("forecast.channels[0].channel", equalTo("good"))
                .body("forecast.channels[0].valuePerDay.low", Api.money("2.00"))
                .body("forecast.explorationCostPerDay", nullValue())
                .body("reason", nullValue());
        int rec = run(key, Map.of()).extract().path("recommendationId");
        as("viewer").get("/api/v1/recommendations/" + rec).then()
                .body("kind", equalTo("PLAN")).body("revertOf", nullValue())
                .body("forecast.valuePerDay.expected", Api.money("12.35"))
                .body("experiments", hasSize(0))
                .body("autoApplyWithheld", nullValue());
        as("viewer").get("/api/v1/recommendations?portfolio=" + key).then()
                .body("items[0].forecast.valuePerDay.high", Api.money("31.00"));

        TestDecider.force(key, Forecast.unavailable("too little spend variation"));
        int rec2 = run(key, Map.of()).extract().path("recommendationId");
        as("viewer").get("/api/v1/recommendations/" + rec2).then()
                .body("forecast.unavailable", equalTo("too little spend variation"))
                .body("forecast.valuePerDay", nullValue());
    }

    @Test
    void aPerMinuteScheduleOnTheSameDataAppliesAtMostOncePerDay() {
        String key = Cycles.portfolio("AUTO_APPLY", Map.of("policy", Map.of("cooldownDays", 0)));
        TestDecider.force(key, TestDecider.forecast(80, 20, 140));
        int first = run(key, Map.of()).body("status", equalTo("SUCCEEDED")).extract().path("recommendationId");
        as("viewer").get("/api/v1/recommendations/" + first).then().body("status", equalTo("APPLIED"))
                .body("decidedBy", equalTo("system")).body("appliedOn", equalTo(LocalDate.now().toString()));
        // the next minutes: nothing changed, nothing proposed
        for (int i = 0; i < 3; i++) {
            run(key, Map.of()).body("status", equalTo("NO_CHANGE")).body("reason", equalTo("same data"))
                    .body("recommendationId", nullValue());
        }
        // a dry run still shows the plan on the same data
        run(key, Map.of("dryRun", true)).body("reason", nullValue()).body("plan.shifts", hasSize(1));
        // new data: a new plan, but today's one automatic apply is spent
        touchData(key);
        int second = run(key, Map.of()).body("status", equalTo("SUCCEEDED")).extract().path("recommendationId");
        as("viewer").get("/api/v1/recommendations/" + second).then().body("status", equalTo("PROPOSED"))
                .body("autoApplyWithheld", equalTo("1 automatic apply already today (maxAppliesPerDay 1)"));
        touchData(key);
        run(key, Map.of()).body("status", equalTo("SUCCEEDED"));
        as("viewer").get("/api/v1/recommendations?portfolio=" + key + "&status=APPLIED").then().body("total", equalTo(1));
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=RUN_FINISHED&order=desc").then()
                .body("items[0].details.autoApplyWithheld", equalTo("1 automatic apply already today (maxAppliesPerDay 1)"))
                .body("items.find { it.details.reason == 'same data' }.details.status", equalTo("NO_CHANGE"));
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=RECOMMENDATION_APPLIED").then().body("total", equalTo(1));
    }

    @Test
    void aFreezeWithholdsTheAutomaticApply() {
        LocalDate today = LocalDate.now();
        String key = Cycles.portfolio("AUTO_APPLY", Map.of("policy", Map.of("freeze", List.of(Map.of("from",
                today.minusDays(1).toString(), "to", today.plusDays(2).toString(), "reason", "black friday")))));
        TestDecider.force(key, TestDecider.forecast(80, 20, 140));
        int rec = run(key, Map.of()).extract().path("recommendationId");
        as("viewer").get("/api/v1/recommendations/" + rec).then().body("status", equalTo("PROPOSED"))
                .body("autoApplyWithheld", equalTo("frozen: black friday (" + today.minusDays(1) + ".."
                        + today.plusDays(2) + ")"));
        as("viewer").get("/api/v1/portfolios/" + key + "/channels").then()
                .body("items.find { it.key == 'good' }.dailyBudget", Api.money("1000"));
    }

    @Test
    void aForecastWhoseLowerBoundIsNotAGainWithholds() {
        String key = Cycles.portfolio("AUTO_APPLY", Map.of());
        TestDecider.force(key, TestDecider.forecast(25, -12.3, 60));
        int rec = run(key, Map.of()).extract().path("recommendationId");
        as("viewer").get("/api/v1/recommendations/" + rec).then().body("status", equalTo("PROPOSED"))
                .body("autoApplyWithheld", equalTo("forecast lower bound -12.30/day is not above zero"));

        String other = Cycles.portfolio("AUTO_APPLY", Map.of());
        TestDecider.force(other, Forecast.unavailable("the response model is not fitted yet"));
        int rec2 = run(other, Map.of()).extract().path("recommendationId");
        as("viewer").get("/api/v1/recommendations/" + rec2).then().body("status", equalTo("PROPOSED"))
                .body("autoApplyWithheld", equalTo("forecast unavailable: the response model is not fitted yet"));
    }

    @Test
    void experimentsArePlannedWithThePlanActiveOnceAppliedAndEndedWhenRejected() {
        String key = Cycles.portfolio();
        LocalDate today = LocalDate.now();
        TestDecider.experiments(key, List.of(new Experiment("good", new BigDecimal("50"), 5.0, "elasticity unknown",
                today, today.plusDays(14))));
        int rejected = run(key, Map.of()).extract().path("recommendationId");
        as("viewer").get("/api/v1/recommendations/" + rejected).then()
                .body("experiments[0].channel", equalTo("good"))
                .body("experiments[0].deltaPct", Api.money("5"))
                .body("experiments[0].reason", equalTo("elasticity unknown"))
                .body("experiments[0].until", equalTo(today.plusDays(14).toString()));
        as("approver").post("/api/v1/recommendations/" + rejected + "/reject").then().statusCode(200);
        assertThat(statuses(rejected)).containsExactly(ExperimentRecord.Status.ENDED);

        int rec = run(key, Map.of()).extract().path("recommendationId");
        assertThat(statuses(rec)).containsExactly(ExperimentRecord.Status.PLANNED);
        as("approver").post("/api/v1/recommendations/" + rec + "/approve").then().statusCode(200);
        as("approver").post("/api/v1/recommendations/" + rec + "/apply").then().statusCode(200);
        assertThat(statuses(rec)).containsExactly(ExperimentRecord.Status.ACTIVE);

        long pid = QuarkusTransaction.requiringNew().call(() -> Portfolio.byKey(key).orElseThrow().id);
        assertThat(facts.runningExperiments(pid, today.plusDays(3))).singleElement()
                .satisfies(e -> assertThat(e.channel()).isEqualTo("good"));
        // a block that is over keeps its move in the budget until an applied plan undoes it
        assertThat(facts.runningExperiments(pid, today.plusDays(14))).singleElement()
                .satisfies(e -> assertThat(e.until()).isEqualTo(today.plusDays(14)));
        Map<Long, java.util.Set<LocalDate>> days = QuarkusTransaction.requiringNew().call(() ->
                facts.experimentDays(Portfolio.byKey(key).orElseThrow(), today.plusDays(3)));
        assertThat(days.values()).singleElement().satisfies(d -> assertThat(d).containsExactlyInAnyOrder(today,
                today.plusDays(1), today.plusDays(2)));
    }

    static List<ExperimentRecord.Status> statuses(int rec) {
        return QuarkusTransaction.requiringNew().call(() -> ExperimentRecord.<ExperimentRecord>list("recommendationId",
                (long) rec).stream().map(x -> x.status).toList());
    }

    @Test
    void aRunWithoutAppliedPlanIsNeverSameData() {
        String key = Cycles.portfolio();
        run(key, Map.of()).body("status", equalTo("SUCCEEDED")).body("recommendationId", notNullValue());
        run(key, Map.of()).body("status", equalTo("SUCCEEDED")).body("reason", nullValue());
    }
}
