package io.spendshift.run;

import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import io.spendshift.TestClock;
import io.spendshift.facts.FactsService;
import io.spendshift.policy.PortfolioFacts;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Pacing through the whole cycle (facts in the portfolio's time zone, a pacing plan reviewed and applied like any
 * other) and explanations people read: sentences, summary, titled entries, and no Java object text in any answer.
 */
@QuarkusTest
public class PacingAndExplanationsTest {

    /** Java object text: an identity hash, an array type name, a package name, a map's toString. */
    static final Pattern OBJECT_TEXT = Pattern.compile("@[0-9a-f]{5,}|\\[L[\\w.$]+;|\\[Ljava|java\\.[a-z]+\\.|\\{\\w+=");
    /** A "null" in the words for people (a JSON null value is fine): text, title, sentence, summary. */
    static final Pattern NULL_TEXT = Pattern.compile("\"(text|title|sentence|summary)\":\"(\\\\.|[^\"\\\\])*\\bnull\\b");

    @Inject
    FactsService facts;
    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    static BigDecimal sum(List<Object> values) {
        return values.stream().map(v -> new BigDecimal(v.toString())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void aPacingPlanChangesTheTotalAndIsApprovedAndAppliedLikeAnyOther() {
        // 2,000 a day against a monthly budget of 30,000: the target falls by the 10% a day allowed, to 1,800
        String key = Cycles.portfolio("RECOMMEND", Map.of("plan", Map.of("monthlyBudget", 30000)));
        as("viewer").get("/api/v1/portfolios/" + key).then().body("plan.maxDailyChangePct", equalTo(10));
        for (Object bad : List.of(0, 101, -5)) {
            Api.admin().contentType("application/merge-patch+json")
                    .body(Map.of("plan", Map.of("monthlyBudget", 30000, "maxDailyChangePct", bad)))
                    .patch("/api/v1/portfolios/" + key).then().statusCode(400)
                    .body("errors.field", hasItem("plan.maxDailyChangePct"));
        }
        int rec = CycleTest.recommendationOf(key);
        var r = as("viewer").get("/api/v1/recommendations/" + rec).then().statusCode(200)
                .body("pacing.totalBefore", Api.money("2000"))
                .body("pacing.totalAfter", Api.money("1800"))
                .body("pacing.dailyTarget", Api.money("1800"))
                .body("pacing.period.from", equalTo(LocalDate.now().withDayOfMonth(1).toString()))
                .body("pacing.budget", Api.money("30000"))
                .body("pacing.daysLeft", equalTo(LocalDate.now().lengthOfMonth() - LocalDate.now().getDayOfMonth() + 1))
                .body("pacing.spentToDate", notNullValue())
                // the policy's shift is still there, between real channels, with its sentence
                .body("shifts[0].from", equalTo("poor"))
                .body("shifts[0].sentence", startsWith("Move €200/day from poor to good: the next euro there buys €"))
                .body("summary", containsString("Pacing: the month"))
                .body("summary", containsString("from €2,000 to €1,800"))
                .body("explanation.find { it.rule == 'Pace the total daily budget to the budget plan' }.internal",
                        equalTo(false))
                .extract();
        List<Object> proposed = r.path("allocations.proposedBudget");
        List<Object> current = r.path("allocations.currentBudget");
        assertThat(sum(proposed).subtract(sum(current))).as("the total changes by exactly totalAfter - totalBefore")
                .isEqualByComparingTo("-200");
        // each channel's delta: the shifts into it minus out of it, plus its part of the pacing change
        deltasAddUp(r);
        List<Map<String, Object>> allocations = r.path("allocations");
        List<Map<String, Object>> parts = r.path("pacing.channels");

        as("approver").body(Map.of("comment", "on budget")).post("/api/v1/recommendations/" + rec + "/approve")
                .then().statusCode(200).body("status", equalTo("APPROVED"));
        as("approver").post("/api/v1/recommendations/" + rec + "/apply").then().statusCode(200)
                .body("status", equalTo("APPLIED"));
        as("viewer").get("/api/v1/portfolios/" + key).then().body("totalDailyBudget", Api.money("1800"));
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=RECOMMENDATION_CREATED").then()
                .body("items[0].details.pacing.totalAfter", Api.money("1800"));
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=BUDGET_CHANGED").then()
                .body("items.size()", equalTo(parts.isEmpty() ? 2 : (int) allocations.stream()
                        .filter(a -> new BigDecimal(a.get("delta").toString()).signum() != 0).count()));
    }

    @Test
    void inAutoApplyThePacingChangeCountsAgainstTheGuardrail() {
        // the policy's shift of 200 and the pacing cut of 200 move 400: more than 10% of 2,000, left for review
        String key = Cycles.portfolio("AUTO_APPLY", Map.of("plan", Map.of("monthlyBudget", 30000)));
        int rec = CycleTest.recommendationOf(key);
        as("viewer").get("/api/v1/recommendations/" + rec).then()
                .body("status", equalTo("PROPOSED"))
                .body("moved", Api.money("400"))
                .body("autoApplyWithheld", startsWith("moves 400.00, more than autoApplyMaxShiftPct 10%"));
        // with room for it, the same plan is applied by the system when its moves between channels promise a gain
        String wide = Cycles.portfolio("AUTO_APPLY", Map.of("plan", Map.of("monthlyBudget", 30000),
                "policy", Map.of("autoApplyMaxShiftPct", 25)));
        int auto = CycleTest.recommendationOf(wide);
        as("viewer").get("/api/v1/recommendations/" + auto).then().body("pacing.totalAfter", Api.money("1800"))
                // the whole plan's forecast falls with the cut; the gate judges the shift poor -> good
                .body("forecast.valuePerDay.low", org.hamcrest.Matchers.lessThan(0f))
                .body("status", equalTo("APPLIED"))
                .body("decidedBy", equalTo("system"));
        as("viewer").get("/api/v1/portfolios/" + wide).then().body("totalDailyBudget", Api.money("1800"));
    }

    @Test
    void withoutABudgetPlanNothingPacesAndTheTotalIsConserved() {
        String key = Cycles.portfolio();
        int rec = CycleTest.recommendationOf(key);
        var r = as("viewer").get("/api/v1/recommendations/" + rec).then().statusCode(200)
                .body("pacing", nullValue())
                .body("summary", startsWith("Moves €200/day from poor (-€200) to good (+€200)"))
                .body("explanation.title", everyItem(notNullValue()))
                .body("explanation.text", everyItem(notNullValue()))
                .body("explanation.internal", hasItem(true))
                .body("explanation.internal", hasItem(false))
                .extract();
        List<Object> proposed = r.path("allocations.proposedBudget");
        List<Object> current = r.path("allocations.currentBudget");
        assertThat(sum(proposed)).isEqualByComparingTo(sum(current));
        // the thresholds of kinds the portfolio does not have are internal, its own kind's are not
        List<Map<String, Object>> entries = r.path("explanation");
        assertThat(entries).filteredOn(e -> "Thresholds for video".equals(e.get("rule")))
                .allSatisfy(e -> assertThat(e.get("internal")).isEqualTo(true));
        assertThat(entries).filteredOn(e -> "Thresholds for search".equals(e.get("rule")))
                .isNotEmpty().allSatisfy(e -> assertThat(e.get("internal")).isEqualTo(false));
    }

    @Test
    void noAnswerCarriesJavaObjectText() {
        String key = Cycles.portfolio("RECOMMEND", Map.of("plan", Map.of("monthlyBudget", 30000)));
        int rec = CycleTest.recommendationOf(key);
        int run = as("viewer").get("/api/v1/recommendations/" + rec).then().extract().path("runId");
        List<String> bodies = new ArrayList<>();
        bodies.add(as("viewer").get("/api/v1/recommendations/" + rec).then().statusCode(200).extract().asString());
        bodies.add(as("viewer").get("/api/v1/recommendations?portfolio=" + key).then().statusCode(200).extract().asString());
        bodies.add(as("viewer").get("/api/v1/runs/" + run).then().statusCode(200).extract().asString());
        bodies.add(CycleTest.run(key, "strategist", Map.of("dryRun", true)).statusCode(201)
                .body("plan.summary", notNullValue())
                .body("plan.shifts[0].sentence", startsWith("Move €"))
                .extract().asString());
        bodies.add(as("viewer").get("/api/v1/audit?portfolio=" + key + "&size=200").then().statusCode(200)
                .extract().asString());
        bodies.add(as("strategist").body(Map.of()).post("/api/v1/rules/scenarios").then().statusCode(200)
                .extract().asString());
        bodies.add(as("viewer").get("/api/v1/portfolios/" + key + "/performance").then().statusCode(200)
                .extract().asString());
        for (String b : bodies) {
            assertThat(OBJECT_TEXT.matcher(b).find()).as("Java object text in " + b).isFalse();
            assertThat(NULL_TEXT.matcher(b).find()).as("null in the text of " + b).isFalse();
        }
        // the range of marginal values (an accumulate of several functions) shows its values
        assertThat(bodies.get(0)).contains("\"type\":\"Aggregate\"");
    }

    @Test
    void factsFollowTheMonthInThePortfoliosTimeZoneAndAFlightTakesPrecedence() {
        // 23:30 UTC on 31 March is already 1 April in Berlin
        clock.advance(Duration.between(Instant.now(), Instant.parse("2026-03-31T23:30:00Z")));
        String utc = portfolio("UTC", Map.of("monthlyBudget", 6200));
        String berlin = portfolio("Europe/Berlin", Map.of("monthlyBudget", 6200));
        String flight = portfolio("UTC", Map.of("monthlyBudget", 6200, "maxDailyChangePct", 50,
                "flights", List.of(Map.of("from", "2026-03-20", "to", "2026-04-05", "budget", 2000))));
        String none = portfolio("UTC", null);

        PortfolioFacts u = facts.facts(utc, null).portfolio();
        assertThat(u.getAsOf()).isEqualTo(LocalDate.of(2026, 3, 31));
        assertThat(u.getPeriodKind()).isEqualTo("MONTH");
        assertThat(u.getPeriodFrom()).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(u.getSpendToDate()).as("1-30 March, not February").isEqualByComparingTo("3000");
        assertThat(u.getDaysElapsed()).isEqualTo(30);
        assertThat(u.getDaysLeft()).isEqualTo(1);
        assertThat(u.getPace()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(u.getPacedDailyTotal()).isEqualByComparingTo("3200");
        assertThat(u.getDailyTarget()).as("+10% a day at most").isEqualByComparingTo("1100");

        PortfolioFacts b = facts.facts(berlin, null).portfolio();
        assertThat(b.getAsOf()).isEqualTo(LocalDate.of(2026, 4, 1));
        assertThat(b.getPeriodFrom()).isEqualTo(LocalDate.of(2026, 4, 1));
        assertThat(b.getSpendToDate()).isEqualByComparingTo("0");
        assertThat(b.getDaysLeft()).isEqualTo(30);
        assertThat(b.getPace()).isNull();

        PortfolioFacts f = facts.facts(flight, null).portfolio();
        assertThat(f.getPeriodKind()).isEqualTo("FLIGHT");
        assertThat(f.getPeriodBudget()).isEqualByComparingTo("2000");
        assertThat(f.getSpendToDate()).as("20-30 March").isEqualByComparingTo("1100");
        assertThat(f.getDaysLeft()).isEqualTo(6);
        // (2,000 - 1,100) / 6 = 150, more than 50% below 1,000: bounded to 500
        assertThat(f.getPacedDailyTotal()).isEqualByComparingTo("150");
        assertThat(f.getDailyTarget()).isEqualByComparingTo("500");

        assertThat(facts.facts(none, null).portfolio().isPacing()).isFalse();
    }

    /** One search channel at 1,000 a day that spent 100 a day from 28 February to 30 March 2026. */
    private static String portfolio(String zone, Map<String, Object> plan) {
        String key = Api.uniqueKey("pace");
        Map<String, Object> body = new java.util.HashMap<>(Map.of("key", key, "name", "Pacing " + key,
                "currency", "EUR", "timeZone", zone));
        if (plan != null) {
            body.put("plan", plan);
        }
        Api.admin().body(body).post("/api/v1/portfolios").then().statusCode(201);
        Api.admin().body(Map.of("name", "Search", "kind", "search", "dailyBudget", 1000))
                .put("/api/v1/portfolios/" + key + "/channels/s").then().statusCode(201);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LocalDate d = LocalDate.of(2026, 2, 28); d.isBefore(LocalDate.of(2026, 3, 31)); d = d.plusDays(1)) {
            rows.add(Api.row("s", d.toString(), 100, 1000, 10, 1, 50, 1, null));
        }
        Api.as("ingest").body(rows).post("/api/v1/portfolios/" + key + "/metrics").then().statusCode(200);
        return key;
    }

    /**
     * A plan's invariant with pacing: each channel's delta is the shifts into it minus out of it plus its part of
     * the pacing change. Returns the sum of the proposed budgets.
     */
    public static BigDecimal deltasAddUp(io.restassured.response.ExtractableResponse<?> r) {
        List<Map<String, Object>> allocations = r.path("allocations");
        List<Map<String, Object>> shifts = r.path("shifts");
        List<Map<String, Object>> parts = r.path("pacing.channels");
        BigDecimal total = BigDecimal.ZERO;
        for (Map<String, Object> a : allocations) {
            total = total.add(new BigDecimal(a.get("proposedBudget").toString()));
            BigDecimal net = BigDecimal.ZERO;
            for (Map<String, Object> s : shifts) {
                BigDecimal amount = new BigDecimal(s.get("amount").toString());
                net = net.add(a.get("channel").equals(s.get("to")) ? amount
                        : a.get("channel").equals(s.get("from")) ? amount.negate() : BigDecimal.ZERO);
            }
            for (Map<String, Object> p : parts == null ? List.<Map<String, Object>>of() : parts) {
                if (a.get("channel").equals(p.get("channel"))) {
                    net = net.add(new BigDecimal(p.get("delta").toString()));
                }
            }
            assertThat(new BigDecimal(a.get("delta").toString())).as("delta of " + a.get("channel"))
                    .isEqualByComparingTo(net);
        }
        return total;
    }
}
