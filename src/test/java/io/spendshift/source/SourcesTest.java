package io.spendshift.source;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class SourcesTest {

    private static final String D1 = LocalDate.now().minusDays(2).toString();
    private static final String HEADER = "channel,date,spend,impressions,clicks,conversions,revenue,newCustomers,ltv\n";

    @Inject
    CsvDropFolder dropFolder;
    @Inject
    jakarta.persistence.EntityManager em;

    private HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicReference<String> lastAuthorization = new AtomicReference<>();
    private final AtomicReference<String> lastQuery = new AtomicReference<>();
    private final java.util.List<String> paths = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** What the local test server does for a request: status and body, or a delay past the timeout. */
    private volatile Behaviour behaviour;

    record Behaviour(int status, String body, long delayMs, int failFirst, String location) {
        Behaviour(int status, String body, long delayMs, int failFirst) {
            this(status, body, delayMs, failFirst, null);
        }
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/perf", exchange -> {
            int n = calls.incrementAndGet();
            lastAuthorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            lastQuery.set(exchange.getRequestURI().getQuery());
            Behaviour b = behaviour;
            try {
                if (b.delayMs() > 0) {
                    Thread.sleep(b.delayMs());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            paths.add(exchange.getRequestURI().getPath());
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            int status = n <= b.failFirst() ? 503 : b.status();
            byte[] body = b.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (b.location() != null && !exchange.getRequestURI().getPath().endsWith("/moved")) {
                // a redirect instead of the answer
                exchange.getResponseHeaders().add("Location", b.location());
                status = 302;
                body = new byte[0];
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        if (elsewhere != null) {
            elsewhere.stop(0);
        }
    }

    /** Another origin (same address, another port) and what it received. */
    private HttpServer elsewhere;
    private final java.util.List<String> elsewhereSaw = new java.util.concurrent.CopyOnWriteArrayList<>();

    private String startElsewhere() throws IOException {
        elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        elsewhere.createContext("/", exchange -> {
            elsewhereSaw.add(exchange.getRequestURI().getPath() + " auth="
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = rowsJson("search").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        elsewhere.start();
        return "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/perf";
    }

    private String httpPortfolio(String token) {
        return httpPortfolio(token, "http://127.0.0.1:" + server.getAddress().getPort() + "/perf");
    }

    private String httpPortfolio(String token, String url) {
        String key = Api.portfolioWithChannels("http", "search");
        Map<String, Object> source = new java.util.HashMap<>(Map.of("type", "HTTP", "url", url));
        if (token != null) {
            source.put("bearerToken", token);
        }
        Api.admin().body(Map.of("source", source)).patch("/api/v1/portfolios/" + key).then().statusCode(200)
                .body("source.bearerTokenSet", equalTo(token != null));
        return key;
    }

    private static String rowsJson(String channel) {
        return "[{\"channel\":\"" + channel + "\",\"date\":\"" + D1 + "\",\"spend\":10,\"impressions\":100,"
                + "\"clicks\":5,\"conversions\":1,\"revenue\":30,\"newCustomers\":1,\"ltv\":90}]";
    }

    private static long stored(String key) {
        return as("viewer").get("/api/v1/portfolios/" + key + "/metrics").then().extract()
                .<Number>path("total").longValue();
    }

    @Test
    void httpPullStoresRowsAndSendsTheBearerToken() {
        behaviour = new Behaviour(200, rowsJson("search"), 0, 0);
        String key = httpPortfolio("s3cret");
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("sourceType", equalTo("HTTP")).body("sourceRows", equalTo(1))
                .body("sourceError", org.hamcrest.Matchers.nullValue());
        assertThat(lastAuthorization.get()).isEqualTo("Bearer s3cret");
        assertThat(lastQuery.get()).contains("from=").contains("to=" + LocalDate.now().minusDays(1));
        assertThat(stored(key)).isEqualTo(1);
        as("viewer").get("/api/v1/portfolios/" + key + "/source").then().statusCode(200)
                .body("lastSuccess", notNullValue()).body("lastError", org.hamcrest.Matchers.nullValue())
                .body("rowsIngested", equalTo(1));
    }

    @Test
    void httpPullRetriesServerErrorsThenSucceeds() {
        behaviour = new Behaviour(200, rowsJson("search"), 0, 2);
        String key = httpPortfolio(null);
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("sourceRows", equalTo(1));
        assertThat(calls.get()).isEqualTo(3);
        assertThat(lastAuthorization.get()).isNull();
    }

    @Test
    void aSourceAnswering500IsReportedAfterItsRetries() {
        behaviour = new Behaviour(500, "", 0, 0);
        String key = httpPortfolio(null);
        Api.admin().body(Map.of("notify", java.util.List.of(Map.of("type", "EMAIL", "target", "feeds@brand.example",
                "events", java.util.List.of("SOURCE_FAILED"))))).patch("/api/v1/portfolios/" + key).then().statusCode(200);
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("sourceError", org.hamcrest.Matchers.containsString("failed 3 times; last: HTTP 500"));
        assertThat(calls.get()).isEqualTo(3);
        as("viewer").get("/api/v1/portfolios/" + key + "/source").then()
                .body("lastError", org.hamcrest.Matchers.containsString("HTTP 500"))
                .body("lastSuccess", org.hamcrest.Matchers.nullValue());
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=SOURCE_PULL_FAILED").then()
                .body("total", equalTo(1));
        // the failed pull is queued for the subscribed target (SOURCE_FAILED)
        as("viewer").get("/api/v1/portfolios/" + key + "/notifications").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].event", equalTo("SOURCE_FAILED"))
                .body("items[0].target", equalTo("feeds@brand.example"));
        assertThat(stored(key)).isZero();
    }

    @Test
    void aSourceThatTimesOutIsReported() {
        behaviour = new Behaviour(200, rowsJson("search"), 1500, 0);
        String key = httpPortfolio(null);
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("sourceError", org.hamcrest.Matchers.containsString("timed out"));
        assertThat(stored(key)).isZero();
    }

    @Test
    void aMalformedBodyIsReportedAndNothingIsStored() {
        behaviour = new Behaviour(200, "[{\"channel\": \"search\", \"date\": ", 0, 0);
        String key = httpPortfolio(null);
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("sourceError", org.hamcrest.Matchers.containsString("not valid JSON"));
        behaviour = new Behaviour(200, rowsJson("unknown-channel"), 0, 0);
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("sourceError", equalTo("the source answered rows that were refused: 1 problem(s) (first: row 1, channel)"));
        assertThat(stored(key)).isZero();
    }

    @Test
    void aRedirectToAnotherOriginIsRefusedAndTheTokenNeverLeaves() throws IOException {
        String other = startElsewhere();
        behaviour = new Behaviour(200, "", 0, 0, other);
        String key = httpPortfolio("s3cret");
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("sourceError", equalTo("refused: redirect to another origin"));
        assertThat(calls.get()).as("refused at once, not retried").isEqualTo(1);
        assertThat(lastAuthorization.get()).isEqualTo("Bearer s3cret");
        assertThat(elsewhereSaw).as("the other origin gets no request, so never the token").isEmpty();
        as("viewer").get("/api/v1/portfolios/" + key + "/source").then()
                .body("lastError", equalTo("refused: redirect to another origin"));
        assertThat(stored(key)).isZero();
    }

    @Test
    void aRedirectWithinTheSameOriginIsFollowedWithTheToken() {
        // the first answer redirects to /perf/moved, which answers the rows
        behaviour = new Behaviour(200, rowsJson("search"), 0, 0, "/perf/moved");
        String key = httpPortfolio("s3cret", "http://127.0.0.1:" + server.getAddress().getPort() + "/perf/start");
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("sourceRows", equalTo(1)).body("sourceError", org.hamcrest.Matchers.nullValue());
        assertThat(paths).containsExactly("/perf/start", "/perf/moved");
        assertThat(authorizations).containsExactly("Bearer s3cret", "Bearer s3cret");
    }

    @Test
    void textTheSourceSendsNeverReachesTheErrors() {
        String marker = "INTERNAL-DETAIL-7f3a";
        behaviour = new Behaviour(500, "{\"error\": \"" + marker + " at db01.internal\"}", 0, 0);
        String key = httpPortfolio(null);
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("sourceError", equalTo("the source failed 3 times; last: HTTP 500 from source"));
        behaviour = new Behaviour(404, marker, 0, 0);
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("sourceError", equalTo("HTTP 404 from source (not retried)"));
        behaviour = new Behaviour(200, "[{\"channel\": " + marker + "}]", 0, 0);
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("sourceError", org.hamcrest.Matchers.containsString("not valid JSON"));
        behaviour = new Behaviour(200, rowsJson(marker.toLowerCase()).replace("\"spend\":10", "\"spend\":\"" + marker + "\"")
                .replace("\"ltv\":90", "\"" + marker + "\":1"), 0, 0);
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("sourceError", org.hamcrest.Matchers.startsWith("the source answered rows that were refused"));
        String status = as("viewer").get("/api/v1/portfolios/" + key + "/source").then().extract().asString();
        String audit = as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=SOURCE_PULL_FAILED").then()
                .body("total", equalTo(4)).extract().asString();
        assertThat(status).doesNotContainIgnoringCase(marker).doesNotContain("db01");
        assertThat(audit).doesNotContainIgnoringCase(marker).doesNotContain("db01");
    }

    @Test
    void aStoredUrlIsCheckedAgainBeforeEveryPull() {
        // a URL that was acceptable when saved (an older allow list, a name whose address changed since) is
        // checked again when called: here localhost, which this test configuration does not allow
        behaviour = new Behaviour(200, rowsJson("search"), 0, 0);
        String key = httpPortfolio("s3cret");
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "UPDATE portfolio SET source_url = ?1 WHERE pkey = ?2")
                .setParameter(1, "http://localhost:" + server.getAddress().getPort() + "/perf")
                .setParameter(2, key).executeUpdate());
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("sourceError", equalTo("refused: destination not allowed (loopback address)"));
        assertThat(calls.get()).as("nothing was sent").isZero();
        assertThat(stored(key)).isZero();
    }

    @Test
    void aGoodDroppedFileIsIngestedAndMovedToProcessed() throws IOException {
        String key = Api.portfolioWithChannels("drop", "search", "social");
        Path dir = Files.createDirectories(dropFolder.folderOf(key));
        Files.writeString(dir.resolve("day.csv"), HEADER + "search," + D1 + ",10,100,5,1,30,1,\n"
                + "\"social\"," + D1 + ",\"12.50\",100,5,1,30,1,80\n");
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("dropFiles[0].file", equalTo("day.csv")).body("dropFiles[0].ingested", equalTo(true))
                .body("dropFiles[0].rows", equalTo(2));
        assertThat(dir.resolve("day.csv")).doesNotExist();
        assertThat(dir.resolve("processed/day.csv")).exists();
        assertThat(stored(key)).isEqualTo(2);
    }

    @Test
    void aBadDroppedFileMovesToFailedWithItsErrorsAndStoresNothing() throws IOException {
        String key = Api.portfolioWithChannels("dropbad", "search");
        Path dir = Files.createDirectories(dropFolder.folderOf(key));
        Files.writeString(dir.resolve("bad.csv"), HEADER + "search," + D1 + ",10,100,5,1,30,1,\n"
                + "search," + D2() + ",-10,100,5,1,30,1,\n"
                + "tv," + D2() + ",10,100,5,1,30,1,\n");
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("dropFiles[0].ingested", equalTo(false));
        assertThat(dir.resolve("failed/bad.csv")).exists();
        String errors = Files.readString(dir.resolve("failed/bad.csv.errors.txt"));
        assertThat(errors).contains("row 2: spend must not be negative").contains("row 3: channel unknown channel 'tv'");
        assertThat(stored(key)).isZero();
    }

    @Test
    void aDroppedOutcomesFileIsIngestedAsCustomerValueAndMovedToProcessed() throws IOException {
        String key = Api.portfolioWithChannels("dropout", "search", "social");
        Path dir = Files.createDirectories(dropFolder.folderOf(key));
        Files.writeString(dir.resolve(key + ".outcomes.csv"), "channel,date,newCustomers,ltv\n"
                + "search," + D1 + ",4,120.50\n" + "social," + D1 + ",2.5,80\n");
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("dropFiles[0].file", equalTo(key + ".outcomes.csv")).body("dropFiles[0].ingested", equalTo(true))
                .body("dropFiles[0].rows", equalTo(2));
        assertThat(dir.resolve(key + ".outcomes.csv")).doesNotExist();
        assertThat(dir.resolve("processed/" + key + ".outcomes.csv")).exists();
        assertThat(stored(key)).as("no metric rows: the file is customer value").isZero();
        as("viewer").get("/api/v1/portfolios/" + key + "/outcomes").then().statusCode(200)
                .body("total", equalTo(2))
                .body("items.find { it.channel == 'search' }.ltv", Api.money("120.50"))
                .body("items.find { it.channel == 'social' }.newCustomers", equalTo(2.5f));
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=OUTCOMES_INGESTED").then().statusCode(200)
                .body("items[0].details.origin", equalTo("drop-folder"))
                .body("items[0].details.file", equalTo(key + ".outcomes.csv"));
    }

    @Test
    void aBadDroppedOutcomesFileMovesToFailedStoresNothingAndIsListedAsRejected() throws IOException {
        String key = Api.portfolioWithChannels("dropoutbad", "search");
        Path dir = Files.createDirectories(dropFolder.folderOf(key));
        Files.writeString(dir.resolve("nightly.outcomes.csv"), "channel,date,newCustomers,value\n"
                + "search," + D1 + ",4,480\n" + "tv," + D1 + ",1,50\n" + "search," + D2() + ",-1,50\n");
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("dropFiles[0].ingested", equalTo(false));
        assertThat(dir.resolve("failed/nightly.outcomes.csv")).exists();
        String errors = Files.readString(dir.resolve("failed/nightly.outcomes.csv.errors.txt"));
        assertThat(errors).contains("row 2: channel unknown channel 'tv'").contains("row 3: newCustomers must not be negative");
        as("viewer").get("/api/v1/portfolios/" + key + "/outcomes").then().body("total", equalTo(0));
        as("viewer").get("/api/v1/portfolios/" + key + "/source").then().statusCode(200)
                .body("rejectedDrops[0].file", equalTo("nightly.outcomes.csv"))
                .body("rejectedDrops[0].errorCount", equalTo(2));
    }

    private static String D2() {
        return LocalDate.now().minusDays(1).toString();
    }

    @Test
    void theSimulatedMarketFillsOnlyMissingDays() {
        String key = Api.portfolioWithChannels("sim", "search", "social");
        Api.admin().body(Map.of("source", Map.of("type", "SIMULATED", "seed", 7)))
                .patch("/api/v1/portfolios/" + key).then().statusCode(200);
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("sourceRows", equalTo(180));
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("sourceRows", equalTo(0));
        assertThat(stored(key)).isEqualTo(180);
    }
}
