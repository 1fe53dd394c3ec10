package io.spendshift.verification;

import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import io.spendshift.TestClock;
import io.spendshift.learning.Interval;
import io.spendshift.learning.Verification;
import io.spendshift.run.Cycles;
import io.spendshift.run.TestDecider;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** Applied plans checked against their forecasts, and undone by a REVERT recommendation. */
@QuarkusTest
class VerificationAndRevertTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    VerificationService verification;
    @Inject
    TestClock clock;

    static int run(String key) {
        return as("strategist").body(Map.of()).post("/api/v1/portfolios/" + key + "/runs").then().statusCode(201)
                .extract().path("recommendationId");
    }

    static void approveAndApply(int rec) {
        as("approver").post("/api/v1/recommendations/" + rec + "/approve").then().statusCode(200);
        as("approver").post("/api/v1/recommendations/" + rec + "/apply").then().statusCode(200)
                .body("status", equalTo("APPLIED"));
    }

    /** A plan (poor → good, 200) made and applied by people. */
    static int applied(String key) {
        int rec = run(key);
        approveAndApply(rec);
        return rec;
    }

    @Test
    void aRevertRestoresTheBudgetsAndIsReviewedAndAppliedLikeAnyPlan() {
        String key = Cycles.portfolio();
        int rec = applied(key);
        as("viewer").get("/api/v1/portfolios/" + key + "/channels").then()
                .body("items.find { it.key == 'good' }.dailyBudget", Api.money("1200"));

        as("strategist").post("/api/v1/recommendations/" + rec + "/revert").then().statusCode(403);
        int revert = as("approver").body(Map.of("comment", "not convinced")).post("/api/v1/recommendations/" + rec + "/revert")
                .then().statusCode(201)
                .header("Location", endsWith("/api/v1/recommendations/" + as("viewer")
                        .get("/api/v1/recommendations?portfolio=" + key).then().extract().path("items[0].id")))
                .body("kind", equalTo("REVERT")).body("revertOf", equalTo(rec))
                .body("status", equalTo("PROPOSED")).body("runId", nullValue())
                .body("allocations.find { it.channel == 'good' }.proposedBudget", Api.money("1000"))
                .body("allocations.find { it.channel == 'poor' }.proposedBudget", Api.money("1000"))
                .body("shifts[0].from", equalTo("good")).body("shifts[0].to", equalTo("poor"))
                .body("shifts[0].amount", Api.money("200"))
                .body("shifts[0].rule", equalTo("Revert recommendation " + rec))
                .body("forecast", notNullValue())
                .extract().path("id");

        // one revert at a time, and only of an applied plan
        as("approver").post("/api/v1/recommendations/" + rec + "/revert").then().statusCode(409).contentType(PROBLEM);
        as("approver").post("/api/v1/recommendations/" + revert + "/revert").then().statusCode(409).contentType(PROBLEM);
        as("approver").post("/api/v1/recommendations/999999999/revert").then().statusCode(404);

        approveAndApply(revert);
        as("viewer").get("/api/v1/portfolios/" + key + "/channels").then()
                .body("items.dailyBudget", everyItem(Api.money("1000")));
        as("approver").post("/api/v1/recommendations/" + rec + "/revert").then().statusCode(409);
        as("viewer").get("/api/v1/audit?entityType=recommendation&entityId=" + revert + "&action=RECOMMENDATION_CREATED")
                .then().body("items[0].actor", equalTo("approver"))
                .body("items[0].details.kind", equalTo("REVERT"))
                .body("items[0].details.revertOf", equalTo(rec))
                .body("items[0].details.comment", equalTo("not convinced"));
        as("viewer").get("/api/v1/audit/verify").then().body("valid", equalTo(true));

        // the reverted plan cannot be verified any more
        assertThat(verification.check(rec, null).status()).isEqualTo(Verification.Status.INCONCLUSIVE);
        as("viewer").get("/api/v1/recommendations/" + rec + "/verification").then().statusCode(200)
                .body("status", equalTo("INCONCLUSIVE")).body("reason", startsWith("reverted"));
    }

    @Test
    void verificationIsPendingUntilEnoughDaysThenUnderdeliveryIsAuditedAndAutoReverted() {
        String key = Cycles.portfolio("RECOMMEND", Map.of("policy", Map.of("autoRevert", true, "verifyAfterDays", 7),
                "notify", List.of(Map.of("type", "EMAIL", "target", "perf@brand.example",
                        "events", List.of("RECOMMENDATION_UNDERDELIVERED")))));
        TestDecider.force(key, TestDecider.forecast(80, 20, 140));
        int proposed = run(key);
        as("viewer").get("/api/v1/recommendations/" + proposed + "/verification").then().statusCode(409)
                .contentType(PROBLEM);
        as("viewer").get("/api/v1/recommendations/999999999/verification").then().statusCode(404);
        approveAndApply(proposed);
        int rec = proposed;
        LocalDate appliedOn = LocalDate.now();
        as("viewer").get("/api/v1/recommendations/" + rec + "/verification").then().statusCode(200)
                .body("status", equalTo("PENDING")).body("realized", nullValue()).body("checkedAt", nullValue())
                .body("forecast.valuePerDay.low", Api.money("20"));

        // not due before verifyAfterDays days of data
        assertThat(verification.check(rec, appliedOn.plusDays(3)).status()).isNull();
        TestChecker.force(rec, new Verification(Verification.Status.UNDERDELIVERED, 7, new Interval(-50, -80, -20.004),
                "model-residual", "realized below the forecast's interval"));
        try {
            clock.advance(Duration.ofDays(8));
            assertThat(verification.check(rec, null).status()).as("no data after the change yet").isNull();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int d = 0; d < 7; d++) {
                String date = appliedOn.plusDays(d).toString();
                rows.add(Api.row("good", date, 1200, 100000, 5000, 100, 6000, 100, 100));
                rows.add(Api.row("poor", date, 800, 100000, 5000, 8, 480, 8, 100));
            }
            as("ingest").body(rows).post("/api/v1/portfolios/" + key + "/metrics").then().statusCode(200);
            VerificationService.Checked checked = verification.checkDue(null);
            assertThat(checked.underdelivered()).isGreaterThanOrEqualTo(1);
            assertThat(checked.reverted()).isGreaterThanOrEqualTo(1);
        } finally {
            clock.reset();
        }
        as("viewer").get("/api/v1/recommendations/" + rec + "/verification").then().statusCode(200)
                .body("status", equalTo("UNDERDELIVERED")).body("afterDays", equalTo(7))
                .body("realized.expected", Api.money("-50")).body("realized.high", Api.money("-20.00"))
                .body("method", equalTo("model-residual")).body("checkedAt", notNullValue())
                .body("forecast.valuePerDay.expected", Api.money("80"));
        as("viewer").get("/api/v1/recommendations/" + rec).then().body("verificationStatus", equalTo("UNDERDELIVERED"));
        as("viewer").get("/api/v1/audit?entityType=recommendation&entityId=" + rec
                + "&action=RECOMMENDATION_UNDERDELIVERED").then().body("total", equalTo(1))
                .body("items[0].actor", equalTo("system"))
                .body("items[0].details.afterDays", equalTo(7))
                .body("items[0].details.forecast.low", Api.money("20"))
                .body("items[0].details.realized.low", Api.money("-80"));
        // and notified to the subscribed target
        as("viewer").get("/api/v1/portfolios/" + key + "/notifications").then().statusCode(200)
                .body("items.findAll { it.event == 'RECOMMENDATION_UNDERDELIVERED' }.size()", equalTo(1));
        // autoRevert: the system proposed the revert and applied it
        as("viewer").get("/api/v1/recommendations?portfolio=" + key + "&status=APPLIED").then()
                .body("items.find { it.kind == 'REVERT' }.revertOf", equalTo(rec))
                .body("items.find { it.kind == 'REVERT' }.decidedBy", equalTo("system"));
        as("viewer").get("/api/v1/portfolios/" + key + "/channels").then()
                .body("items.dailyBudget", everyItem(Api.money("1000")));
        // checked once: an UNDERDELIVERED plan is not checked again
        assertThat(verification.checkDue(null).underdelivered()).isZero();
    }
}
