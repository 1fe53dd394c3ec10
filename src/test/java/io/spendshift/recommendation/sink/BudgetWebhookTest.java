package io.spendshift.recommendation.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import io.spendshift.notify.NotificationDispatcher;
import io.spendshift.outbound.WebhookSignature;
import io.spendshift.run.Cycles;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The budget webhook as a receiver sees it: what an applied plan, a revert and a manual edit of a channel send,
 * how they are signed (the Python receiver of docs/cycle.md, run as written, accepts Spendshift's real requests and
 * rejects a changed body, a wrong secret and an old timestamp), and that a manual edit takes the plans' path:
 * webhook and further sinks first, then the budget, the ledger and the audit, or nothing at all.
 */
@QuarkusTest
class BudgetWebhookTest {

    static final String SECRET = "whsec-budget-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();

    record Received(String path, byte[] body, Map<String, String> headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Inject
    EntityManager em;
    @Inject
    NotificationDispatcher dispatcher;

    HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();
    volatile int status = 200;

    static io.spendshift.connector.FakePlatforms platforms;

    /** The channels of these tests target Google Ads campaigns 111 and 222: the fake platform holds them. */
    @org.junit.jupiter.api.BeforeAll
    static void platforms() throws IOException {
        platforms = new io.spendshift.connector.FakePlatforms(18931);
        platforms.googleCampaign("111", "Brand", "600");
        platforms.googleCampaign("222", "Generic", "400");
    }

    @org.junit.jupiter.api.AfterAll
    static void stopPlatforms() {
        platforms.close();
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            Map<String, String> h = new java.util.HashMap<>();
            for (String name : List.of("X-Spendshift-Signature", "X-Spendshift-Signature-V1", "X-Spendshift-Timestamp",
                    "Idempotency-Key")) {
                h.put(name, ex.getRequestHeaders().getFirst(name));
            }
            received.add(new Received(ex.getRequestURI().getPath(), ex.getRequestBody().readAllBytes(), h));
            ex.sendResponseHeaders(ex.getRequestURI().getPath().equals("/budgets") ? status : 200, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    String portfolio(List<?> notify) {
        return Cycles.portfolio("RECOMMEND", Map.of("webhook", Map.of("url", url("/budgets"), "secret", SECRET),
                "notify", notify));
    }

    List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    static Map<String, Object> channel(int budget, Map<String, Object> target) {
        Map<String, Object> c = new java.util.HashMap<>(Map.of("name", "Good search", "kind", "search",
                "dailyBudget", budget, "minDailyBudget", 100, "maxDailyBudget", 5000));
        if (target != null) {
            c.put("target", target);
        }
        return c;
    }

    static final Map<String, Object> TARGET = Map.of("connector", "google-ads", "account", "1234567890",
            "campaigns", List.of("111", "222"), "split", "PROPORTIONAL");

    @Test
    void anAppliedPlanAndItsRevertCarryCurrencyNamesTargetsAndReasonsSignedWithATimestamp() throws Exception {
        String key = portfolio(List.of(Map.of("type", "WEBHOOK", "target", url("/events"),
                "events", List.of("RECOMMENDATION_PROPOSED"))));
        // the same budget with a target: no budget change, nothing delivered
        as("admin").body(channel(1000, TARGET)).put("/api/v1/portfolios/" + key + "/channels/good").then()
                .statusCode(200);
        assertThat(at("/budgets")).isEmpty();

        int rec = recommendationOf(key);
        as("approver").post("/api/v1/recommendations/" + rec + "/approve").then().statusCode(200);
        long before = Instant.now().getEpochSecond();
        as("approver").post("/api/v1/recommendations/" + rec + "/apply").then().statusCode(200)
                .body("status", equalTo("APPLIED"));

        assertThat(at("/budgets")).hasSize(1);
        Received plan = at("/budgets").get(0);
        JsonNode body = plan.json();
        // the fields receivers had before, unchanged
        assertThat(body.get("recommendationId").asLong()).isEqualTo(rec);
        assertThat(body.get("portfolio").asText()).isEqualTo(key);
        assertThat(body.get("effectiveOn").asText()).isEqualTo(java.time.LocalDate.now().toString());
        assertThat(body.get("appliedBy").asText()).isEqualTo("approver");
        // the new ones
        assertThat(body.get("currency").asText()).isEqualTo("EUR");
        assertThat(body.get("kind").asText()).isEqualTo("PLAN");
        assertThat(body.get("idempotencyKey").asText()).isEqualTo(Integer.toString(rec));
        assertThat(body.get("reason").asText()).isNotBlank();
        JsonNode good = find(body.get("changes"), "good");
        JsonNode poor = find(body.get("changes"), "poor");
        assertThat(good.get("before").decimalValue()).isEqualByComparingTo("1000");
        assertThat(good.get("after").decimalValue()).isEqualByComparingTo("1200");
        assertThat(good.get("name").asText()).isEqualTo("Good search");
        assertThat(good.get("target").get("connector").asText()).isEqualTo("google-ads");
        assertThat(good.get("target").get("account").asText()).isEqualTo("1234567890");
        assertThat(good.get("target").get("campaigns")).extracting(JsonNode::asText).containsExactly("111", "222");
        assertThat(good.get("reason").asText()).isNotBlank();
        assertThat(body.get("reason").asText()).contains(good.get("reason").asText());
        assertThat(poor.get("name").asText()).isEqualTo("poor");
        assertThat(poor.get("target").isNull()).isTrue();
        assertThat(poor.get("after").decimalValue()).isEqualByComparingTo("800");

        // headers: the idempotency key, a fresh timestamp, the timed signature and the older one
        assertThat(plan.headers().get("Idempotency-Key")).isEqualTo(Integer.toString(rec));
        long t = Long.parseLong(plan.headers().get("X-Spendshift-Timestamp"));
        assertThat(t).isBetween(before - 1, Instant.now().getEpochSecond());
        assertThat(plan.headers().get("X-Spendshift-Signature-V1"))
                .isEqualTo("t=" + t + ",v1=" + WebhookSignature.sign(SECRET, t, plan.body()));
        assertThat(plan.headers().get("X-Spendshift-Signature"))
                .isEqualTo("sha256=" + WebhookBudgetSink.hmac(SECRET, plan.body()));

        // the further sink (an ad platform's) got the same change set
        assertThat(RecordingPlatformSink.of(key)).hasSize(1).first()
                .satisfies(cs -> assertThat(cs.recommendationId()).isEqualTo((long) rec));

        // a revert says what it undoes
        int revert = as("approver").body(Map.of("comment", "undo")).post("/api/v1/recommendations/" + rec + "/revert")
                .then().statusCode(201).extract().path("id");
        as("approver").post("/api/v1/recommendations/" + revert + "/approve").then().statusCode(200);
        as("approver").post("/api/v1/recommendations/" + revert + "/apply").then().statusCode(200)
                .body("status", equalTo("APPLIED"));
        JsonNode undo = at("/budgets").get(1).json();
        assertThat(undo.get("kind").asText()).isEqualTo("REVERT");
        assertThat(undo.get("reason").asText()).isEqualTo("revert of #" + rec);
        assertThat(undo.get("revertOf").asLong()).isEqualTo(rec);
        assertThat(find(undo.get("changes"), "good").get("after").decimalValue()).isEqualByComparingTo("1000");

        // the proposal's notification to a WEBHOOK target is signed the same way
        dispatcher.dispatch();
        assertThat(at("/events")).isNotEmpty();
        Received event = at("/events").get(0);

        // the receiver of docs/cycle.md, as written, on these real requests
        long now = Instant.now().getEpochSecond();
        byte[] changed = new String(plan.body(), StandardCharsets.UTF_8).replace("1200", "9200")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(changed).isNotEqualTo(plan.body());
        List<Boolean> verdicts = readmeReceiver(List.of(
                check(SECRET, plan, plan.body(), now),
                check(SECRET, at("/budgets").get(1), at("/budgets").get(1).body(), now),
                check(SECRET, event, event.body(), now),
                check(SECRET, plan, changed, now),
                check("whsec-some-other-secret", plan, plan.body(), now),
                check(SECRET, plan, plan.body(), t + Duration.ofMinutes(6).toSeconds()),
                check(SECRET, plan, plan.body(), t + Duration.ofMinutes(4).toSeconds())));
        assertThat(verdicts).as("plan, revert, notification accepted; changed body, wrong secret, 6 minutes later"
                + " rejected; 4 minutes later still accepted").containsExactly(true, true, true, false, false, false, true);
        // the Java helper agrees
        assertThat(WebhookSignature.verify(SECRET, plan.headers().get("X-Spendshift-Signature-V1"), plan.body(),
                Instant.ofEpochSecond(now), WebhookSignature.REPLAY_WINDOW)).isTrue();
        assertThat(WebhookSignature.verify(SECRET, plan.headers().get("X-Spendshift-Signature-V1"), changed,
                Instant.ofEpochSecond(now), WebhookSignature.REPLAY_WINDOW)).isFalse();
    }

    @Test
    void aManualBudgetEditGoesToTheSinksThenTheLedgerAndTheAudit() {
        String key = portfolio(List.of());
        long before = Instant.now().getEpochSecond();
        as("admin").body(channel(1500, TARGET)).put("/api/v1/portfolios/" + key + "/channels/good").then()
                .statusCode(200).body("dailyBudget", Api.money("1500"));

        assertThat(at("/budgets")).hasSize(1);
        Received r = at("/budgets").get(0);
        JsonNode body = r.json();
        assertThat(body.get("kind").asText()).isEqualTo("MANUAL");
        assertThat(body.get("recommendationId").isNull()).isTrue();
        assertThat(body.get("reason").asText()).isEqualTo("manual edit by admin");
        assertThat(body.get("appliedBy").asText()).isEqualTo("admin");
        assertThat(body.get("currency").asText()).isEqualTo("EUR");
        assertThat(body.get("changes")).hasSize(1);
        JsonNode c = body.get("changes").get(0);
        assertThat(c.get("channel").asText()).isEqualTo("good");
        assertThat(c.get("before").decimalValue()).isEqualByComparingTo("1000");
        assertThat(c.get("after").decimalValue()).isEqualByComparingTo("1500");
        assertThat(c.get("target").get("campaigns")).hasSize(2);
        String idem = r.headers().get("Idempotency-Key");
        assertThat(idem).startsWith("manual-").isEqualTo(body.get("idempotencyKey").asText());
        long t = Long.parseLong(r.headers().get("X-Spendshift-Timestamp"));
        assertThat(t).isGreaterThanOrEqualTo(before - 1);
        assertThat(WebhookSignature.verify(SECRET, r.headers().get("X-Spendshift-Signature-V1"), r.body(),
                Instant.now(), WebhookSignature.REPLAY_WINDOW)).isTrue();
        assertThat(RecordingPlatformSink.of(key)).hasSize(1).first()
                .satisfies(cs -> assertThat(cs.kind()).isEqualTo(BudgetSink.Kind.MANUAL));

        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=BUDGET_CHANGED").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].actor", equalTo("admin"))
                .body("items[0].entityId", equalTo(key + "/good"))
                .body("items[0].details.manual", equalTo(true))
                .body("items[0].details.before", Api.money("1000"))
                .body("items[0].details.after", Api.money("1500"))
                .body("items[0].details.reason", equalTo("manual edit by admin"));
        assertThat(ledger(key)).containsExactly(List.of("good", "MANUAL", "1000.00", "1500.00", "admin"));

        // the same budget again is no change; a new channel's first budget is not one either
        as("admin").body(channel(1500, TARGET)).put("/api/v1/portfolios/" + key + "/channels/good").then()
                .statusCode(200);
        as("admin").body(channel(300, null)).put("/api/v1/portfolios/" + key + "/channels/fresh").then()
                .statusCode(201);
        assertThat(at("/budgets")).hasSize(1);
        assertThat(ledger(key)).hasSize(1);
    }

    @Test
    void aSinkThatRefusesOrIsDownLeavesTheEditUnstored() {
        String key = portfolio(List.of(Map.of("type", "WEBHOOK", "target", url("/events"),
                "events", List.of("APPLY_FAILED"))));
        status = 422;
        var refused = as("admin").body(channel(1500, null)).put("/api/v1/portfolios/" + key + "/channels/good").then()
                .statusCode(502).contentType("application/problem+json").extract().jsonPath();
        assertThat(refused.getString("detail")).contains("not stored").contains("HTTP 422");
        assertThat(at("/budgets")).hasSize(1);

        status = 503;
        var down = as("admin").body(channel(1500, null)).put("/api/v1/portfolios/" + key + "/channels/good").then()
                .statusCode(503).contentType("application/problem+json").extract().jsonPath();
        assertThat(down.getString("detail")).contains("not stored").contains("HTTP 503");
        assertThat(at("/budgets")).as("retried like a plan's delivery: 3 attempts").hasSize(4);
        // each retry is signed when it is sent, all under the same idempotency key
        assertThat(at("/budgets").subList(1, 4)).extracting(x -> x.headers().get("Idempotency-Key")).containsOnly(
                at("/budgets").get(1).headers().get("Idempotency-Key"));

        status = 200;
        RecordingPlatformSink.REFUSING.add(key);
        try {
            var platform = as("admin").body(channel(1500, null)).put("/api/v1/portfolios/" + key + "/channels/good")
                    .then().statusCode(502).extract().jsonPath();
            assertThat(platform.getString("detail")).contains("campaign paused");
        } finally {
            RecordingPlatformSink.REFUSING.remove(key);
        }

        as("viewer").get("/api/v1/portfolios/" + key + "/channels").then()
                .body("items.find { it.key == 'good' }.dailyBudget", Api.money("1000"))
                .body("items.find { it.key == 'good' }.name", equalTo("good"));
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=BUDGET_CHANGED").then().body("total", equalTo(0));
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=CHANNEL_UPSERTED").then()
                .body("total", equalTo(2)); // the two channels Cycles created, nothing since
        assertThat(ledger(key)).isEmpty();

        // a plan refused by the further sink fails like one refused by the webhook
        RecordingPlatformSink.REFUSING.add(key);
        try {
            int rec = recommendationOf(key);
            as("approver").post("/api/v1/recommendations/" + rec + "/approve").then().statusCode(200);
            as("approver").post("/api/v1/recommendations/" + rec + "/apply").then().statusCode(200)
                    .body("status", equalTo("FAILED"))
                    .body("failureReason", equalTo("the test platform refused the change: campaign paused"));
        } finally {
            RecordingPlatformSink.REFUSING.remove(key);
        }
        // the failed apply is notified (APPLY_FAILED); the refused manual edits are not (they changed nothing)
        dispatcher.dispatch();
        assertThat(at("/events")).extracting(r -> r.json().get("event").asText() + " " + r.json().get("summary").asText())
                .containsExactly("APPLY_FAILED Recommendation " + at("/events").get(0).json().get("entityId").asText()
                        + " for " + key + " could not be applied: the test platform refused the change: campaign paused");
        // bad input is refused before any sink is called
        int calls = at("/budgets").size();
        as("admin").body(channel(-5, null)).put("/api/v1/portfolios/" + key + "/channels/good").then()
                .statusCode(400);
        assertThat(at("/budgets")).hasSize(calls);
    }

    static int recommendationOf(String key) {
        return as("strategist").body(Map.of()).post("/api/v1/portfolios/" + key + "/runs").then().statusCode(201)
                .body("status", equalTo("SUCCEEDED")).extract().path("recommendationId");
    }

    /** The portfolio's ledger rows: channel, kind, before, after, by. */
    List<List<String>> ledger(String key) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "SELECT c.ckey, b.change_kind, b.budget_before, b.budget_after, b.changed_by FROM budget_change b"
                                + " JOIN channel c ON c.id = b.channel_id JOIN portfolio p ON p.id = c.portfolio_id"
                                + " WHERE p.pkey = ?1 ORDER BY b.id").setParameter(1, key).getResultList());
        List<List<String>> out = new ArrayList<>();
        for (Object[] r : rows) {
            out.add(List.of((String) r[0], (String) r[1], ((BigDecimal) r[2]).setScale(2).toPlainString(),
                    ((BigDecimal) r[3]).setScale(2).toPlainString(), (String) r[4]));
        }
        return out;
    }

    static JsonNode find(JsonNode changes, String channel) {
        for (JsonNode c : changes) {
            if (c.get("channel").asText().equals(channel)) {
                return c;
            }
        }
        throw new AssertionError("no change of " + channel + " in " + changes);
    }

    static Map<String, Object> check(String secret, Received r, byte[] body, long now) {
        return Map.of("secret", secret, "header", r.headers().get("X-Spendshift-Signature-V1"),
                "body", Base64.getEncoder().encodeToString(body), "now", now);
    }

    /**
     * Runs the receiver snippet of docs/cycle.md (the python block after the "receiver-snippet" marker) on each case:
     * {@code verify(secret, header, body, now)}.
     */
    static List<Boolean> readmeReceiver(List<Map<String, Object>> cases) throws Exception {
        String readme = Files.readString(Path.of("docs", "cycle.md"));
        int marker = readme.indexOf("<!-- receiver-snippet -->");
        assertThat(marker).as("README marks its receiver snippet").isNotNegative();
        int start = readme.indexOf("```python\n", marker) + "```python\n".length();
        String snippet = readme.substring(start, readme.indexOf("```", start));
        String harness = snippet + "\n\nimport base64 as _b64, json as _json, sys as _sys\n"
                + "for _c in _json.load(_sys.stdin):\n"
                + "    print(verify(_c['secret'], _c['header'], _b64.b64decode(_c['body']), _c['now']))\n";
        Path script = Files.createTempFile("receiver", ".py");
        Files.writeString(script, harness);
        Process p = new ProcessBuilder("python3", script.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write(JSON.writeValueAsBytes(cases));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Files.deleteIfExists(script);
        return out.lines().map(String::strip).map(Boolean::parseBoolean).toList();
    }
}
