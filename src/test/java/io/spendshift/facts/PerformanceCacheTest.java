package io.spendshift.facts;

import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import io.spendshift.run.CyclesAccess;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /performance is served from a cache: every write that changes the facts must show at once, and many
 * readers at the same moment must get the same answer.
 */
@QuarkusTest
class PerformanceCacheTest {

    @Inject
    FactsCache cache;

    static Map<String, Object> channel(String key, String channel) {
        List<Map<String, Object>> channels = as("viewer").get("/api/v1/portfolios/" + key + "/performance").then()
                .statusCode(200).extract().path("channels");
        return channels.stream().filter(c -> c.get("channel").equals(channel)).findFirst().orElseThrow();
    }

    @Test
    void everyWriteThatChangesTheFactsShowsAtOnce() {
        String key = CyclesAccess.portfolio();
        assertThat(channel(key, "good").get("dailyBudget").toString()).isEqualTo("1000.0");
        assertThat(channel(key, "good").get("held")).isEqualTo(false);

        // a channel's budget
        Api.admin().body(Map.of("name", "good", "kind", "search", "dailyBudget", 1500, "minDailyBudget", 100,
                "maxDailyBudget", 5000)).put("/api/v1/portfolios/" + key + "/channels/good").then().statusCode(200);
        assertThat(channel(key, "good").get("dailyBudget").toString()).isEqualTo("1500.0");

        // metrics: yesterday's spend of "poor" doubles
        float spendBefore = (float) channel(key, "poor").get("spend");
        String yesterday = LocalDate.now().minusDays(1).toString();
        Api.as("ingest").body(List.of(Api.row("poor", yesterday, 3000, 100000, 5000, 30, 1800, 30, 100)))
                .post("/api/v1/portfolios/" + key + "/metrics").then().statusCode(200);
        assertThat((float) channel(key, "poor").get("spend")).isGreaterThan(spendBefore + 1000);

        // the policy: a conversion floor no channel reaches holds every channel
        Api.admin().contentType("application/merge-patch+json").body(Map.of("policy", Map.of("minConversions", 1_000_000)))
                .patch("/api/v1/portfolios/" + key).then().statusCode(200);
        assertThat(channel(key, "good").get("held")).isEqualTo(true);
        Api.admin().contentType("application/merge-patch+json").body(Map.of("policy", Map.of("minConversions", 30)))
                .patch("/api/v1/portfolios/" + key).then().statusCode(200);
        assertThat(channel(key, "good").get("held")).isEqualTo(false);

        // applied budgets
        int id = CyclesAccess.recommendation(key);
        List<Map<String, Object>> allocations = as("viewer").get("/api/v1/recommendations/" + id).then()
                .extract().path("allocations");
        as("approver").body(Map.of()).post("/api/v1/recommendations/" + id + "/approve").then().statusCode(200);
        as("approver").body(Map.of()).post("/api/v1/recommendations/" + id + "/apply").then().statusCode(200);
        for (Map<String, Object> a : allocations) {
            assertThat(new java.math.BigDecimal(channel(key, (String) a.get("channel")).get("dailyBudget").toString()))
                    .isEqualByComparingTo(new java.math.BigDecimal(a.get("proposedBudget").toString()));
        }
        assertThat(cache.size()).isPositive();
    }

    @Test
    void concurrentReadersGetTheSameAnswer() throws Exception {
        String key = CyclesAccess.portfolio();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                answers.add(pool.submit(() -> as("viewer").get("/api/v1/portfolios/" + key + "/performance").then()
                        .statusCode(200).extract().asString()));
            }
            String first = answers.get(0).get();
            assertThat(first).contains("\"channel\":\"good\"");
            for (Future<String> a : answers) {
                assertThat(a.get()).isEqualTo(first);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
