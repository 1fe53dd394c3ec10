package io.spendshift.recommendation;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import io.spendshift.connector.FakePlatforms;
import io.spendshift.recommendation.sink.RecordingPlatformSink;
import io.spendshift.run.Cycles;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Plans that outlive their guardrails (issue 22, section 3). A plan is made against the channels of its day; a
 * channel locked since, or given a lower maximum or a higher minimum, must not be moved by the apply (an approver's
 * or the scheduler's) nor kept moving by an edit that names other channels; and {@code If-Match} is the exact entity
 * tag, not a number that happens to parse to the version.
 */
@QuarkusTest
class ApplyGuardrailsTest {

    private static final String PROBLEM = "application/problem+json";
    /** The fake Google Ads account's campaigns 111 and 222 (600 + 400): where "good" lives in the first test. */
    private static final Map<String, Object> TARGET = Map.of("connector", "google-ads", "account", "1234567890",
            "campaigns", List.of("111", "222"), "split", "PROPORTIONAL");

    static FakePlatforms platforms;

    @Inject
    RecommendationService recommendations;
    @Inject
    EntityManager em;

    HttpServer webhook;
    final AtomicInteger webhookCalls = new AtomicInteger();

    @BeforeAll
    static void platforms() throws IOException {
        platforms = new FakePlatforms(18931);
        platforms.googleCampaign("111", "Brand", "600");
        platforms.googleCampaign("222", "Generic", "400");
    }

    @AfterAll
    static void stopPlatforms() {
        platforms.close();
    }

    @BeforeEach
    void startWebhook() throws IOException {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/", ex -> {
            webhookCalls.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        webhook.start();
    }

    @AfterEach
    void stopWebhook() {
        webhook.stop(0);
    }

    /** The cycle fixture (poor 1,000 → 800, good 1,000 → 1,200) with a budget webhook. */
    String portfolio() {
        return Cycles.portfolio("RECOMMEND", Map.of("webhook", Map.of("url", "http://127.0.0.1:"
                + webhook.getAddress().getPort() + "/budgets", "secret", "whsec-guardrails-0123456789")));
    }

    static int run(String key) {
        return as("strategist").body(Map.of()).post("/api/v1/portfolios/" + key + "/runs").then().statusCode(201)
                .body("status", equalTo("SUCCEEDED")).extract().path("recommendationId");
    }

    /** A channel of the cycle fixture as an admin puts it: 1,000 a day within [min, max]. */
    static void put(String key, String channel, int min, int max, boolean locked, Map<String, Object> target) {
        Map<String, Object> body = new HashMap<>(Map.of("name", channel, "kind", "search", "dailyBudget", 1000,
                "minDailyBudget", min, "maxDailyBudget", max, "locked", locked));
        if (target != null) {
            body.put("target", target);
        }
        as("admin").body(body).put("/api/v1/portfolios/" + key + "/channels/" + channel).then().statusCode(200);
    }

    static BigDecimal proposed(int id, String channel) {
        return new BigDecimal(as("viewer").get("/api/v1/recommendations/" + id).then().extract()
                .path("allocations.find { it.channel == '" + channel + "' }.proposedBudget").toString());
    }

    /** What a user can see of a portfolio's budgets: each channel's daily budget, the audit trail's size, the ledger. */
    record Seen(String channels, int audit, long ledger) {
    }

    Seen seen(String key) {
        String channels = as("viewer").get("/api/v1/portfolios/" + key + "/channels").then().statusCode(200).extract()
                .jsonPath().getList("items.collect { it.key + '=' + it.dailyBudget }").toString();
        int audit = as("viewer").get("/api/v1/audit?portfolio=" + key).then().statusCode(200).extract().path("total");
        long ledger = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT COUNT(*) FROM budget_change b JOIN channel c ON c.id = b.channel_id JOIN portfolio p"
                        + " ON p.id = c.portfolio_id WHERE p.pkey = ?1").setParameter(1, key).getSingleResult()).longValue());
        return new Seen(channels, audit, ledger);
    }

    @Test
    void aChannelLockedAfterThePlanIsNotMovedByApplyAndNothingIsWrittenAnywhere() {
        String key = portfolio();
        int id = run(key);
        as("approver").post("/api/v1/recommendations/" + id + "/approve").then().statusCode(200);
        assertThat(proposed(id, "good")).isEqualByComparingTo("1200");
        // locked since the plan was made, and placed on the ad platform
        put(key, "good", 100, 5000, true, TARGET);
        Seen before = seen(key);
        String recommendation = as("viewer").get("/api/v1/recommendations/" + id).then().extract().asString();
        int mutates = platforms.googleMutates;

        var problem = as("approver").post("/api/v1/recommendations/" + id + "/apply").then().statusCode(409)
                .contentType(PROBLEM)
                .body("detail", containsString("channel good is locked: its budget stays 1000.00"))
                .body("detail", containsString("nothing was applied"))
                .body("errors.size()", equalTo(1))
                .body("errors[0].message", equalTo("channel good is locked: its budget stays 1000.00"))
                .extract().asString();
        assertThat(problem).doesNotContain("Exception").doesNotContain("java.");

        // nothing anywhere: Spendshift's budgets, audit and ledger, the webhook, the further sink, the ad platform
        assertThat(seen(key)).isEqualTo(before);
        assertThat(as("viewer").get("/api/v1/recommendations/" + id).then().extract().asString()).isEqualTo(recommendation);
        as("viewer").get("/api/v1/recommendations/" + id).then().body("status", equalTo("APPROVED"));
        assertThat(webhookCalls.get()).isZero();
        assertThat(RecordingPlatformSink.of(key)).isEmpty();
        assertThat(platforms.googleMutates).isEqualTo(mutates);
        assertThat(platforms.googleBudget("111").add(platforms.googleBudget("222"))).isEqualByComparingTo("1000");
    }

    @Test
    void boundsNarrowedAfterThePlanStopTheApplyNamingEveryChannelThatWouldBreakThem() {
        String key = portfolio();
        int id = run(key);
        as("approver").post("/api/v1/recommendations/" + id + "/approve").then().statusCode(200);
        put(key, "good", 100, 1000, false, null); // the plan's 1,200 is above the new maximum
        put(key, "poor", 900, 5000, false, null); // the plan's 800 is below the new minimum
        Seen before = seen(key);

        as("approver").post("/api/v1/recommendations/" + id + "/apply").then().statusCode(409).contentType(PROBLEM)
                .body("errors.message", equalTo(List.of(
                        "channel good: 1200.00 is above its maximum daily budget 1000.00",
                        "channel poor: 800.00 is below its minimum daily budget 900.00")))
                .body("errors.field", equalTo(List.of("allocations[0].proposedBudget", "allocations[1].proposedBudget")))
                .body("detail", containsString("2 channels"));
        assertThat(seen(key)).isEqualTo(before);
        assertThat(webhookCalls.get()).isZero();
        assertThat(RecordingPlatformSink.of(key)).isEmpty();

        // the plan was left as it was: once the bounds allow it again, it applies
        put(key, "good", 100, 5000, false, null);
        put(key, "poor", 100, 5000, false, null);
        as("approver").post("/api/v1/recommendations/" + id + "/apply").then().statusCode(200)
                .body("status", equalTo("APPLIED"));
        as("viewer").get("/api/v1/portfolios/" + key + "/channels").then()
                .body("items.find { it.key == 'good' }.dailyBudget", Api.money("1200"));
    }

    @Test
    void theSchedulersAutomaticApplyChecksTheSameAndLeavesThePlanForAPerson() {
        String key = portfolio();
        int id = run(key);
        put(key, "good", 100, 5000, true, null);
        Seen before = seen(key);

        // the method the scheduler's run calls after recording an AUTO_APPLY portfolio's plan
        RecommendationViews.RecommendationView v = recommendations.applyAutomatically(id, "scheduler");

        assertThat(v.status()).isEqualTo("PROPOSED");
        assertThat(v.autoApplyWithheld()).contains("not applied automatically")
                .contains("channel good is locked: its budget stays 1000.00");
        assertThat(seen(key)).isEqualTo(before);
        assertThat(webhookCalls.get()).isZero();
        assertThat(RecordingPlatformSink.of(key)).isEmpty();
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=RECOMMENDATION_APPLIED").then()
                .body("total", equalTo(0));
        as("viewer").get("/api/v1/recommendations/" + id).then().body("status", equalTo("PROPOSED"))
                .body("autoApplyWithheld", containsString("channel good is locked"));
    }

    @Test
    void anEditRechecksEveryChannelOfThePlanNotOnlyTheOnesItNames() {
        String key = portfolio();
        Cycles.addChannel(key, "mid");
        int id = run(key);
        BigDecimal good = proposed(id, "good");
        BigDecimal poor = proposed(id, "poor");
        BigDecimal mid = proposed(id, "mid");
        assertThat(good).as("the plan moves good").isEqualByComparingTo("1200");
        put(key, "good", 100, 5000, true, null);
        String path = "/api/v1/recommendations/" + id;
        String recommendation = as("viewer").get(path).then().extract().asString();

        // two other channels, a valid edit of its own: the locked one would keep moving
        as("approver").body(Map.of("allocations", List.of(
                        Map.of("channel", "poor", "proposedBudget", poor.add(BigDecimal.valueOf(50))),
                        Map.of("channel", "mid", "proposedBudget", mid.subtract(BigDecimal.valueOf(50))))))
                .patch(path).then().statusCode(400).contentType(PROBLEM)
                .body("errors.size()", equalTo(1))
                .body("errors[0].field", equalTo("allocations"))
                .body("errors[0].message", containsString("channel good is locked: its budget stays 1000.00"))
                .body("errors[0].message", containsString("the plan proposes " + good.setScale(2)));
        assertThat(as("viewer").get(path).then().extract().asString()).isEqualTo(recommendation);
        as("viewer").get("/api/v1/audit?entityType=recommendation&entityId=" + id + "&action=RECOMMENDATION_EDITED")
                .then().body("total", equalTo(0));

        // naming it, at its budget, with its move given to the others, is an edit like any other
        BigDecimal back = good.subtract(new BigDecimal("1000"));
        BigDecimal half = back.divide(BigDecimal.valueOf(2), 2, java.math.RoundingMode.DOWN);
        as("approver").body(Map.of("allocations", List.of(Map.of("channel", "good", "proposedBudget", 1000),
                        Map.of("channel", "poor", "proposedBudget", poor.add(half)),
                        Map.of("channel", "mid", "proposedBudget", mid.add(back.subtract(half))))))
                .patch(path).then().statusCode(200)
                .body("allocations.find { it.channel == 'good' }.delta", Api.money("0"));
    }

    @Test
    void ifMatchIsTheExactEntityTagNotANumberThatParsesToTheVersion() {
        String key = portfolio();
        int id = run(key);
        String path = "/api/v1/recommendations/" + id;
        int v = as("viewer").get(path).then().header("ETag", "\"" + 0 + "\"").extract().path("version");
        assertThat(v).isZero();

        for (String other : List.of("\"00\"", "W/\"00\"", "00", "\"+0\"", "\"0.0\"", "\"-0\"", "\"1\"", "\"\"")) {
            as("approver").header("If-Match", other).body(Map.of()).post(path + "/approve").then()
                    .statusCode(412).contentType(PROBLEM)
                    .body("detail", containsString("is at version 0 (ETag \"0\")"));
        }
        for (String malformed : List.of("\"0", "0\"", "\"0\", \"1\"", "\" 0\"", "W/", "\"0\"\"")) {
            as("approver").header("If-Match", malformed).body(Map.of()).post(path + "/approve").then()
                    .statusCode(400).contentType(PROBLEM)
                    .body("errors[0].field", equalTo("If-Match"));
        }
        as("approver").header("If-Match", "\"00\"").post(path + "/apply").then().statusCode(412);
        as("approver").header("If-Match", "\"00\"").body(Map.of("allocations", List.of(
                Map.of("channel", "good", "proposedBudget", 1100), Map.of("channel", "poor", "proposedBudget", 900))))
                .patch(path).then().statusCode(412);
        as("viewer").get(path).then().body("status", equalTo("PROPOSED")).body("version", equalTo(0));
        as("viewer").get("/api/v1/audit?entityType=recommendation&entityId=" + id).then()
                .body("items.action", equalTo(List.of("RECOMMENDATION_CREATED")));

        // the forms the service documents still match: quoted (as the ETag), weak, bare
        as("approver").header("If-Match", "\"0\"").body(Map.of()).post(path + "/approve").then().statusCode(200)
                .header("ETag", "\"1\"");
        as("admin").header("If-Match", "\"00\"").body(Map.of("name", "renamed"))
                .patch("/api/v1/portfolios/" + key).then().statusCode(412).contentType(PROBLEM);
        int pv = as("viewer").get("/api/v1/portfolios/" + key).then().extract().path("version");
        as("admin").header("If-Match", "W/\"" + pv + "\"").body(Map.of("name", "renamed"))
                .patch("/api/v1/portfolios/" + key).then().statusCode(200);
        as("admin").header("If-Match", Integer.toString(pv + 1)).body(Map.of("name", "renamed again"))
                .patch("/api/v1/portfolios/" + key).then().statusCode(200).body("name", equalTo("renamed again"));
    }
}
