package io.spendshift.connector;

import io.spendshift.TestClock;
import io.spendshift.outbound.AllowList;
import io.spendshift.outbound.GuardedHttpClient;
import io.spendshift.outbound.OutboundPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Both connectors against {@link FakePlatforms}, which answers as the platforms' documentation describes: the
 * requests they send (paths, headers, bodies, units) and how they read answers (micros, minor units, paging,
 * partial failures, rate limits, expired credentials). Plain JUnit: the pauses between attempts are recorded
 * instead of slept.
 */
class ConnectorContractTest {

    static final String ACCOUNT = "1234567890";
    FakePlatforms fake;
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    final TestClock clock = new TestClock();
    GoogleAdsConnector google;
    MetaAdsConnector meta;

    @BeforeEach
    void start() throws Exception {
        fake = new FakePlatforms(0);
        OutboundPolicy policy = new OutboundPolicy(AllowList.parse(List.of("127.0.0.1")), false, InetAddress::getAllByName);
        GuardedHttpClient client = new GuardedHttpClient(policy, Duration.ofSeconds(2));
        google = new GoogleAdsConnector(new GoogleAdsConnector.Settings(fake.base() + "/google", "v21",
                fake.base() + "/oauth/token", "dev-token-1", "test-client-id", "test-client-secret-5c1d",
                "test-refresh-token-9f2a", "111-222-3333"), calls("Google Ads", client), FakePlatforms.JSON, clock);
        meta = new MetaAdsConnector(new MetaAdsConnector.Settings(fake.base() + "/graph", "v21.0",
                "test-meta-token-77aa"), calls("Meta Ads", client), FakePlatforms.JSON);
        fake.googleCampaign("111", "Brand", "600");
        fake.googleCampaign("222", "Generic", "400");
        fake.metaCampaign("333", "Prospecting CBO", 80000L);
        fake.metaCampaign("444", "Retargeting ABO", null);
        fake.metaAdSet("4441", "444", "Lookalikes", 3000L);
        fake.metaAdSet("4442", "444", "Visitors", 1000L);
    }

    private PlatformCalls calls(String name, GuardedHttpClient client) {
        return new PlatformCalls(name, client, 3, Duration.ofMillis(10), Duration.ofMinutes(5), Duration.ofSeconds(2),
                waits::add);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    // ------------------------------------------------------------------------------------------- Google Ads

    @Test
    void googleExchangesTheRefreshTokenOnceAndSendsTheDocumentedHeadersAndQuery() {
        LocalDate from = LocalDate.of(2026, 3, 1);
        List<AdConnector.CampaignDay> rows = google.dailyMetrics(ACCOUNT, List.of("111", "222"), from, from.plusDays(1));

        FakePlatforms.Request token = fake.requests("/oauth/token").get(0);
        assertThat(FakePlatforms.params(token.body())).containsEntry("grant_type", "refresh_token")
                .containsEntry("client_id", "test-client-id").containsEntry("client_secret", "test-client-secret-5c1d")
                .containsEntry("refresh_token", "test-refresh-token-9f2a");
        assertThat(token.header("content-type")).isEqualTo("application/x-www-form-urlencoded");
        FakePlatforms.Request search = fake.requests(":searchStream").get(0);
        assertThat(search.method()).isEqualTo("POST");
        assertThat(search.path()).isEqualTo("/google/v21/customers/1234567890/googleAds:searchStream");
        assertThat(search.header("authorization")).isEqualTo("Bearer ya29.fake-1");
        assertThat(search.header("developer-token")).isEqualTo("dev-token-1");
        assertThat(search.header("login-customer-id")).isEqualTo("1112223333");
        assertThat(search.body()).contains("segments.date", "campaign.id", "campaign.name", "metrics.cost_micros",
                "metrics.impressions", "metrics.clicks", "metrics.conversions", "metrics.conversions_value",
                "segments.date BETWEEN '2026-03-01' AND '2026-03-02'", "campaign.id IN (111, 222)");
        // micros become currency units, int64 strings numbers, fractional conversions stay fractional
        assertThat(rows).hasSize(4).first().satisfies(r -> {
            assertThat(r.campaign()).isEqualTo("111");
            assertThat(r.spend()).isEqualByComparingTo("12.34");
            assertThat(r.impressions()).isEqualTo(1000);
            assertThat(r.conversions()).isEqualByComparingTo("2.5");
            assertThat(r.revenue()).isEqualByComparingTo("100.25");
        });

        // the access token is cached until shortly before it expires, then exchanged again
        google.budgets(ACCOUNT, List.of("111"));
        assertThat(fake.tokensIssued).isEqualTo(1);
        clock.advance(Duration.ofSeconds(3599 - 30));
        google.budgets(ACCOUNT, List.of("111"));
        assertThat(fake.tokensIssued).isEqualTo(2);
    }

    @Test
    void anAccessTokenRevokedBeforeItsExpiryIsExchangedOnceAgain() {
        google.budgets(ACCOUNT, List.of("111"));
        fake.tokensIssued++; // the platform no longer accepts the cached token
        assertThat(google.budgets(ACCOUNT, List.of("111")).lines()).hasSize(1);
        assertThat(fake.tokensIssued).isEqualTo(3);
        assertThat(fake.requests(":searchStream")).extracting(r -> r.header("authorization"))
                .containsExactly("Bearer ya29.fake-1", "Bearer ya29.fake-1", "Bearer ya29.fake-1", "Bearer ya29.fake-3");
    }

    @Test
    void anExpiredOrRevokedRefreshTokenIsAClearErrorWithoutTheToken() {
        fake.refreshRevoked = true;
        assertThatThrownBy(() -> google.budgets(ACCOUNT, List.of("111")))
                .isInstanceOf(ConnectorException.class)
                .hasMessageContaining("refresh token is expired or revoked (invalid_grant)")
                .hasMessageContaining("spendshift.connectors.google-ads.refresh-token")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("test-refresh-token-9f2a", "test-client-secret"));
        assertThat(fake.requests(":searchStream")).isEmpty();
    }

    @Test
    void googleBudgetsAreReadInMicrosAndSetWithAnUpdateMask() {
        AdConnector.Budgets b = google.budgets(ACCOUNT, List.of("111", "222"));
        assertThat(b.currency()).isEqualTo("EUR");
        assertThat(b.scale()).isEqualTo(2);
        assertThat(b.lines()).extracting(AdConnector.BudgetLine::campaign, l -> l.amount().toPlainString(),
                AdConnector.BudgetLine::problem).containsExactly(tuple("111", "600.00", null), tuple("222", "400.00", null));
        assertThat(fake.requests(":searchStream").get(1).body()).contains("campaign_budget.amount_micros",
                "campaign_budget.explicitly_shared", "campaign.campaign_budget");

        List<AdConnector.Outcome> preview = google.setBudgets(ACCOUNT, List.of(
                new AdConnector.BudgetUpdate(b.lines().get(0), new BigDecimal("720.00"))), true);
        assertThat(preview).allMatch(AdConnector.Outcome::ok);
        assertThat(fake.googleBudget("111")).isEqualByComparingTo("600");

        google.setBudgets(ACCOUNT, List.of(new AdConnector.BudgetUpdate(b.lines().get(0), new BigDecimal("720.00"))), false);
        assertThat(fake.googleBudget("111")).isEqualByComparingTo("720");
        List<FakePlatforms.Request> mutates = fake.requests("campaignBudgets:mutate");
        assertThat(mutates).extracting(FakePlatforms.Request::path)
                .containsOnly("/google/v21/customers/1234567890/campaignBudgets:mutate");
        var body = read(mutates.get(1).body());
        assertThat(body.path("operations").get(0).path("update").path("resourceName").asText())
                .isEqualTo("customers/1234567890/campaignBudgets/9111");
        assertThat(body.path("operations").get(0).path("update").path("amountMicros").asText()).isEqualTo("720000000");
        assertThat(body.path("operations").get(0).path("updateMask").asText()).isEqualTo("amount_micros");
        assertThat(body.path("partialFailure").asBoolean()).isTrue();
        assertThat(body.path("validateOnly").asBoolean()).isFalse();
        assertThat(read(mutates.get(0).body()).path("validateOnly").asBoolean()).isTrue();
    }

    @Test
    void aPartialFailureSaysWhichOperationFailedAndTheOthersStand() {
        AdConnector.Budgets b = google.budgets(ACCOUNT, List.of("111", "222"));
        fake.gRefused.add(fake.gCampaigns.get("222").budget);
        List<AdConnector.Outcome> out = google.setBudgets(ACCOUNT, List.of(
                new AdConnector.BudgetUpdate(b.lines().get(0), new BigDecimal("700.00")),
                new AdConnector.BudgetUpdate(b.lines().get(1), new BigDecimal("300.00"))), false);
        assertThat(out).extracting(AdConnector.Outcome::error)
                .containsExactly(null, "refused: rangeError TOO_LOW");
        assertThat(fake.googleBudget("111")).isEqualByComparingTo("700");
        assertThat(fake.googleBudget("222")).isEqualByComparingTo("400");
    }

    @Test
    void aRefusedRealMutateAppliedNoOperationEvenThoseItsErrorsDoNotName() {
        AdConnector.Budgets b = google.budgets(ACCOUNT, List.of("111", "222"));
        fake.googleRefuseNextMutate = true;
        List<AdConnector.Outcome> out = google.setBudgets(ACCOUNT, List.of(
                new AdConnector.BudgetUpdate(b.lines().get(0), new BigDecimal("700.00")),
                new AdConnector.BudgetUpdate(b.lines().get(1), new BigDecimal("300.00"))), false);
        assertThat(out).extracting(AdConnector.Outcome::error).containsExactly(
                "refused: mutateError RESOURCE_NOT_FOUND", "not applied: the request was refused");
        assertThat(out).noneMatch(AdConnector.Outcome::ok);
        assertThat(fake.googleBudget("111")).isEqualByComparingTo("600");
        assertThat(fake.googleBudget("222")).isEqualByComparingTo("400");
    }

    @Test
    void sharedAndRemovedBudgetsAreRefusedAndUnknownCampaignsNamed() {
        fake.gBudgets.get(fake.gCampaigns.get("111").budget).shared = true;
        fake.gCampaigns.get("222").status = "REMOVED";
        AdConnector.Budgets b = google.budgets(ACCOUNT, List.of("111", "222", "999"));
        assertThat(b.lines()).extracting(AdConnector.BudgetLine::problem).containsExactly(
                "campaign 111 spends from a shared budget; Spendshift never changes shared budgets",
                "campaign 222 is removed on Google Ads");
        assertThat(b.missing()).containsExactly("999");

        // one budget behind two targeted campaigns is shared too, whatever its flag says
        fake.gBudgets.get(fake.gCampaigns.get("111").budget).shared = false;
        fake.gCampaigns.get("222").status = "ENABLED";
        fake.gCampaigns.get("222").budget = fake.gCampaigns.get("111").budget;
        assertThat(google.budgets(ACCOUNT, List.of("111", "222")).lines())
                .allSatisfy(l -> assertThat(l.problem()).contains("shared budget"));
    }

    @Test
    void googleRateLimitsAreRetriedAfterTheDelayTheyAskFor() {
        fake.google429 = 2;
        assertThat(google.budgets(ACCOUNT, List.of("111")).lines()).hasSize(1);
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
        fake.google429 = 5;
        assertThatThrownBy(() -> google.budgets(ACCOUNT, List.of("111"))).isInstanceOf(ConnectorException.class)
                .hasMessageContaining("failed 3 times; last: HTTP 429 (RESOURCE_EXHAUSTED)")
                .satisfies(e -> assertThat(((ConnectorException) e).unavailable()).isTrue());
    }

    @Test
    void yenBudgetsHaveNoDecimals() {
        fake.googleCurrency = "JPY";
        fake.googleCampaign("555", "JP", "5000");
        assertThat(google.budgets("9876543210", List.of("555"))).satisfies(b -> {
            assertThat(b.scale()).isZero();
            assertThat(b.lines().get(0).amount().toPlainString()).isEqualTo("5000");
        });
    }

    // ------------------------------------------------------------------------------------------- Meta

    @Test
    void metaInsightsArePagedByCursorAndPurchasesComeFromActions() {
        LocalDate from = LocalDate.of(2026, 3, 1);
        List<AdConnector.CampaignDay> rows = meta.dailyMetrics(ACCOUNT, List.of("333", "444"), from, from.plusDays(2));
        assertThat(rows).hasSize(6);
        List<FakePlatforms.Request> pages = fake.requests("/insights");
        assertThat(pages).hasSize(3);
        Map<String, String> q = FakePlatforms.params(pages.get(0).query());
        assertThat(pages.get(0).path()).isEqualTo("/graph/v21.0/act_1234567890/insights");
        assertThat(q).containsEntry("level", "campaign").containsEntry("time_increment", "1")
                .containsEntry("fields", "campaign_id,campaign_name,spend,impressions,clicks,actions,action_values")
                .containsEntry("time_range", "{\"since\":\"2026-03-01\",\"until\":\"2026-03-03\"}")
                .doesNotContainKey("access_token").doesNotContainKey("after");
        assertThat(FakePlatforms.params(pages.get(1).query())).containsEntry("after", "c2");
        assertThat(FakePlatforms.params(pages.get(2).query())).containsEntry("after", "c4");
        assertThat(pages).allSatisfy(p -> assertThat(p.header("authorization")).isEqualTo("Bearer test-meta-token-77aa"));
        // "purchase" (every source) wins over the pixel's own count; link clicks are not purchases
        assertThat(rows.get(0)).satisfies(r -> {
            assertThat(r.spend()).isEqualByComparingTo("10.50");
            assertThat(r.conversions()).isEqualByComparingTo("3");
            assertThat(r.revenue()).isEqualByComparingTo("80.25");
            assertThat(r.date()).isEqualTo(from);
        });
    }

    @Test
    void aGatewaysHtmlPageIsRetriedAndReportedAsUnavailable() {
        fake.metaHtmlGateway = 1;
        assertThat(meta.currency("5550001")).isEqualTo("EUR");
        assertThat(waits).hasSize(1); // retried once, as unavailable

        fake.metaHtmlGateway = 10;
        assertThatThrownBy(() -> meta.currency("5550002")).isInstanceOfSatisfying(ConnectorException.class, e -> {
            assertThat(e.unavailable()).isTrue();
            assertThat(e.getMessage()).contains("failed 3 times", "HTTP 502").doesNotContain("not JSON");
        });
    }

    @Test
    void metaBudgetsLiveOnCboCampaignsOrAdSetsInMinorUnits() {
        fake.metaCampaign("555", "Lifetime", null);
        fake.mCampaigns.get("555").lifetimeBudget = 100000L;
        fake.metaCampaign("666", "Old", 5000L);
        fake.mCampaigns.get("666").status = "DELETED";
        AdConnector.Budgets b = meta.budgets(ACCOUNT, List.of("333", "444", "555", "666", "777"));
        assertThat(b.currency()).isEqualTo("EUR");
        assertThat(b.lines()).extracting(AdConnector.BudgetLine::budgetId, AdConnector.BudgetLine::level,
                l -> l.amount().toPlainString()).contains(tuple("333", "campaign", "800.00"),
                tuple("4441", "adset", "30.00"), tuple("4442", "adset", "10.00"));
        assertThat(b.lines()).extracting(AdConnector.BudgetLine::problem).contains(
                "campaign 555 has a lifetime budget; Spendshift sets daily budgets only",
                "campaign 666 is deleted on Meta Ads");
        assertThat(b.missing()).containsExactly("777");

        AdConnector.BudgetLine adSet = b.lines().stream().filter(l -> l.budgetId().equals("4441")).findFirst().orElseThrow();
        meta.setBudgets(ACCOUNT, List.of(new AdConnector.BudgetUpdate(adSet, new BigDecimal("45.50"))), true);
        assertThat(fake.mAdSets.get("4441").dailyBudget).isEqualTo(3000L);
        meta.setBudgets(ACCOUNT, List.of(new AdConnector.BudgetUpdate(adSet, new BigDecimal("45.50"))), false);
        assertThat(fake.mAdSets.get("4441").dailyBudget).isEqualTo(4550L);
        List<FakePlatforms.Request> posts = fake.requests.stream().filter(r -> r.method().equals("POST")).toList();
        assertThat(posts).extracting(FakePlatforms.Request::path).containsOnly("/graph/v21.0/4441");
        assertThat(FakePlatforms.params(posts.get(0).body())).containsEntry("daily_budget", "4550")
                .containsEntry("execution_options", "[\"validate_only\"]");
        assertThat(FakePlatforms.params(posts.get(1).body())).containsEntry("daily_budget", "4550")
                .doesNotContainKey("execution_options");
    }

    @Test
    void currenciesWithoutMinorUnitsUseOffsetOne() {
        fake.metaCurrency = "JPY";
        fake.metaCampaign("888", "JP", 5000L);
        AdConnector.Budgets b = meta.budgets("555", List.of("888"));
        assertThat(b.scale()).isZero();
        assertThat(b.lines().get(0).amount().toPlainString()).isEqualTo("5000");
        meta.setBudgets("555", List.of(new AdConnector.BudgetUpdate(b.lines().get(0), new BigDecimal("7000"))), false);
        assertThat(fake.mCampaigns.get("888").dailyBudget).isEqualTo(7000L);
    }

    @Test
    void metaRateLimitsBackOffAsTheUsageHeaderAsksBoundedAndLogged() {
        fake.metaRateLimited = 1;
        assertThat(meta.budgets(ACCOUNT, List.of("333")).lines()).hasSize(1);
        assertThat(waits).containsExactly(Duration.ofMillis(10));

        waits.clear();
        fake.metaRateLimited = 1;
        fake.metaRegainMinutes = 2;
        meta.budgets(ACCOUNT, List.of("333"));
        assertThat(waits).containsExactly(Duration.ofMinutes(2));

        // usage near the limit: the next call waits first
        waits.clear();
        fake.metaUsagePct = 95;
        meta.budgets(ACCOUNT, List.of("333"));
        fake.metaUsagePct = 0;
        meta.budgets(ACCOUNT, List.of("333"));
        assertThat(waits).hasSize(1).allSatisfy(d -> assertThat(d).isPositive());

        fake.metaRateLimited = 10;
        fake.metaRegainMinutes = 0;
        assertThatThrownBy(() -> meta.budgets(ACCOUNT, List.of("333"))).isInstanceOf(ConnectorException.class)
                .hasMessageContaining("failed 3 times; last: rate limited (code 80004)");
    }

    @Test
    void anExpiredMetaTokenIsAClearError() {
        fake.metaTokenExpired = true;
        assertThatThrownBy(() -> meta.currency("42")).isInstanceOf(ConnectorException.class)
                .hasMessageContaining("access token is expired or invalid (code 190)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("test-meta-token-77aa"));
    }

    @Test
    void aPlatformDownAfterTheFirstWriteReportsExactlyWhatChanged() {
        AdConnector.Budgets b = meta.budgets(ACCOUNT, List.of("444"));
        fake.metaDownAfterPosts = 1;
        List<AdConnector.Outcome> out = meta.setBudgets(ACCOUNT, List.of(
                new AdConnector.BudgetUpdate(b.lines().get(0), new BigDecimal("33.00")),
                new AdConnector.BudgetUpdate(b.lines().get(1), new BigDecimal("11.00"))), false);
        assertThat(out.get(0).ok()).isTrue();
        assertThat(out.get(1).error()).contains("failed 3 times; last: HTTP 503");
        assertThat(fake.mAdSets.get("4441").dailyBudget).isEqualTo(3300L);
        assertThat(fake.mAdSets.get("4442").dailyBudget).isEqualTo(1000L);
    }

    // ------------------------------------------------------------------------------------------- split

    @Test
    void theSplitFollowsCurrentBudgetsAndAddsUpToTheCent() {
        assertThat(BudgetSplit.split(new BigDecimal("1200"), List.of(new BigDecimal("600"), new BigDecimal("400")), 2))
                .extracting(BigDecimal::toPlainString).containsExactly("720.00", "480.00");
        assertThat(BudgetSplit.split(new BigDecimal("100"), List.of(BigDecimal.ONE, BigDecimal.ONE, BigDecimal.ONE), 2))
                .extracting(BigDecimal::toPlainString).containsExactly("33.34", "33.33", "33.33");
        assertThat(BudgetSplit.split(new BigDecimal("10"), List.of(BigDecimal.ZERO, BigDecimal.ZERO), 2))
                .extracting(BigDecimal::toPlainString).containsExactly("5.00", "5.00");
        assertThat(BudgetSplit.split(new BigDecimal("1000"), List.of(BigDecimal.ONE, new BigDecimal("2")), 0))
                .extracting(BigDecimal::toPlainString).containsExactly("333", "667");
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 500; i++) {
            BigDecimal total = BigDecimal.valueOf(rnd.nextInt(1_000_000), 2);
            List<BigDecimal> basis = rnd.ints(1 + rnd.nextInt(6), 0, 100_000).mapToObj(v -> BigDecimal.valueOf(v, 2)).toList();
            List<BigDecimal> parts = BudgetSplit.split(total, basis, 2);
            assertThat(parts.stream().reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo(total);
            assertThat(parts).allSatisfy(p -> assertThat(p.signum()).isGreaterThanOrEqualTo(0));
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String s) {
        try {
            return FakePlatforms.JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
