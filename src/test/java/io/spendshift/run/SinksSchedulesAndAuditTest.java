package io.spendshift.run;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.recommendation.sink.WebhookBudgetSink;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

@QuarkusTest
class SinksSchedulesAndAuditTest {

    static final String SECRET = "0123456789abcdef-secret";

    @Inject
    ScheduleService schedules;
    @Inject
    EntityManager em;

    HttpServer server;
    final AtomicInteger calls = new AtomicInteger();
    final List<Map<String, String>> received = new CopyOnWriteArrayList<>();
    volatile int failFirst;
    volatile int status = 200;
    /** When set, the webhook answers 307 to this location instead. */
    volatile String redirectTo;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/budgets", ex -> {
            int n = calls.incrementAndGet();
            byte[] body = ex.getRequestBody().readAllBytes();
            received.add(Map.of("signature", String.valueOf(ex.getRequestHeaders().getFirst("X-Spendshift-Signature")),
                    "key", String.valueOf(ex.getRequestHeaders().getFirst("Idempotency-Key")),
                    "expected", "sha256=" + WebhookBudgetSink.hmac(SECRET, body),
                    "body", new String(body, StandardCharsets.UTF_8)));
            if (redirectTo != null) {
                ex.getResponseHeaders().add("Location", redirectTo);
                ex.sendResponseHeaders(307, -1);
            } else {
                ex.sendResponseHeaders(n <= failFirst ? 503 : status, -1);
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    String webhookPortfolio() {
        return Cycles.portfolio("RECOMMEND", Map.of("webhook", Map.of("url",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/budgets", "secret", SECRET)));
    }

    static int approved(String key) {
        int rec = CycleTest.recommendationOf(key);
        as("approver").post("/api/v1/recommendations/" + rec + "/approve").then().statusCode(200);
        return rec;
    }

    @Test
    void theWebhookReceivesASignedIdempotentChangeSet() {
        String key = webhookPortfolio();
        as("viewer").get("/api/v1/portfolios/" + key).then().body("webhook.secretSet", equalTo(true))
                .body("webhook.secret", org.hamcrest.Matchers.nullValue());
        int rec = approved(key);
        as("approver").post("/api/v1/recommendations/" + rec + "/apply").then().statusCode(200)
                .body("status", equalTo("APPLIED"));
        assertThat(received).hasSize(1);
        Map<String, String> r = received.get(0);
        assertThat(r.get("signature")).isEqualTo(r.get("expected"));
        assertThat(r.get("key")).isEqualTo(Integer.toString(rec));
        assertThat(r.get("body")).contains("\"channel\":\"good\"").contains("\"portfolio\":\"" + key + "\"");
    }

    @Test
    void theWebhookIsRetriedUntilItAnswers() {
        String key = webhookPortfolio();
        failFirst = 2;
        int rec = approved(key);
        as("approver").post("/api/v1/recommendations/" + rec + "/apply").then().statusCode(200)
                .body("status", equalTo("APPLIED"));
        assertThat(calls.get()).isEqualTo(3);
        assertThat(received).extracting(m -> m.get("key")).containsOnly(Integer.toString(rec));
    }

    @Test
    void aWebhookWhoseLastAttemptsAllFailedIsNotCalledWhileItsCircuitIsOpen() {
        String key = webhookPortfolio();
        status = 500;
        int rec = approved(key);
        String reason = "";
        for (int apply = 0; apply < 10 && !reason.contains("circuit open"); apply++) {
            reason = as("approver").post("/api/v1/recommendations/" + rec + "/apply").then().statusCode(200)
                    .body("status", equalTo("FAILED")).extract().path("failureReason");
        }
        // spendshift.outbound.breaker-volume (20) failed attempts in a row open the circuit of this origin
        assertThat(reason).contains("circuit open");
        assertThat(calls.get()).isEqualTo(20);
        as("approver").post("/api/v1/recommendations/" + rec + "/apply").then().statusCode(200)
                .body("status", equalTo("FAILED")).body("failureReason", containsString("circuit open"));
        assertThat(calls.get()).as("an open circuit sends nothing").isEqualTo(20);
        as("viewer").get("/api/v1/portfolios/" + key + "/channels").then()
                .body("items", org.hamcrest.Matchers.not(org.hamcrest.Matchers.empty()))
                .body("items.dailyBudget", everyItem(io.spendshift.Api.money("1000")));
    }

    @Test
    void aWebhookThatKeepsFailingLeavesTheRecommendationFailedAndBudgetsUnchanged() {
        String key = webhookPortfolio();
        status = 500;
        int rec = approved(key);
        as("approver").post("/api/v1/recommendations/" + rec + "/apply").then().statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("failureReason", containsString("HTTP 500"));
        assertThat(calls.get()).isEqualTo(3);
        as("viewer").get("/api/v1/portfolios/" + key + "/channels").then()
                .body("items", org.hamcrest.Matchers.not(org.hamcrest.Matchers.empty()))
                .body("items.dailyBudget", everyItem(io.spendshift.Api.money("1000")))
                .body("items.lastChangedOn", everyItem(org.hamcrest.Matchers.nullValue()));
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=APPLY_FAILED").then().body("total", equalTo(1));
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=BUDGET_CHANGED").then().body("total", equalTo(0));

        status = 200; // the sink is back: retrying the apply succeeds
        as("approver").post("/api/v1/recommendations/" + rec + "/apply").then().statusCode(200)
                .body("status", equalTo("APPLIED")).body("failureReason", org.hamcrest.Matchers.nullValue());
        as("viewer").get("/api/v1/portfolios/" + key + "/channels").then()
                .body("items.find { it.key == 'good' }.dailyBudget", io.spendshift.Api.money("1200"));
    }

    @Test
    void aRefusingWebhookFailsAtOnce() {
        String key = webhookPortfolio();
        status = 422;
        int rec = approved(key);
        as("approver").post("/api/v1/recommendations/" + rec + "/apply").then().statusCode(200)
                .body("status", equalTo("FAILED")).body("failureReason", containsString("refused"));
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void aWebhookRedirectingToAnotherOriginFailsAndNothingIsSentThere() throws Exception {
        List<String> elsewhere = new CopyOnWriteArrayList<>();
        HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/", ex -> {
            elsewhere.add(ex.getRequestURI().getPath());
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        other.start();
        try {
            String key = webhookPortfolio();
            redirectTo = "http://127.0.0.1:" + other.getAddress().getPort() + "/budgets";
            int rec = approved(key);
            as("approver").post("/api/v1/recommendations/" + rec + "/apply").then().statusCode(200)
                    .body("status", equalTo("FAILED"))
                    .body("failureReason", equalTo("the budget webhook was refused: redirect to another origin"));
            assertThat(calls.get()).as("refused at once, not retried").isEqualTo(1);
            assertThat(elsewhere).as("the change set and its signature never reach the other origin").isEmpty();
            as("viewer").get("/api/v1/portfolios/" + key + "/channels").then()
                    .body("items", org.hamcrest.Matchers.not(org.hamcrest.Matchers.empty()))
                .body("items.dailyBudget", everyItem(io.spendshift.Api.money("1000")));
        } finally {
            other.stop(0);
        }
    }

    @Test
    void aScheduleRunsTheCycleAndFollowsEveryPatch() throws Exception {
        String key = Cycles.portfolio();
        io.spendshift.Api.admin().body(Map.of("schedule", "0/2 * * * * ?", "timeZone", "Europe/Paris"))
                .patch("/api/v1/portfolios/" + key).then().statusCode(200);
        assertThat(schedules.scheduled(key)).isEqualTo("0/2 * * * * ?");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int scheduled = 0;
        while (scheduled == 0 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            List<String> finished = as("viewer").get("/api/v1/portfolios/" + key + "/runs").then().extract()
                    .path("items.findAll { it.trigger == 'SCHEDULED' && it.status != 'RUNNING' }.status");
            scheduled = finished.size();
        }
        assertThat(scheduled).as("a finished scheduled run within 20 s").isPositive();
        // a scheduled run has no request context: it must still read its facts and finish normally
        as("viewer").get("/api/v1/portfolios/" + key + "/runs").then()
                .body("items.find { it.trigger == 'SCHEDULED' && it.status != 'RUNNING' }.status",
                        org.hamcrest.Matchers.oneOf("SUCCEEDED", "NO_CHANGE"))
                .body("items.find { it.trigger == 'SCHEDULED' }.startedBy", equalTo("scheduler"))
                .body("items.find { it.trigger == 'SCHEDULED' }.scheduledFor", org.hamcrest.Matchers.endsWith("Z"))
                .body("items.find { it.trigger == 'SCHEDULED' }.instance", org.hamcrest.Matchers.notNullValue());

        io.spendshift.Api.admin().body(Map.of("schedule", "0 0 6 * * ?")).patch("/api/v1/portfolios/" + key)
                .then().statusCode(200);
        assertThat(schedules.scheduled(key)).isEqualTo("0 0 6 * * ?");
        io.spendshift.Api.admin().contentType("application/merge-patch+json").body("{\"schedule\": null}")
                .patch("/api/v1/portfolios/" + key).then().statusCode(200);
        assertThat(schedules.scheduled(key)).isNull();
    }

    @Test
    void tamperingWithAnAuditRowIsFoundByVerify() {
        String key = Cycles.portfolio();
        long seq = as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=CHANNEL_UPSERTED").then()
                .extract().<Number>path("items[0].seq").longValue();
        String original = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "SELECT actor FROM audit_entry WHERE seq = ?1").setParameter(1, seq).getSingleResult());
        try {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "UPDATE audit_entry SET actor = 'mallory' WHERE seq = ?1").setParameter(1, seq).executeUpdate());
            as("viewer").get("/api/v1/audit/verify").then().statusCode(200)
                    .body("valid", equalTo(false))
                    .body("firstBrokenSeq", equalTo((int) seq));
        } finally {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "UPDATE audit_entry SET actor = ?1 WHERE seq = ?2").setParameter(1, original)
                    .setParameter(2, seq).executeUpdate());
        }
        as("viewer").get("/api/v1/audit/verify").then().body("valid", equalTo(true));
    }
}
