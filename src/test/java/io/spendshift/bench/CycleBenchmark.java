package io.spendshift.bench;

import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import io.spendshift.run.RunService;
import io.spendshift.policy.DailyPerformance;
import io.spendshift.policy.FactsCalculator;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;

/**
 * One full cycle (facts, rules, plan, persist) for a portfolio of 1,000 channels with 90 days of history,
 * through the API, with the share of each stage. Run with {@code mvn verify -Pbench} (H2) or
 * {@code mvn verify -Pbench,postgres} (PostgreSQL).
 */
@QuarkusTest
@Tag("bench")
class CycleBenchmark {

    static final int CHANNELS = 1_000;

    @Inject
    RunService runs;
    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    @Test
    void oneCycleOfAThousandChannels() {
        List<FactsCalculator.ChannelLine> lines = new ArrayList<>();
        List<List<DailyPerformance>> histories = new ArrayList<>();
        RulesPipelineBenchmark.generate(CHANNELS, lines, histories);
        String key = Api.uniqueKey("cycle-bench");
        Api.admin().body(Map.of("key", key, "name", "bench", "currency", "EUR",
                        "policy", Map.of("contributionMargin", 0.35))).post("/api/v1/portfolios").then().statusCode(201);
        StringBuilder csv = new StringBuilder("channel,date,spend,impressions,clicks,conversions,revenue,newCustomers,ltv\n");
        LocalDate today = LocalDate.now();
        for (int i = 0; i < CHANNELS; i++) {
            FactsCalculator.ChannelLine l = lines.get(i);
            Api.admin().body(Map.of("name", l.channel(), "kind", l.kind(), "dailyBudget", l.dailyBudget(),
                            "minDailyBudget", l.minDailyBudget(), "maxDailyBudget", l.maxDailyBudget(), "locked", l.locked()))
                    .put("/api/v1/portfolios/" + key + "/channels/" + l.channel()).then().statusCode(201);
            List<DailyPerformance> h = histories.get(i);
            for (int d = 0; d < h.size(); d++) {
                DailyPerformance p = h.get(d);
                // the generated history ends on a fixed day; move it to end yesterday
                LocalDate date = today.minusDays(h.size() - d);
                csv.append(l.channel()).append(',').append(date).append(',').append(p.spend()).append(",100000,")
                        .append(Math.max(p.conversions(), 1000)).append(',').append(p.conversions()).append(',')
                        .append(p.revenue()).append(',').append(p.newCustomers()).append(',')
                        .append(p.ltv() == null ? "" : p.ltv()).append('\n');
            }
        }
        Api.as("ingest").contentType("text/csv").body(csv.toString()).post("/api/v1/portfolios/" + key + "/metrics")
                .then().statusCode(200).body("inserted", equalTo(CHANNELS * 90));

        double best = Double.MAX_VALUE;
        RunService.Timings stages = null;
        String status = null;
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            var run = runs.run(key, null, false, io.spendshift.run.Run.Trigger.MANUAL, "bench");
            double ms = (System.nanoTime() - t0) / 1e6;
            if (ms < best) {
                best = ms;
                stages = runs.lastTimings();
                status = run.status();
            }
        }
        double sum = stages.facts() + stages.rules() + stages.plan() + stages.persist();
        String db = dataSource.getConfiguration().connectionPoolConfiguration().connectionFactoryConfiguration()
                .jdbcUrl().split(":")[1];
        System.out.printf("%n=== Cycle benchmark (%s, %,d channels, 90 days each; best of 3; run %s) ===%n", db,
                CHANNELS, status);
        System.out.printf("whole run (lock, audit, stages): %.0f ms%n", best);
        System.out.printf("%-10s %10s %8s%n", "stage", "ms", "share");
        print("facts", stages.facts(), sum);
        print("rules", stages.rules(), sum);
        print("plan", stages.plan(), sum);
        print("persist", stages.persist(), sum);
        System.out.println();
    }

    private static void print(String stage, double ms, double sum) {
        System.out.printf("%-10s %10.1f %7.0f%%%n", stage, ms, 100 * ms / sum);
    }
}
