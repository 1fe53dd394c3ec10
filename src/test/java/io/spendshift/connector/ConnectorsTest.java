package io.spendshift.connector;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.spendshift.Api;
import io.spendshift.LogCapture;
import io.spendshift.run.Cycles;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.spendshift.Api.as;
import static io.spendshift.Api.money;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * Portfolios whose channels have targets on the fake platforms ({@link FakePlatforms} on 127.0.0.1:18931, the
 * base URLs of the test configuration): pulling their metrics, testing the connection, applying a plan to the
 * campaigns' budgets (and a platform going down half-way), drift, and the credentials staying out of every
 * answer, audit entry and log line.
 */
@QuarkusTest
class ConnectorsTest {

    static final List<String> CREDENTIALS = List.of("test-dev-token-0b7e", "test-client-secret-5c1d",
            "test-refresh-token-9f2a", "test-meta-token-77aa", "ya29.fake");
    static FakePlatforms fake;

    @Inject
    ConnectorService connectors;

    final List<String> answers = new ArrayList<>();

    @BeforeAll
    static void platforms() throws Exception {
        fake = new FakePlatforms(18931);
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    Response keep(Response r) {
        answers.add(r.asString());
        return r;
    }

    /** The Cycles portfolio (the default rules move 200 a day from "poor" to "good"), with targets and notify. */
    static String portfolio(Map<String, Object> goodTarget, Map<String, Object> poorTarget) {
        String key = Cycles.portfolio("RECOMMEND", Map.of("notify", List.of(Map.of("type", "WEBHOOK",
                "target", fake.base() + "/hook", "events", List.of("APPLY_FAILED", "BUDGET_DRIFT", "SOURCE_FAILED")))));
        target(key, "good", goodTarget);
        target(key, "poor", poorTarget);
        return key;
    }

    static void target(String key, String channel, Map<String, Object> target) {
        Api.admin().body(Map.of("name", channel, "kind", "search", "dailyBudget", 1000, "minDailyBudget", 100,
                        "maxDailyBudget", 5000, "target", target))
                .put("/api/v1/portfolios/" + key + "/channels/" + channel).then().statusCode(200);
    }

    static Map<String, Object> google(String account, String... campaigns) {
        return Map.of("connector", "google-ads", "account", account, "campaigns", List.of(campaigns));
    }

    static Map<String, Object> meta(String account, String... campaigns) {
        return Map.of("connector", "meta-ads", "account", account, "campaigns", List.of(campaigns));
    }

    /** A run a week back (so the pulled days do not change the plan), approved: the recommendation's id. */
    int approvedPlan(String key) {
        int rec = keep(as("approver").body(Map.of("asOf", LocalDate.now().minusDays(7).toString()))
                .post("/api/v1/portfolios/" + key + "/runs")).then().statusCode(201)
                .body("recommendationId", notNullValue()).extract().path("recommendationId");
        keep(as("approver").body(Map.of("comment", "ok")).post("/api/v1/recommendations/" + rec + "/approve"))
                .then().statusCode(200).body("status", equalTo("APPROVED"));
        return rec;
    }

    @Test
    void aCampaignBelongsToOneChannelOnly() {
        String key = portfolio(google("1234567890", "711", "712"), meta("5550001", "733"));
        // the same campaign on another channel would be written twice by every apply: refused, naming both
        Api.admin().body(Map.of("name", "poor", "kind", "search", "dailyBudget", 1000, "minDailyBudget", 100,
                        "maxDailyBudget", 5000, "target", google("1234567890", "799", "712")))
                .put("/api/v1/portfolios/" + key + "/channels/poor").then().statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("errors", hasSize(1)).body("errors[0].field", equalTo("target.campaigns[1]"))
                .body("errors[0].message", containsString("712")).body("errors[0].message", containsString("good"));
        as("viewer").get("/api/v1/portfolios/" + key + "/channels").then().statusCode(200)
                .body("items.find { it.key == 'poor' }.target.campaigns", equalTo(List.of("733")));
        // the same campaign id in another account, or the channel re-saving its own target, is fine
        target(key, "poor", google("9876543210", "712"));
        target(key, "good", google("1234567890", "711", "712"));
    }

    @Test
    void pullRunApproveAndApplyReachThePlatformsAndTheDriftCheckIsClean() {
        fake.googleCampaign("111", "Brand", "600");
        fake.googleCampaign("222", "Generic", "400");
        fake.metaCampaign("333", "Prospecting", 100000L);
        String key = portfolio(google("1234567890", "111", "222"), meta("5550001", "333"));

        keep(Api.admin().post("/api/v1/portfolios/" + key + "/connectors/test")).then().statusCode(200)
                .body("results.channel", equalTo(List.of("good", "poor")))
                .body("results.connector", equalTo(List.of("google-ads", "meta-ads")))
                .body("results.ok", equalTo(List.of(true, true)))
                .body("results[0].message", containsString("platform budget 1000.00 EUR"));

        // pull: 7 days of both channels, campaign rows summed per channel and day
        keep(Api.admin().post("/api/v1/portfolios/" + key + "/source/pull")).then().statusCode(200)
                .body("connectorRows", equalTo(14)).body("connectorError", nullValue());
        String yesterday = LocalDate.now().minusDays(1).toString();
        keep(as("viewer").queryParam("from", yesterday).queryParam("to", yesterday)
                .get("/api/v1/portfolios/" + key + "/metrics")).then().statusCode(200)
                .body("items.find { it.channel == 'good' }.spend", money("20.00"))
                .body("items.find { it.channel == 'good' }.impressions", equalTo(1500))
                .body("items.find { it.channel == 'good' }.clicks", equalTo(70))
                .body("items.find { it.channel == 'good' }.conversions", equalTo(4))
                // the platforms do not report new customers: unknown, not zero (zero would read as CAC above LTV)
                .body("items.find { it.channel == 'good' }.newCustomers", nullValue())
                .body("items.find { it.channel == 'good' }.revenue", money("150.00"))
                .body("items.find { it.channel == 'poor' }.spend", money("10.50"))
                .body("items.find { it.channel == 'poor' }.conversions", equalTo(3))
                .body("items.find { it.channel == 'poor' }.revenue", money("80.25"));
        keep(as("viewer").get("/api/v1/connectors")).then().statusCode(200)
                .body("items.connector", equalTo(List.of("google-ads", "meta-ads")))
                .body("items.configured", equalTo(List.of(true, true)))
                .body("items[0].lastPull", notNullValue()).body("items[1].lastPull", notNullValue());

        // run → approve → apply: good 1000 → 1200 split 600:400, poor 1000 → 800 on the CBO campaign
        int rec = approvedPlan(key);
        keep(as("approver").post("/api/v1/recommendations/" + rec + "/apply")).then().statusCode(200)
                .body("status", equalTo("APPLIED"))
                .body("changedTargets", hasSize(3))
                .body("changedTargets.find { it.campaign == '111' }.connector", equalTo("google-ads"))
                .body("changedTargets.find { it.campaign == '111' }.account", equalTo("1234567890"))
                .body("changedTargets.find { it.campaign == '111' }.before", money("600.00"))
                .body("changedTargets.find { it.campaign == '111' }.after", money("720.00"))
                .body("changedTargets.find { it.campaign == '222' }.after", money("480.00"))
                .body("changedTargets.find { it.campaign == '333' }.before", money("1000.00"))
                .body("changedTargets.find { it.campaign == '333' }.after", money("800.00"));
        assertThat(fake.googleBudget("111")).isEqualByComparingTo("720");
        assertThat(fake.googleBudget("222")).isEqualByComparingTo("480");
        assertThat(fake.mCampaigns.get("333").dailyBudget).isEqualTo(80000L);
        // previewed (validateOnly) before it was written
        List<FakePlatforms.Request> mutates = fake.requests("/customers/1234567890/campaignBudgets:mutate");
        assertThat(mutates).hasSize(2);
        assertThat(mutates.get(0).body()).contains("\"validateOnly\":true");
        assertThat(mutates.get(1).body()).contains("\"validateOnly\":false");

        keep(as("viewer").get("/api/v1/portfolios/" + key + "/drift")).then().statusCode(200)
                .body("clean", equalTo(true)).body("checkedAt", notNullValue())
                .body("items.channel", equalTo(List.of("good", "poor")))
                .body("items[0].budget", money("1200.00")).body("items[0].platformBudget", money("1200.00"))
                .body("items[0].difference", money("0")).body("items[0].campaigns.campaign", equalTo(List.of("111", "222")))
                .body("items[1].platformBudget", money("800.00"));
        assertThat(connectors.checkDrift()).doesNotContain(key);

        // a manual edit of a targeted channel takes the same way to its campaigns
        keep(Api.admin().body(Map.of("name", "good", "kind", "search", "dailyBudget", 1500, "minDailyBudget", 100,
                        "maxDailyBudget", 5000, "target", google("1234567890", "111", "222")))
                .put("/api/v1/portfolios/" + key + "/channels/good")).then().statusCode(200);
        assertThat(fake.googleBudget("111")).isEqualByComparingTo("900");
        assertThat(fake.googleBudget("222")).isEqualByComparingTo("600");
        keep(as("viewer").get("/api/v1/portfolios/" + key + "/drift")).then().body("clean", equalTo(true));
        keep(as("viewer").queryParam("portfolio", key).queryParam("action", "RECOMMENDATION_APPLIED")
                .get("/api/v1/audit")).then().statusCode(200)
                .body("items[0].details.changedTargets", hasSize(3));
        assertThat(answers).allSatisfy(a -> assertThat(a).doesNotContain(CREDENTIALS));
    }

    @Test
    void aPlatformDownMidApplyLeavesItFailedWithExactlyWhatChangedAndARetryFinishesIt() {
        fake.metaCampaign("544", "Retargeting", null);
        fake.metaAdSet("5441", "544", "Visitors", 30000L);
        fake.metaAdSet("5442", "544", "Carts", 70000L);
        fake.googleCampaign("611", "Generic", "1000");
        String key = portfolio(meta("5550002", "544"), google("1234567891", "611"));
        int rec = approvedPlan(key);

        List<String> logLines;
        try (LogCapture log = LogCapture.root()) {
            fake.metaDownAfterPosts = fake.metaPosts + 1; // the first ad set is written, then the platform is down
            keep(as("approver").post("/api/v1/recommendations/" + rec + "/apply")).then().statusCode(200)
                    .body("status", equalTo("FAILED"))
                    .body("failureReason", containsString("an ad platform failed"))
                    .body("changedTargets", hasSize(1))
                    .body("changedTargets[0].connector", equalTo("meta-ads"))
                    .body("changedTargets[0].account", equalTo("5550002"))
                    .body("changedTargets[0].campaign", equalTo("544"))
                    .body("changedTargets[0].budgetId", equalTo("5441"))
                    .body("changedTargets[0].before", money("300.00"))
                    .body("changedTargets[0].after", money("360.00"));
            logLines = log.lines();
        } finally {
            fake.metaDownAfterPosts = -1;
        }
        assertThat(fake.mAdSets.get("5441").dailyBudget).isEqualTo(36000L);
        assertThat(fake.mAdSets.get("5442").dailyBudget).isEqualTo(70000L);
        assertThat(fake.googleBudget("611")).isEqualByComparingTo("1000"); // never reached
        // Spendshift's own budgets did not move; the failure is audited with what changed, and notified
        keep(as("viewer").get("/api/v1/portfolios/" + key + "/channels")).then()
                .body("items.find { it.key == 'good' }.dailyBudget", money("1000.00"));
        keep(as("viewer").queryParam("portfolio", key).queryParam("action", "APPLY_FAILED").get("/api/v1/audit"))
                .then().body("items", hasSize(1)).body("items[0].details.changedTargets[0].budgetId", equalTo("5441"));
        keep(as("viewer").get("/api/v1/portfolios/" + key + "/notifications")).then()
                .body("items.event", org.hamcrest.Matchers.hasItem("APPLY_FAILED"));

        // the platform is back: applying again lands on the same budgets, leaving the written ad set alone
        long postsTo5441 = fake.requests("/graph/v21.0/5441").stream().filter(r -> r.method().equals("POST")).count();
        keep(as("approver").post("/api/v1/recommendations/" + rec + "/apply")).then().statusCode(200)
                .body("status", equalTo("APPLIED")).body("changedTargets", hasSize(3))
                .body("changedTargets.find { it.budgetId == '5441' }.before", money("300.00"));
        assertThat(fake.requests("/graph/v21.0/5441").stream().filter(r -> r.method().equals("POST")).count())
                .isEqualTo(postsTo5441);
        assertThat(fake.mAdSets.get("5441").dailyBudget).isEqualTo(36000L);
        assertThat(fake.mAdSets.get("5442").dailyBudget).isEqualTo(84000L);
        assertThat(fake.googleBudget("611")).isEqualByComparingTo("800");
        keep(as("viewer").get("/api/v1/portfolios/" + key + "/drift")).then().body("clean", equalTo(true));

        String audit = keep(as("viewer").queryParam("portfolio", key).queryParam("size", 500).get("/api/v1/audit"))
                .asString();
        assertThat(audit).contains("changedTargets");
        assertThat(answers).allSatisfy(a -> assertThat(a).doesNotContain(CREDENTIALS));
        assertThat(logLines).anySatisfy(l -> assertThat(l).contains("HTTP 503"))
                .allSatisfy(l -> assertThat(l).doesNotContain(CREDENTIALS));
    }

    @Test
    void aWriteWhoseAnswerWasLostButThatAppliedIsReportedAsChanged() {
        fake.googleCampaign("811", "Brand", "600");
        fake.googleCampaign("822", "Generic", "400");
        String key = Cycles.portfolio("RECOMMEND", Map.of());
        target(key, "good", google("8100000001", "811", "822"));
        fake.googleLoseMutateAnswers = true;
        try {
            ConnectorService.ApplyOutcome out = connectors.apply(key, Map.of("good", new java.math.BigDecimal("1200")),
                    List.of());
            assertThat(out.error()).contains("failed 3 times").doesNotContain("nothing");
            assertThat(out.changedTargets()).extracting(ConnectorService.ChangedTarget::campaign,
                            t -> t.before().toPlainString(), t -> t.after().toPlainString())
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("811", "600.00", "720.00"),
                            org.assertj.core.groups.Tuple.tuple("822", "400.00", "480.00"));
        } finally {
            fake.googleLoseMutateAnswers = false;
        }
        assertThat(fake.googleBudget("811")).isEqualByComparingTo("720");
    }

    @Test
    void removedAndPausedCampaignsAreNamedAndDriftIsAuditedAndNotified() {
        fake.googleCampaign("711", "Old", "500");
        fake.gCampaigns.get("711").status = "REMOVED";
        fake.googleCampaign("722", "Paused", "500");
        fake.gCampaigns.get("722").status = "PAUSED";
        fake.metaCampaign("833", "Prospecting", 100000L);
        String key = portfolio(google("1234567892", "711", "722", "799"), meta("5550003", "833"));

        keep(Api.admin().post("/api/v1/portfolios/" + key + "/connectors/test")).then().statusCode(200)
                .body("results.ok", equalTo(List.of(false, true)))
                .body("results[0].message", containsString("campaign 799 not found on the platform (removed?)"))
                .body("results[0].message", containsString("campaign 711 is removed on Google Ads"))
                .body("results[0].message", containsString("campaign 722 is paused"));
        // applying to a removed campaign is refused before anything is written
        int rec = approvedPlan(key);
        keep(as("approver").post("/api/v1/recommendations/" + rec + "/apply")).then().statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("failureReason", containsString("nothing was changed on the platforms"))
                .body("changedTargets", empty());
        assertThat(fake.mCampaigns.get("833").dailyBudget).isEqualTo(100000L);
        target(key, "good", google("1234567892", "722"));
        fake.gBudgets.get(fake.gCampaigns.get("722").budget).amountMicros = 1_000_000_000L;

        // someone changes the budget on the platform: drift, audited once and notified as BUDGET_DRIFT
        fake.mCampaigns.get("833").dailyBudget = 90000L;
        keep(as("viewer").get("/api/v1/portfolios/" + key + "/drift")).then().statusCode(200)
                .body("clean", equalTo(false))
                .body("items.find { it.channel == 'poor' }.budget", money("1000.00"))
                .body("items.find { it.channel == 'poor' }.platformBudget", money("900.00"))
                .body("items.find { it.channel == 'poor' }.difference", money("-100.00"))
                .body("items.find { it.channel == 'poor' }.campaigns[0].campaign", equalTo("833"));
        assertThat(connectors.checkDrift()).contains(key);
        keep(as("viewer").queryParam("portfolio", key).queryParam("action", "DRIFT_DETECTED").get("/api/v1/audit"))
                .then().body("items", hasSize(1)).body("items[0].details.channels[0].channel", equalTo("poor"))
                .body("items[0].details.channels[0].difference", money("-100.00"));
        keep(as("viewer").get("/api/v1/portfolios/" + key + "/notifications")).then()
                .body("items.find { it.event == 'BUDGET_DRIFT' }.status", equalTo("PENDING"));

        // an account in another currency than the portfolio's: the pull fails, saying so, audited
        target(key, "poor", meta("5550999", "833"));
        fake.metaCurrency = "USD";
        try {
            keep(Api.admin().post("/api/v1/portfolios/" + key + "/source/pull")).then().statusCode(200)
                    .body("connectorError", containsString("is in USD, the portfolio in EUR"));
        } finally {
            fake.metaCurrency = "EUR";
        }
        keep(as("viewer").queryParam("portfolio", key).queryParam("action", "SOURCE_PULL_FAILED").get("/api/v1/audit"))
                .then().body("items[0].details.source", equalTo("CONNECTORS"));
        keep(as("viewer").get("/api/v1/connectors")).then().statusCode(200)
                .body("items.find { it.connector == 'meta-ads' }.lastError", containsString("is in USD"));
        assertThat(answers).allSatisfy(a -> assertThat(a).doesNotContain(CREDENTIALS));
    }
}
