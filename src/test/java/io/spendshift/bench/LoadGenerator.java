package io.spendshift.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An open-loop load generator meant to run in its own JVM, pinned to its own core ({@code taskset -c 1}), against
 * a packaged service pinned to another: requests leave on a fixed schedule whatever the answers do, and each
 * latency is measured from the moment its request was due, so a stalled service shows as latency instead of as
 * fewer requests (no coordinated omission). Only the JDK is needed:
 * <pre>taskset -c 1 java -cp target/test-classes io.spendshift.bench.LoadGenerator http://127.0.0.1:8181 \
 *     --rate 100 --seconds 20 --warm-up 5 [--cycle-pause-ms 1000] [--metrics-rate 20]</pre>
 * It first sets up a portfolio with 60 days of history and 20 recommendations, warms the service up with {@code --warm-up-requests} requests per endpoint one at a time (3,000), then drives GET /recommendations
 * and GET /portfolios/{key}/performance at {@code --rate} requests/s each; with {@code --cycle-pause-ms} dry runs
 * of the cycle go on beside them (one after another, that pause apart), with {@code --metrics-rate} one-row
 * metric posts. Prints p50/p99/max per endpoint and the errors.
 */
public final class LoadGenerator {

    private final String base;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newFixedThreadPool(8)).build();

    private LoadGenerator(String base) {
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new TreeMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        int rate = Integer.parseInt(o.getOrDefault("--rate", "100"));
        int seconds = Integer.parseInt(o.getOrDefault("--seconds", "20"));
        int warmUp = Integer.parseInt(o.getOrDefault("--warm-up", "5"));
        long cyclePause = Long.parseLong(o.getOrDefault("--cycle-pause-ms", "-1"));
        int metricsRate = Integer.parseInt(o.getOrDefault("--metrics-rate", "0"));
        LoadGenerator g = new LoadGenerator(args[0]);
        String key = o.containsKey("--portfolio") ? o.get("--portfolio") : g.setUp();
        int warmUpRequests = Integer.parseInt(o.getOrDefault("--warm-up-requests", "3000"));
        g.drive(key, rate, seconds, warmUp, cyclePause, metricsRate, warmUpRequests);
        System.exit(0);
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(String method, String path, String user, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", basic(user));
        if (body != null) {
            b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void expect(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(r.request().method() + " " + r.uri() + " answered " + r.statusCode() + ": "
                    + r.body());
        }
    }

    /** Two channels, 60 days in which "good" earns ten times "poor": every run proposes a shift. */
    private String setUp() throws Exception {
        String key = "load-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        expect(send("POST", "/api/v1/portfolios", "admin", "application/json", "{\"key\":\"" + key
                + "\",\"name\":\"Load\",\"currency\":\"EUR\",\"mode\":\"RECOMMEND\"}"), 201);
        for (String c : List.of("good", "poor")) {
            HttpResponse<String> r = send("PUT", "/api/v1/portfolios/" + key + "/channels/" + c, "admin",
                    "application/json", "{\"name\":\"" + c + "\",\"kind\":\"search\",\"dailyBudget\":1000,"
                            + "\"minDailyBudget\":100,\"maxDailyBudget\":5000}");
            if (r.statusCode() != 201 && r.statusCode() != 200) {
                expect(r, 201);
            }
        }
        StringBuilder rows = new StringBuilder("[");
        LocalDate today = LocalDate.now();
        for (int d = 1; d <= 60; d++) {
            double spend = 1000 * (1 + 0.1 * Math.sin(d * 1.7));
            for (String c : List.of("good", "poor")) {
                long customers = Math.round(spend / ("good".equals(c) ? 10 : 100));
                rows.append(rows.length() > 1 ? "," : "").append(String.format(Locale.ROOT,
                        "{\"channel\":\"%s\",\"date\":\"%s\",\"spend\":%.2f,\"impressions\":100000,\"clicks\":5000,"
                                + "\"conversions\":%d,\"revenue\":%d,\"newCustomers\":%d,\"ltv\":100}",
                        c, today.minusDays(d), spend, customers, customers * 60, customers));
            }
        }
        expect(send("POST", "/api/v1/portfolios/" + key + "/metrics", "ingest", "application/json", rows + "]"), 200);
        for (int i = 0; i < 20; i++) {
            expect(send("POST", "/api/v1/portfolios/" + key + "/runs", "strategist", "application/json",
                    "{\"dryRun\":false}"), 201);
        }
        System.out.println("set up portfolio " + key + " with 20 runs");
        return key;
    }

    private record Endpoint(String name, HttpRequest request) {
    }

    private void drive(String key, int rate, int seconds, int warmUp, long cyclePause, int metricsRate,
                       int warmUpRequests) throws Exception {
        List<Endpoint> reads = List.of(
                new Endpoint("GET /recommendations", HttpRequest.newBuilder(URI.create(base
                        + "/api/v1/recommendations?size=20")).header("Authorization", basic("viewer")).build()),
                new Endpoint("GET /performance", HttpRequest.newBuilder(URI.create(base + "/api/v1/portfolios/" + key
                        + "/performance")).header("Authorization", basic("viewer")).build()));
        Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
        // a cold JVM on one core spends its first seconds compiling: warm it up one request at a time, unrecorded,
        // so that the open-loop phase starts from a steady state instead of from a backlog
        for (int i = 0; i < warmUpRequests; i++) {
            for (Endpoint e : reads) {
                client.send(e.request(), HttpResponse.BodyHandlers.discarding());
            }
        }
        AtomicBoolean measuring = new AtomicBoolean(false);
        AtomicBoolean running = new AtomicBoolean(true);
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        long period = 1_000_000_000L / rate;
        for (Endpoint e : reads) {
            latencies.put(e.name(), Collections.synchronizedList(new ArrayList<>()));
            errors.put(e.name(), new AtomicInteger());
            timer.scheduleAtFixedRate(() -> fire(e, latencies, errors, measuring), 0, period, TimeUnit.NANOSECONDS);
        }
        if (metricsRate > 0) {
            String yesterday = LocalDate.now().minusDays(1).toString();
            Endpoint m = new Endpoint("POST /metrics", HttpRequest.newBuilder(URI.create(base + "/api/v1/portfolios/"
                            + key + "/metrics")).header("Authorization", basic("ingest")).header("Content-Type", "text/csv")
                    .POST(HttpRequest.BodyPublishers.ofString("channel,date,spend,impressions,clicks,conversions,revenue,"
                            + "newCustomers,ltv\ngood," + yesterday + ",1000,100000,5000,100,6000,100,100\n")).build());
            latencies.put(m.name(), Collections.synchronizedList(new ArrayList<>()));
            errors.put(m.name(), new AtomicInteger());
            timer.scheduleAtFixedRate(() -> fire(m, latencies, errors, measuring), 0, 1_000_000_000L / metricsRate,
                    TimeUnit.NANOSECONDS);
        }
        AtomicInteger cycles = new AtomicInteger();
        Thread cycle = new Thread(() -> {
            while (running.get() && cyclePause >= 0) {
                try {
                    HttpResponse<String> r = send("POST", "/api/v1/portfolios/" + key + "/runs", "strategist",
                            "application/json", "{\"dryRun\":true}");
                    if (measuring.get() && r.statusCode() == 201) {
                        cycles.incrementAndGet();
                    }
                    if (cyclePause > 0) {
                        TimeUnit.MILLISECONDS.sleep(cyclePause);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // counted nowhere: the cycle is background load, the reads are what is measured
                }
            }
        }, "cycle");
        cycle.setDaemon(true);
        cycle.start();
        TimeUnit.SECONDS.sleep(warmUp);
        measuring.set(true);
        TimeUnit.SECONDS.sleep(seconds);
        measuring.set(false);
        running.set(false);
        timer.shutdownNow();
        TimeUnit.SECONDS.sleep(2); // answers still in flight are recorded as they arrive
        System.out.printf(Locale.ROOT, "%nload: %d req/s per read endpoint, %d s measured after %d s warm-up, cycle %s%n",
                rate, seconds, warmUp, cyclePause < 0 ? "off" : "dry runs " + cyclePause + " ms apart (" + cycles.get()
                        + " in the window)");
        System.out.println("| endpoint | requests/s | p50 | p99 | max | errors |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (String name : new TreeMap<>(latencies).keySet()) {
            List<Long> l = new ArrayList<>(latencies.get(name));
            Collections.sort(l);
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.1f ms | %.1f ms | %.1f ms | %d |%n", name,
                    l.size() / (double) seconds, pct(l, 0.50), pct(l, 0.99), l.isEmpty() ? 0 : l.get(l.size() - 1) / 1e6,
                    errors.get(name).get());
        }
    }

    /** Sends one request now; its latency counts from when it was due, which is now on a fixed-rate schedule. */
    private void fire(Endpoint e, Map<String, List<Long>> latencies, Map<String, AtomicInteger> errors,
                      AtomicBoolean measuring) {
        long due = System.nanoTime();
        boolean measured = measuring.get();
        client.sendAsync(e.request(), HttpResponse.BodyHandlers.discarding()).whenComplete((r, t) -> {
            if (!measured) {
                return;
            }
            if (t != null || r.statusCode() >= 300) {
                errors.get(e.name()).incrementAndGet();
            } else {
                latencies.get(e.name()).add(System.nanoTime() - due);
            }
        });
    }

    private static double pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }
}
