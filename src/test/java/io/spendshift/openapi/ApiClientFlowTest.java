package io.spendshift.openapi;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.spendshift.Api;
import io.spendshift.client.ApiClient;
import io.spendshift.client.ApiException;
import io.spendshift.client.api.AuditApi;
import io.spendshift.client.api.ChannelsApi;
import io.spendshift.client.api.MetricsApi;
import io.spendshift.client.api.PortfoliosApi;
import io.spendshift.client.api.RecommendationsApi;
import io.spendshift.client.api.RunsApi;
import io.spendshift.client.model.AuditView;
import io.spendshift.client.model.ChannelInput;
import io.spendshift.client.model.Decision;
import io.spendshift.client.model.MetricRow;
import io.spendshift.client.model.PortfolioInput;
import io.spendshift.client.model.RecommendationView;
import io.spendshift.client.model.RunRequest;
import io.spendshift.client.model.RunView;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The main flow through the Java client generated from docs/openapi.json at build time, against the running
 * service: an integrator's view of the contract. Create a portfolio and channels, post metrics, run, approve,
 * apply, read the audit.
 */
@QuarkusTest
class ApiClientFlowTest {

    static ApiClient as(String user) {
        ApiClient c = new ApiClient();
        c.updateBaseUri("http://localhost:" + RestAssured.port);
        String auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
        c.setRequestInterceptor(b -> b.header("Authorization", auth));
        return c;
    }

    @Test
    void theMainFlowWorksThroughTheGeneratedClient() throws Exception {
        String key = Api.uniqueKey("client");
        PortfolioInput portfolio = new PortfolioInput().key(key).name("Client " + key).currency("EUR")
                .mode("RECOMMEND");
        assertThat(new PortfoliosApi(as("admin")).createPortfolio(portfolio).getKey()).isEqualTo(key);
        ChannelsApi channels = new ChannelsApi(as("admin"));
        for (String c : List.of("good", "poor")) {
            channels.upsertChannel(c, key, new ChannelInput().name(c).kind("search").dailyBudget(new BigDecimal("1000"))
                    .minDailyBudget(new BigDecimal("100")).maxDailyBudget(new BigDecimal("5000")));
        }
        // "good" wins a customer worth 100 per 10 of spend, "poor" one per 100: the default pack moves budget
        List<MetricRow> rows = new ArrayList<>();
        LocalDate today = LocalDate.now();
        for (int d = 1; d <= 60; d++) {
            BigDecimal spend = BigDecimal.valueOf(1000 * (1 + 0.1 * Math.sin(d * 1.7))).setScale(2, RoundingMode.HALF_UP);
            long good = Math.round(spend.doubleValue() / 10);
            long poor = Math.round(spend.doubleValue() / 100);
            rows.add(row("good", today.minusDays(d), spend, good));
            rows.add(row("poor", today.minusDays(d), spend, poor));
        }
        assertThat(new MetricsApi(as("ingest")).ingestMetrics(key, rows, null, null, null, null, null, null).getInserted()).isEqualTo(120);

        RunView run = new RunsApi(as("strategist")).startRun(key, new RunRequest().dryRun(false));
        assertThat(run.getStatus()).isEqualTo("SUCCEEDED");
        RecommendationsApi recommendations = new RecommendationsApi(as("approver"));
        RecommendationView proposed = recommendations.getRecommendation(String.valueOf(run.getRecommendationId()));
        assertThat(proposed.getStatus()).isEqualTo("PROPOSED");
        assertThat(proposed.getAllocations()).extracting(a -> a.getChannel()).containsExactlyInAnyOrder("good", "poor");

        assertThatThrownBy(() -> new RecommendationsApi(as("viewer")).approveRecommendation(
                String.valueOf(proposed.getId()), new Decision().comment("not mine"), null))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        RecommendationView approved = recommendations.approveRecommendation(String.valueOf(proposed.getId()),
                new Decision().comment("fits the plan"), String.valueOf(proposed.getVersion()));
        assertThat(approved.getStatus()).isEqualTo("APPROVED");
        RecommendationView applied = recommendations.applyRecommendation(String.valueOf(proposed.getId()), null);
        assertThat(applied.getStatus()).isEqualTo("APPLIED");
        assertThat(channels.listChannels(key).getItems()).anySatisfy(c -> {
            assertThat(c.getKey()).isEqualTo("good");
            assertThat(c.getDailyBudget()).isGreaterThan(new BigDecimal("1000"));
        });

        List<AuditView> audit = new AuditApi(as("viewer")).listAuditEntries(null, null, null, null, "asc", 0, key, 500, null)
                .getItems();
        assertThat(audit).extracting(AuditView::getAction).contains("PORTFOLIO_CREATED", "CHANNEL_UPSERTED",
                "METRICS_INGESTED", "RUN_STARTED", "RECOMMENDATION_CREATED", "RECOMMENDATION_APPROVED",
                "RECOMMENDATION_APPLIED", "BUDGET_CHANGED");
        assertThat(new AuditApi(as("viewer")).verifyAuditChain().getValid()).isTrue();
    }

    private static MetricRow row(String channel, LocalDate date, BigDecimal spend, long customers) {
        return new MetricRow().channel(channel).date(date).spend(spend).impressions(100000L).clicks(5000L)
                .conversions(BigDecimal.valueOf(customers)).revenue(BigDecimal.valueOf(customers * 60))
                .newCustomers(BigDecimal.valueOf(customers))
                .ltv(new BigDecimal("100"));
    }
}
