package io.spendshift.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import io.spendshift.audit.AuditAction;
import io.spendshift.audit.AuditService;
import io.spendshift.run.Cycles;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/**
 * Notifications end to end: targets on the portfolio, rows written from the audit trail, the dispatcher called
 * directly (no sleeping), receivers on 127.0.0.1 (allowed in tests by spendshift.outbound.allow) and the mock
 * mailbox.
 */
@QuarkusTest
class NotificationsTest {

    static final String SECRET = "0123456789abcdef-notify";
    /** The part of the Slack URL that is the credential: never in an answer or the audit. */
    static final String SLACK_PATH = "/slack/T0001/B0002/XXXXsecretXXXX";
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    NotificationDispatcher dispatcher;
    @Inject
    MockMailbox mailbox;
    @Inject
    AuditService audit;

    HttpServer server;
    record Received(String path, String body, Map<String, String> headers) {
    }
    final List<Received> received = new CopyOnWriteArrayList<>();
    final AtomicInteger calls = new AtomicInteger();
    volatile int failFirst;

    @BeforeEach
    void start() throws Exception {
        mailbox.clear();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            int n = calls.incrementAndGet();
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, String> h = new java.util.HashMap<>();
            for (String name : List.of("X-Spendshift-Signature", "X-Spendshift-Timestamp", "Idempotency-Key",
                    "Content-Type")) {
                h.put(name, String.valueOf(ex.getRequestHeaders().getFirst(name)));
            }
            received.add(new Received(ex.getRequestURI().getPath(), new String(body, StandardCharsets.UTF_8), h));
            ex.sendResponseHeaders(n <= failFirst ? 503 : 200, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    Map<String, Object> slack(String... events) {
        return Map.of("type", "SLACK", "target", base() + SLACK_PATH, "events", List.of(events));
    }

    Map<String, Object> webhook(String... events) {
        return Map.of("type", "WEBHOOK", "target", base() + "/hook", "events", List.of(events));
    }

    static String plainPortfolio(Object notify) {
        String key = Api.uniqueKey("ntf");
        Map<String, Object> body = new java.util.HashMap<>(Map.of("key", key, "name", "Notify " + key,
                "currency", "EUR", "webhook", Map.of("url", "http://127.0.0.1:9/budgets", "secret", SECRET)));
        body.put("notify", notify);
        Api.admin().body(body).post("/api/v1/portfolios").then().statusCode(201);
        return key;
    }

    List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    static List<Map<String, Object>> deliveries(String key) {
        return as("viewer").get("/api/v1/portfolios/" + key + "/notifications").then().statusCode(200)
                .extract().path("items");
    }

    void append(AuditAction action, String entityType, String entityId, String portfolio, Map<String, ?> details) {
        QuarkusTransaction.requiringNew().run(() -> audit.append(new AuditService.Event("tester", action, entityType,
                entityId, portfolio, null, details)));
    }

    @Test
    void aProposedRecommendationReachesSlackTheWebhookAndEmailOnce() throws Exception {
        String key = Cycles.portfolio("RECOMMEND", Map.of(
                "webhook", Map.of("url", base() + "/budgets", "secret", SECRET),
                "notify", List.of(slack("RECOMMENDATION_PROPOSED"), webhook("RECOMMENDATION_PROPOSED", "APPLY_FAILED"),
                        Map.of("type", "EMAIL", "target", "ops@example.com", "events", List.of("RECOMMENDATION_PROPOSED")),
                        Map.of("type", "EMAIL", "target", "apply@example.com", "events", List.of("APPLY_FAILED")))));
        String portfolio = as("viewer").get("/api/v1/portfolios/" + key).then().statusCode(200)
                .body("notify[0].type", equalTo("SLACK"))
                .body("notify[0].target", equalTo(base() + "/…"))
                .body("notify[0].targetSet", equalTo(true))
                .body("notify[1].target", equalTo(base() + "/hook"))
                .body("notify[2].events", hasItems("RECOMMENDATION_PROPOSED"))
                .extract().asString();
        assertThat(portfolio).doesNotContain(SLACK_PATH);

        int rec = as("strategist").body(Map.of()).post("/api/v1/portfolios/" + key + "/runs").then().statusCode(201)
                .body("status", equalTo("SUCCEEDED")).extract().path("recommendationId");
        assertThat(dispatcher.dispatch()).isEqualTo(3);

        List<Received> slack = at(SLACK_PATH);
        assertThat(slack).hasSize(1);
        JsonNode text = json(slack.get(0).body());
        assertThat(text.fieldNames()).toIterable().containsExactly("text");
        assertThat(text.get("text").asText()).contains("Recommendation " + rec).contains(key)
                .contains("http://localhost:8080/#/recommendations/" + rec);

        List<Received> hook = at("/hook");
        assertThat(hook).hasSize(1);
        Received h = hook.get(0);
        JsonNode body = json(h.body());
        assertThat(body.get("event").asText()).isEqualTo("RECOMMENDATION_PROPOSED");
        assertThat(body.get("portfolio").asText()).isEqualTo(key);
        assertThat(body.get("entityType").asText()).isEqualTo("recommendation");
        assertThat(body.get("entityId").asText()).isEqualTo(Integer.toString(rec));
        assertThat(body.get("summary").asText()).contains("waits for review");
        assertThat(body.get("details").get("moved").decimalValue()).isPositive();
        assertThat(Instant.parse(body.get("at").asText())).isBeforeOrEqualTo(Instant.now());
        String ts = h.headers().get("X-Spendshift-Timestamp");
        assertThat(Math.abs(Long.parseLong(ts) - Instant.now().getEpochSecond())).isLessThan(60);
        assertThat(h.headers().get("X-Spendshift-Signature")).isEqualTo("sha256="
                + NotificationDispatcher.sign(SECRET, ts, h.body().getBytes(StandardCharsets.UTF_8)));
        assertThat(h.headers().get("Content-Type")).startsWith("application/json");

        List<Mail> mails = mailbox.getMailsSentTo("ops@example.com");
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).getSubject()).contains("Recommendation proposed").contains(key);
        assertThat(mails.get(0).getText()).contains("Recommendation " + rec).contains("#/recommendations/" + rec);
        assertThat(mailbox.getMailsSentTo("apply@example.com")).as("not subscribed to this event").isEmpty();

        List<Map<String, Object>> ds = deliveries(key);
        assertThat(ds).hasSize(3).allSatisfy(d -> {
            assertThat(d.get("status")).isEqualTo("SENT");
            assertThat(d.get("attempts")).isEqualTo(1);
            assertThat(d.get("event")).isEqualTo("RECOMMENDATION_PROPOSED");
            assertThat(d.get("sentAt")).isNotNull();
        });
        assertThat(ds).extracting(d -> d.get("target")).containsExactlyInAnyOrder(base() + "/…", base() + "/hook",
                "ops@example.com");

        // nothing is sent twice
        assertThat(dispatcher.dispatchAt(Instant.now().plus(Duration.ofDays(2)))).isZero();
        assertThat(at(SLACK_PATH)).hasSize(1);
        assertThat(mailbox.getMailsSentTo("ops@example.com")).hasSize(1);

        String trail = as("viewer").get("/api/v1/audit?portfolio=" + key + "&size=500").then().statusCode(200)
                .extract().asString();
        assertThat(trail).doesNotContain(SLACK_PATH).doesNotContain(SECRET);
        String answers = as("viewer").get("/api/v1/portfolios/" + key + "/notifications").then().extract().asString();
        assertThat(answers).doesNotContain(SLACK_PATH).doesNotContain(SECRET);
    }

    @Test
    void aFailingReceiverIsRetriedWithBackoffThenSent() {
        String key = plainPortfolio(List.of(webhook("APPLY_FAILED")));
        failFirst = 2;
        as("admin").post("/api/v1/portfolios/" + key + "/notifications/test").then().statusCode(202)
                .body("queued", equalTo(1));
        assertThat(dispatcher.dispatch()).isZero();
        Map<String, Object> d = deliveries(key).get(0);
        assertThat(d.get("status")).isEqualTo("PENDING");
        assertThat(d.get("event")).isEqualTo("TEST");
        assertThat(d.get("attempts")).isEqualTo(1);
        assertThat(d.get("lastError")).isEqualTo("HTTP 503");
        assertThat(dispatcher.dispatch()).as("not due before its backoff").isZero();
        assertThat(calls.get()).isEqualTo(1);

        assertThat(dispatcher.dispatchAt(Instant.now().plus(Duration.ofHours(2)))).isZero();
        assertThat(dispatcher.dispatchAt(Instant.now().plus(Duration.ofHours(4)))).isEqualTo(1);
        d = deliveries(key).get(0);
        assertThat(d.get("status")).isEqualTo("SENT");
        assertThat(d.get("attempts")).isEqualTo(3);
        assertThat(d.get("lastError")).isNull();
        assertThat(at("/hook")).hasSize(3).extracting(r -> r.headers().get("Idempotency-Key")).containsOnly(
                at("/hook").get(0).headers().get("Idempotency-Key"));
        assertThat(json0(at("/hook").get(2).body()).get("event").asText()).isEqualTo("TEST");
    }

    static JsonNode json0(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aReceiverThatAnswers4xxFailsForGoodWithoutRetries() {
        String key = plainPortfolio(List.of(Map.of("type", "WEBHOOK", "target", base() + "/gone",
                "events", List.of("SOURCE_FAILED"))));
        server.removeContext("/");
        server.createContext("/", ex -> {
            calls.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(410, -1);
            ex.close();
        });
        append(AuditAction.SOURCE_PULL_FAILED, "portfolio", key, key, Map.of("source", "HTTP", "error", "timed out"));
        dispatcher.dispatch();
        Map<String, Object> d = deliveries(key).get(0);
        assertThat(d.get("event")).isEqualTo("SOURCE_FAILED");
        assertThat(d.get("status")).isEqualTo("FAILED");
        assertThat(d.get("lastError")).isEqualTo("HTTP 410");
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void theSameEventForTheSameEntityIsQueuedOnceAndUnsubscribedEventsNotAtAll() {
        String key = plainPortfolio(List.of(webhook("APPLY_FAILED", "RULES_REJECTED", "SOURCE_FAILED")));
        append(AuditAction.APPLY_FAILED, "recommendation", "990001", key, Map.of("reason", "HTTP 500"));
        append(AuditAction.APPLY_FAILED, "recommendation", "990001", key, Map.of("reason", "HTTP 500"));
        append(AuditAction.SOURCE_PULL_FAILED, "portfolio", key, key, Map.of("source", "HTTP", "error", "x"));
        append(AuditAction.SOURCE_PULL_FAILED, "portfolio", key, key, Map.of("source", "HTTP", "error", "y"));
        // not subscribed: a proposed recommendation, a held portfolio
        append(AuditAction.RECOMMENDATION_CREATED, "recommendation", "990002", key, Map.of("moved", 10));
        append(AuditAction.PORTFOLIO_HELD, "portfolio", key, key, Map.of("channels", 2));
        // rules are not portfolio-specific: every subscribed portfolio hears of them
        append(AuditAction.RULES_REJECTED, "ruleSet", "folder", null, Map.of("errors", List.of(Map.of("file",
                "x-" + key + ".drl", "message", "bad"))));

        List<Map<String, Object>> ds = deliveries(key);
        assertThat(ds).extracting(d -> d.get("event")).containsExactlyInAnyOrder("APPLY_FAILED", "SOURCE_FAILED",
                "RULES_REJECTED");
        dispatcher.dispatch();
        assertThat(at("/hook")).hasSize(3);
        assertThat(at("/hook")).extracting(r -> json0(r.body()).get("event").asText())
                .containsExactlyInAnyOrder("APPLY_FAILED", "SOURCE_FAILED", "RULES_REJECTED");
        append(AuditAction.APPLY_FAILED, "recommendation", "990001", key, Map.of("reason", "HTTP 500"));
        dispatcher.dispatch();
        assertThat(at("/hook")).as("a duplicate is not re-sent").hasSize(3);
    }

    /** A rule's Flag reaches people even when its plan was applied at once (no RECOMMENDATION_PROPOSED then). */
    @Test
    void aRulesFlagIsNotifiedOnItsOwn() throws Exception {
        String key = plainPortfolio(List.of(webhook("CHANNEL_FLAGGED", "RECOMMENDATION_PROPOSED")));
        append(AuditAction.RECOMMENDATION_CREATED, "recommendation", "991", key, Map.of("status", "APPLIED",
                "moved", 10, "flags", List.of(Map.of("channel", "brand", "severity", "critical",
                        "message", "CAC above LTV for 14 days"))));
        append(AuditAction.RECOMMENDATION_CREATED, "recommendation", "992", key, Map.of("status", "PROPOSED",
                "moved", 10));
        dispatcher.dispatch();
        List<JsonNode> bodies = new ArrayList<>();
        for (Received r : at("/hook")) {
            bodies.add(json(r.body()));
        }
        assertThat(bodies).extracting(b -> b.get("event").asText(), b -> b.get("entityId").asText())
                .containsExactlyInAnyOrder(tuple("CHANNEL_FLAGGED", "991"), tuple("RECOMMENDATION_PROPOSED", "992"));
        assertThat(bodies).filteredOn(b -> b.get("event").asText().equals("CHANNEL_FLAGGED")).singleElement()
                .satisfies(b -> assertThat(b.get("summary").asText()).contains("brand (critical): CAC above LTV for 14 days"));
    }

    @Test
    void digestTargetsGetTheDaysEventsInOneMessage() throws Exception {
        Map<String, Object> digest = new java.util.HashMap<>(webhook("DROP_REJECTED"));
        digest.put("digest", true);
        String key = plainPortfolio(List.of(digest, slack("DROP_REJECTED")));
        append(AuditAction.DROP_REJECTED, "dropFile", key + "/a.csv", key, Map.of("file", "a.csv", "errorCount", 1));
        append(AuditAction.DROP_REJECTED, "dropFile", key + "/b.csv", key, Map.of("file", "b.csv", "errorCount", 2));
        dispatcher.dispatch();
        assertThat(at("/hook")).as("a digest waits for its time").isEmpty();
        assertThat(at(SLACK_PATH)).as("the other target is sent one by one").hasSize(2);
        assertThat(deliveries(key)).filteredOn(d -> Boolean.TRUE.equals(d.get("digest")))
                .hasSize(2).allSatisfy(d -> assertThat(d.get("status")).isEqualTo("PENDING"));

        dispatcher.dispatchAt(Instant.now().plus(Duration.ofHours(25)));
        assertThat(at("/hook")).hasSize(1);
        JsonNode body = json(at("/hook").get(0).body());
        assertThat(body.get("event").asText()).isEqualTo("DIGEST");
        assertThat(body.get("details").get("events")).hasSize(2);
        assertThat(body.get("details").get("events").findValuesAsText("summary")).anySatisfy(s ->
                assertThat(s).contains("a.csv"));
        assertThat(deliveries(key)).allSatisfy(d -> assertThat(d.get("status")).isEqualTo("SENT"));
    }

    @Test
    void badTargetsAreRefusedFieldByFieldWithoutQuotingThem() {
        String body = as("admin").body(Map.of("key", Api.uniqueKey("ntf"), "name", "Bad", "currency", "EUR",
                "notify", List.of(
                        Map.of("type", "SMS", "target", "+331234", "events", List.of("APPLY_FAILED")),
                        Map.of("type", "SLACK", "target", "ftp://hooks.example/T0/secretpart", "events", List.of("APPLY_FAILED")),
                        Map.of("type", "EMAIL", "target", "not-an-address", "events", List.of("APPLY_FAILED")),
                        Map.of("type", "WEBHOOK", "target", "http://10.1.2.3/hook", "events", List.of("NOPE")),
                        Map.of("type", "SLACK", "target", "http://localhost/slack/secretpart", "events", List.of()))))
                .post("/api/v1/portfolios").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("notify[0].type", "notify[1].target", "notify[2].target",
                        "notify[3].target", "notify[3].events[0]", "notify[4].target", "notify[4].events"))
                .extract().asString();
        assertThat(body).doesNotContain("secretpart").doesNotContain("not-an-address");
    }

    @Test
    void aPatchReplacesTheListAndARedactedSlackTargetKeepsItsUrl() {
        String key = plainPortfolio(List.of(slack("SOURCE_FAILED")));
        List<Map<String, Object>> shown = as("viewer").get("/api/v1/portfolios/" + key).then().extract().path("notify");
        // the answer sent back as it is (redacted target), plus a second target: the Slack URL is kept
        List<Object> patch = new java.util.ArrayList<>();
        patch.add(Map.of("type", "SLACK", "target", shown.get(0).get("target"), "events", List.of("SOURCE_FAILED")));
        patch.add(Map.of("type", "EMAIL", "target", "team@example.com", "events", List.of("SOURCE_FAILED")));
        as("admin").body(Map.of("notify", patch)).patch("/api/v1/portfolios/" + key).then().statusCode(200)
                .body("notify.size()", equalTo(2)).body("notify[0].target", equalTo(base() + "/…"));
        append(AuditAction.SOURCE_PULL_FAILED, "portfolio", key, key, Map.of("source", "HTTP", "error", "x"));
        dispatcher.dispatch();
        assertThat(at(SLACK_PATH)).hasSize(1);
        assertThat(mailbox.getMailsSentTo("team@example.com")).hasSize(1);

        // a new Slack URL: the audit shows a fingerprint changed, never the URL
        as("admin").body(Map.of("notify", List.of(Map.of("type", "SLACK", "target", base() + "/slack/T9/B9/other",
                "events", List.of("SOURCE_FAILED"))))).patch("/api/v1/portfolios/" + key).then().statusCode(200)
                .body("notify.size()", equalTo(1));
        as("admin").body("{\"notify\": null}").patch("/api/v1/portfolios/" + key).then().statusCode(200)
                .body("notify.size()", equalTo(0));
        String trail = as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=PORTFOLIO_UPDATED").then()
                .statusCode(200).body("items.size()", equalTo(3)).extract().asString();
        assertThat(trail).doesNotContain(SLACK_PATH).doesNotContain("/slack/T9/B9/other")
                .contains("notifySlackUrlSecrets");
    }

    @Test
    void aRunThatHoldsEveryChannelAndARefusedDropFileAreAuditedAndNotified() throws Exception {
        String key = Api.portfolioWithChannels("held", "a", "b");
        as("admin").body(Map.of("notify", List.of(webhook("PORTFOLIO_HELD", "DROP_REJECTED"))))
                .patch("/api/v1/portfolios/" + key).then().statusCode(200);
        // no history: every channel is below minConversions and held
        as("strategist").body(Map.of()).post("/api/v1/portfolios/" + key + "/runs").then().statusCode(201)
                .body("status", equalTo("NO_CHANGE"));
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=PORTFOLIO_HELD").then().statusCode(200)
                .body("items.size()", equalTo(1)).body("items[0].details.channels", equalTo(2));

        Path dir = Path.of("target/test-drop", key);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("bad.csv"), "channel,date,spend\nnope,not-a-date,x\n");
        as("ingest").post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("dropFiles[0].ingested", equalTo(false));
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=DROP_REJECTED").then().statusCode(200)
                .body("items.size()", equalTo(1)).body("items[0].details.file", equalTo("bad.csv"));

        dispatcher.dispatch();
        assertThat(at("/hook")).extracting(r -> json0(r.body()).get("event").asText())
                .containsExactlyInAnyOrder("PORTFOLIO_HELD", "DROP_REJECTED");
    }

    @Test
    void onlyAdminsAskForATestAndViewersReadDeliveries() {
        String key = plainPortfolio(List.of(webhook("APPLY_FAILED")));
        as("viewer").post("/api/v1/portfolios/" + key + "/notifications/test").then().statusCode(403);
        as("viewer").get("/api/v1/portfolios/" + key + "/notifications?page=0&size=10").then().statusCode(200)
                .body("page", equalTo(0)).body("size", equalTo(10)).body("total", equalTo(0));
        as("viewer").get("/api/v1/portfolios/" + key + "/notifications?size=501").then().statusCode(400);
        as("viewer").get("/api/v1/portfolios/nope-" + key + "/notifications").then().statusCode(404);
        as("admin").post("/api/v1/portfolios/nope-" + key + "/notifications/test").then().statusCode(404);
    }
}
