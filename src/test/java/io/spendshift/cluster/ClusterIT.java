package io.spendshift.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service, several instances on one PostgreSQL database, as in production:
 * <ol>
 *   <li>two instances share a portfolio scheduled every two seconds; every slot runs exactly once; one instance
 *       is killed (SIGKILL) in the middle of a run; the other closes the interrupted run as FAILED, re-runs its
 *       slot and carries on, and no run is left RUNNING;</li>
 *   <li>a third instance reaches the database through a relay that drops every connection in the middle of a
 *       run: the client gets a 503 problem, nothing of the run is written, readiness goes DOWN, and when the
 *       database is back the run ends FAILED, the lock is free and the next run succeeds.</li>
 * </ol>
 * Run by {@code mvn verify -Ppostgres} (Failsafe, after packaging), on a database it creates and drops.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final Path WORK = Path.of("target", "cluster-it").toAbsolutePath();

    static String server;
    static String user;
    static String database;
    static String token;
    static final List<Instance> instances = new ArrayList<>();

    @BeforeAll
    static void createDatabase() throws Exception {
        String url = System.getProperty("test.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/test");
        user = System.getProperty("test.jdbc.username", "postgres");
        server = url.substring(0, url.indexOf('/', "jdbc:postgresql://".length()));
        database = "spendshift_cluster_" + System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(server + "/postgres", user, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        Files.createDirectories(WORK);
        token = Jwt.issuer("spendshift").audience("spendshift").upn("cluster-test").groups("admin").expiresIn(3600)
                .sign(KeyUtils.readPrivateKey("jwt/privateKey.pem"));
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        instances.forEach(Instance::kill);
        if (observer != null) {
            observer.close();
        }
        try (Connection c = DriverManager.getConnection(server + "/postgres", user, "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    @Order(1)
    void everySlotRunsOnceAndAKilledInstanceLosesNothing() throws Exception {
        Instance a = Instance.start("A", server + "/" + database);
        Instance b = Instance.start("B", server + "/" + database);
        seed(a, "cluster", 200);
        Instant scheduledAt = Instant.now();
        a.call("PATCH", "/api/v1/portfolios/cluster", "application/merge-patch+json",
                "{\"schedule\":\"0/2 * * * * ?\"}", 200);

        // both instances share the slots for a while
        await(Duration.ofSeconds(40), () -> scheduled("cluster").size() >= 8);
        // then the instance running the current slot dies mid-run
        Instance victim = null;
        long interrupted = 0;
        long deadline = System.currentTimeMillis() + 30_000;
        while (victim == null && System.currentTimeMillis() < deadline) {
            for (Map<String, Object> r : query("SELECT id, instance_id FROM run WHERE status = 'RUNNING'")) {
                victim = "A".equals(r.get("instance_id")) ? a : b;
                interrupted = ((Number) r.get("id")).longValue();
            }
            if (victim != null) {
                victim.kill();
            } else {
                Thread.sleep(2);
            }
        }
        assertThat(victim).as("caught an instance in the middle of a run").isNotNull();
        Instance survivor = victim == a ? b : a;
        long killedRun = interrupted;
        Instant killedAt = Instant.now();
        System.out.printf("[cluster] killed instance %s during run %d%n", victim.name, killedRun);

        // the survivor closes the interrupted run, re-runs its slot and keeps the schedule going
        await(Duration.ofSeconds(60), () -> query("SELECT status FROM run WHERE id = " + killedRun).get(0)
                .get("status").equals("FAILED"));
        Instant slotOfKilled = ((java.sql.Timestamp) query("SELECT scheduled_for FROM run WHERE id = " + killedRun)
                .get(0).get("scheduled_for")).toInstant();
        await(Duration.ofSeconds(60), () -> scheduled("cluster").stream()
                .anyMatch(r -> r.slot().equals(slotOfKilled) && !r.status().equals("FAILED")));
        await(Duration.ofSeconds(60), () -> scheduled("cluster").stream()
                .filter(r -> r.started().isAfter(killedAt.plusSeconds(20))).count() >= 3);
        survivor.call("PATCH", "/api/v1/portfolios/cluster", "application/merge-patch+json", "{\"schedule\":null}", 200);
        await(Duration.ofSeconds(30), () -> query("SELECT id FROM run WHERE status = 'RUNNING'").isEmpty());

        List<Slot> runs = scheduled("cluster");
        Map<String, Long> byInstance = new TreeMap<>();
        runs.forEach(r -> byInstance.merge(r.instance() + " " + r.status(), 1L, Long::sum));
        System.out.printf("[cluster] %d scheduled runs: %s%n", runs.size(), byInstance);

        Map<String, Object> killed = query("SELECT status, error, instance_id FROM run WHERE id = " + killedRun).get(0);
        assertThat(killed.get("instance_id")).isEqualTo(victim.name);
        assertThat((String) killed.get("error")).contains("instance " + victim.name + " stopped during the run");
        assertThat(runs).as("no run left RUNNING").noneMatch(r -> r.status().equals("RUNNING"));
        assertThat(runs.stream().filter(r -> r.status().equals("FAILED")).map(Slot::id))
                .as("the killed run is the only failure").containsExactly(killedRun);

        // every two-second slot from the first to the last ran exactly once (failed attempts aside)
        TreeMap<Instant, Integer> done = new TreeMap<>();
        runs.stream().filter(r -> !r.status().equals("FAILED")).forEach(r -> done.merge(r.slot(), 1, Integer::sum));
        assertThat(done.values()).as("no slot ran twice").allMatch(n -> n == 1);
        List<Instant> missing = new ArrayList<>();
        for (Instant s = done.firstKey(); !s.isAfter(done.lastKey()); s = s.plusSeconds(2)) {
            if (!done.containsKey(s)) {
                missing.add(s);
            }
        }
        assertThat(missing).as("slots without a run").isEmpty();
        // Quartz counts the second the schedule was set in as its first slot
        assertThat(done.firstKey()).isBetween(scheduledAt.minusSeconds(2), scheduledAt.plusSeconds(3));
        assertThat(done).containsKey(slotOfKilled);
        assertThat(query("SELECT portfolio_id FROM run_lock")).as("no lock left behind").isEmpty();
        assertThat(query("SELECT id FROM service_instance")).extracting(r -> r.get("id"))
                .as("the dead instance is forgotten").containsExactly(survivor.name);
        JsonNode verify = survivor.call("GET", "/api/v1/audit/verify", null, null, 200);
        assertThat(verify.get("valid").asBoolean()).as("audit chain written by both instances verifies").isTrue();
    }

    @Test
    @Order(2)
    void aDatabaseOutageMidRunWritesNothingHalfAndTheServiceRecovers() throws Exception {
        int dbPort = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
        String dbHost = server.substring("jdbc:postgresql://".length(), server.lastIndexOf(':'));
        // alone on the database, the instance must close its own interrupted run once the database is back
        instances.forEach(Instance::kill);
        try (OutageProxy proxy = new OutageProxy(freePort(), dbHost, dbPort)) {
            Instance c = Instance.start("C", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + database);
            seed(c, "outage", 500);
            List<Map<String, Object>> budgets = budgets("outage");
            long recommendations = count("recommendation");
            long budgetChanges = count("budget_change");

            CompletableFuture<HttpResponse<String>> response = c.async("POST", "/api/v1/portfolios/outage/runs", "{}");
            long run = 0;
            long deadline = System.currentTimeMillis() + 20_000;
            while (run == 0 && System.currentTimeMillis() < deadline) {
                List<Map<String, Object>> running = query("SELECT id FROM run WHERE status = 'RUNNING' AND instance_id = 'C'");
                if (running.isEmpty()) {
                    Thread.sleep(1);
                } else {
                    run = ((Number) running.get(0).get("id")).longValue();
                    proxy.cut();
                }
            }
            assertThat(run).as("caught the run in progress").isPositive();
            long cutRun = run;
            HttpResponse<String> answer = response.get();
            System.out.printf("[outage] run %d: HTTP %d %s%n", cutRun, answer.statusCode(), answer.body());
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(answer.body()).contains("database unreachable").doesNotContain("select ");
            assertThat(c.status("GET", "/q/health/ready")).as("not ready without its database").isEqualTo(503);
            Thread.sleep(2_000);
            proxy.restore();

            await(Duration.ofSeconds(60), () -> c.status("GET", "/q/health/ready") == 200);
            await(Duration.ofSeconds(30), () -> query("SELECT status FROM run WHERE id = " + cutRun).get(0)
                    .get("status").equals("FAILED"));
            Map<String, Object> failed = query("SELECT error, recommendation_id FROM run WHERE id = " + cutRun).get(0);
            System.out.printf("[outage] run %d closed: %s%n", cutRun, failed.get("error"));
            assertThat((String) failed.get("error")).startsWith("interrupted: database unreachable: ");
            assertThat(failed.get("recommendation_id")).as("no half-written result").isNull();
            assertThat(count("recommendation")).isEqualTo(recommendations);
            assertThat(count("budget_change")).isEqualTo(budgetChanges);
            assertThat(budgets("outage")).isEqualTo(budgets);
            assertThat(query("SELECT portfolio_id FROM run_lock")).as("lock released").isEmpty();

            JsonNode next = c.call("POST", "/api/v1/portfolios/outage/runs", "application/json", "{}", 201);
            assertThat(next.get("status").asText()).isIn("SUCCEEDED", "NO_CHANGE");
            JsonNode verify = c.call("GET", "/api/v1/audit/verify", null, null, 200);
            assertThat(verify.get("valid").asBoolean()).isTrue();
            c.kill();
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    record Slot(long id, Instant slot, String status, String instance, Instant started) {
    }

    static List<Slot> scheduled(String portfolio) {
        return query("SELECT r.id, r.scheduled_for, r.status, r.instance_id, r.started_at FROM run r "
                + "JOIN portfolio p ON p.id = r.portfolio_id WHERE p.pkey = '" + portfolio
                + "' AND r.run_trigger = 'SCHEDULED' ORDER BY r.id").stream()
                .map(r -> new Slot(((Number) r.get("id")).longValue(),
                        ((java.sql.Timestamp) r.get("scheduled_for")).toInstant(), (String) r.get("status"),
                        (String) r.get("instance_id"), ((java.sql.Timestamp) r.get("started_at")).toInstant()))
                .toList();
    }

    static List<Map<String, Object>> budgets(String portfolio) {
        return query("SELECT c.ckey, c.daily_budget FROM channel c JOIN portfolio p ON p.id = c.portfolio_id "
                + "WHERE p.pkey = '" + portfolio + "' ORDER BY c.ckey");
    }

    static long count(String table) {
        return ((Number) query("SELECT count(*) AS n FROM " + table).get(0).get("n")).longValue();
    }

    /** The test's own connection, kept open: the polling loops query every few milliseconds. */
    static Connection observer;

    static synchronized List<Map<String, Object>> query(String sql) {
        try {
            if (observer == null || observer.isClosed()) {
                observer = DriverManager.getConnection(server + "/" + database, user, "");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        try (Statement s = observer.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A portfolio of {@code channels} channels with 60 days of diminishing-returns history. */
    static void seed(Instance via, String key, int channels) {
        via.call("POST", "/api/v1/portfolios", "application/json",
                "{\"key\":\"" + key + "\",\"name\":\"" + key + "\",\"currency\":\"EUR\",\"timeZone\":\"UTC\"}", 201);
        Random random = new Random(key.hashCode());
        StringBuilder csv = new StringBuilder("channel,date,spend,impressions,clicks,conversions,revenue,newCustomers,ltv\n");
        LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
        for (int i = 0; i < channels; i++) {
            String ch = "ch" + i;
            int budget = 100 + random.nextInt(400);
            via.call("PUT", "/api/v1/portfolios/" + key + "/channels/" + ch, "application/json",
                    "{\"name\":\"" + ch + "\",\"kind\":\"" + (i % 2 == 0 ? "search" : "social") + "\",\"dailyBudget\":"
                            + budget + ",\"minDailyBudget\":20,\"maxDailyBudget\":2000}", 201);
            double scale = 1 + random.nextDouble() * 5;
            for (int d = 60; d >= 1; d--) {
                double spend = budget * (0.6 + random.nextDouble() * 0.8);
                double revenue = scale * 8 * Math.pow(spend, 0.75);
                int conversions = Math.max(1, (int) (revenue / 60));
                csv.append(ch).append(',').append(today.minusDays(d)).append(',')
                        .append(String.format(java.util.Locale.ROOT, "%.2f", spend)).append(",10000,500,")
                        .append(conversions).append(',').append(String.format(java.util.Locale.ROOT, "%.2f", revenue))
                        .append(',').append(Math.max(1, conversions / 2)).append(',')
                        .append(String.format(java.util.Locale.ROOT, "%.2f", 80 + scale * 20)).append('\n');
            }
        }
        via.call("POST", "/api/v1/portfolios/" + key + "/metrics", "text/csv", csv.toString(), 200);
    }

    static void await(Duration max, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + max);
            }
            Thread.sleep(200);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** One packaged service process. */
    static final class Instance {
        final String name;
        final int port;
        final Process process;

        private Instance(String name, int port, Process process) {
            this.name = name;
            this.port = port;
            this.process = process;
        }

        static Instance start(String name, String jdbcUrl) throws Exception {
            int port = freePort();
            Path dir = WORK.resolve(name);
            Files.createDirectories(dir);
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-jar", Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().toString())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("service.log").toFile());
            Map<String, String> env = pb.environment();
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.put("SPENDSHIFT_DB_URL", jdbcUrl);
            env.put("SPENDSHIFT_DB_USER", user);
            env.put("SPENDSHIFT_DEMO", "false");
            // every instance signs the one audit chain with the same key (demo mode off: start-up needs one)
            env.put("SPENDSHIFT_AUDIT_KEY", "cluster-test-audit-key-0123456789abcdef");
            env.put("SPENDSHIFT_RULES_DIR", Path.of("target", "test-rules").toAbsolutePath().toString());
            env.put("SPENDSHIFT_SOURCES_POLL_INTERVAL", "off");
            env.put("SPENDSHIFT_RUNS_INSTANCE_ID", name);
            env.put("SPENDSHIFT_RUNS_HEARTBEAT", "1s");
            env.put("SPENDSHIFT_RUNS_INSTANCE_LOST_AFTER", "4s");
            env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                    new File("src/test/resources/jwt/publicKey.pem").getAbsolutePath());
            Instance i = new Instance(name, port, pb.start());
            instances.add(i);
            await(Duration.ofSeconds(90), () -> {
                if (!i.process.isAlive()) {
                    throw new AssertionError("instance " + name + " exited; see " + dir.resolve("service.log"));
                }
                return i.status("GET", "/q/health/ready") == 200;
            });
            System.out.printf("[cluster] instance %s up on port %d%n", name, port);
            return i;
        }

        void kill() {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        HttpRequest request(String method, String path, String contentType, String body) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            return b.build();
        }

        JsonNode call(String method, String path, String contentType, String body, int expected) {
            try {
                HttpResponse<String> r = HTTP.send(request(method, path, contentType, body), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(expected);
                return r.body().isEmpty() ? null : JSON.readTree(r.body());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        CompletableFuture<HttpResponse<String>> async(String method, String path, String body) {
            return HTTP.sendAsync(request(method, path, "application/json", body), HttpResponse.BodyHandlers.ofString());
        }

        int status(String method, String path) {
            try {
                return HTTP.send(request(method, path, null, null), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }
}
