package io.spendshift.bench;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.spendshift.Api;
import io.spendshift.run.CyclesAccess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded load on loopback: GET /recommendations and GET /portfolios/{key}/performance at 200 requests/s
 * each and POST /metrics at 20 requests/s, for 20 s after 5 s of warm-up, with reallocation runs going on beside them. Prints
 * throughput and p50/p99 latency per endpoint and the errors (there must be none). Run with
 * {@code mvn verify -Pbench -Dtest=LoadBenchmark}.
 */
@QuarkusTest
@Tag("bench")
class LoadBenchmark {

    static final int SECONDS = 20;
    /** The same load before the measured window, not recorded: JIT compilation and pool growth. */
    static final int WARM_UP_SECONDS = 5;
    /** Pause between the dry runs beside the load (-Dload.cycle-pause-ms; default 0: one after another). */
    static final long CYCLE_PAUSE_MS = Long.getLong("load.cycle-pause-ms", 0);

    @Test
    void readsAndWritesUnderLoadWithACycleBeside() throws Exception {
        String key = CyclesAccess.portfolio();
        CyclesAccess.recommendation(key);
        String base = "http://localhost:" + RestAssured.port;
        String viewer = "Basic " + Base64.getEncoder().encodeToString("viewer:viewer".getBytes());
        String ingest = "Basic " + Base64.getEncoder().encodeToString("ingest:ingest".getBytes());
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(32)).build();
        Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
        String yesterday = LocalDate.now().minusDays(1).toString();
        Map<String, HttpRequest> requests = Map.of(
                "GET /recommendations", HttpRequest.newBuilder(URI.create(base + "/api/v1/recommendations?size=20"))
                        .header("Authorization", viewer).build(),
                "GET /performance", HttpRequest.newBuilder(URI.create(base + "/api/v1/portfolios/" + key + "/performance"))
                        .header("Authorization", viewer).build(),
                "POST /metrics", HttpRequest.newBuilder(URI.create(base + "/api/v1/portfolios/" + key + "/metrics"))
                        .header("Authorization", ingest).header("Content-Type", "text/csv")
                        .POST(HttpRequest.BodyPublishers.ofString("channel,date,spend,impressions,clicks,conversions,"
                                + "revenue,newCustomers,ltv\ngood," + yesterday + ",1000,100000,5000,100,6000,100,100\n"))
                        .build());
        Map<String, Integer> rates = Map.of("GET /recommendations", 200, "GET /performance", 200, "POST /metrics", 20);
        requests.keySet().forEach(k -> {
            latencies.put(k, Collections.synchronizedList(new ArrayList<>()));
            errors.put(k, new AtomicInteger());
        });
        ScheduledExecutorService ticker = Executors.newScheduledThreadPool(4);
        long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(WARM_UP_SECONDS);
        for (var e : requests.entrySet()) {
            long periodMicros = 1_000_000L / rates.get(e.getKey());
            ticker.scheduleAtFixedRate(() -> {
                long t0 = System.nanoTime();
                boolean measured = t0 >= measureFrom;
                client.sendAsync(e.getValue(), HttpResponse.BodyHandlers.discarding()).whenComplete((res, ex) -> {
                    if (ex != null || res.statusCode() >= 400) {
                        errors.get(e.getKey()).incrementAndGet();
                    } else if (measured) {
                        latencies.get(e.getKey()).add(System.nanoTime() - t0);
                    }
                });
            }, 0, periodMicros, TimeUnit.MICROSECONDS);
        }
        // runs beside the load: one dry run after another
        ExecutorService cycles = Executors.newSingleThreadExecutor();
        AtomicInteger runs = new AtomicInteger();
        long end = measureFrom + TimeUnit.SECONDS.toNanos(SECONDS);
        cycles.submit(() -> {
            while (System.nanoTime() < end) {
                Api.as("strategist").body(Map.of("dryRun", true)).post("/api/v1/portfolios/" + key + "/runs");
                runs.incrementAndGet();
                if (CYCLE_PAUSE_MS > 0) {
                    try {
                        Thread.sleep(CYCLE_PAUSE_MS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
        Thread.sleep(TimeUnit.SECONDS.toMillis(WARM_UP_SECONDS));
        java.time.Duration cpu0 = ProcessHandle.current().info().totalCpuDuration().orElse(java.time.Duration.ZERO);
        Thread.sleep(TimeUnit.SECONDS.toMillis(SECONDS));
        java.time.Duration cpu = ProcessHandle.current().info().totalCpuDuration().orElse(java.time.Duration.ZERO)
                .minus(cpu0);
        ticker.shutdownNow();
        cycles.shutdownNow();
        Thread.sleep(2000);
        System.out.printf("%n=== Load benchmark (%d s measured after %d s of warm-up, loopback, %d dry runs beside) ===%n",
                SECONDS, WARM_UP_SECONDS, runs.get());
        System.out.printf("%-22s %10s %10s %10s %8s%n", "endpoint", "req/s", "p50 ms", "p99 ms", "errors");
        for (String k : List.of("GET /recommendations", "GET /performance", "POST /metrics")) {
            List<Long> l = new ArrayList<>(latencies.get(k));
            Collections.sort(l);
            double p50 = l.isEmpty() ? 0 : l.get(l.size() / 2) / 1e6;
            double p99 = l.isEmpty() ? 0 : l.get(Math.min(l.size() - 1, (int) Math.ceil(l.size() * 0.99) - 1)) / 1e6;
            System.out.printf("%-22s %10.1f %10.1f %10.1f %8d%n", k, l.size() / (double) SECONDS, p50, p99,
                    errors.get(k).get());
        }
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("CPU used by this JVM (service, H2 and load generator) while measured: %.1f s of %d s"
                + " (%d cores): %.0f%%%n", cpu.toMillis() / 1000.0, SECONDS * cores, cores,
                100.0 * cpu.toMillis() / (SECONDS * cores * 1000.0));
        System.out.println();
        org.assertj.core.api.Assertions.assertThat(errors.values()).allMatch(a -> a.get() == 0);
    }
}
