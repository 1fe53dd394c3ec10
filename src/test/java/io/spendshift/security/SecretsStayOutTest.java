package io.spendshift.security;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.spendshift.Api;
import io.spendshift.LogCapture;
import io.spendshift.run.Cycles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A portfolio's credentials (webhook secret, source bearer token) go where they are needed (the source's
 * {@code Authorization} header, the webhook's signatures, for plans and manual budget edits alike) and nowhere else
 * (not even the webhook's own payload or headers): not in any answer, not in any log
 * line, not in the audit trail, which shows a fingerprint instead, so a change is still visible.
 */
@QuarkusTest
class SecretsStayOutTest {

    // unique per run, so that a match can only come from this test's own values
    static final String SECRET_1 = "whsec-one-" + UUID.randomUUID();
    static final String SECRET_2 = "whsec-two-" + UUID.randomUUID();
    static final String TOKEN_1 = "feedtok-one-" + UUID.randomUUID();
    static final String TOKEN_2 = "feedtok-two-" + UUID.randomUUID();
    static final List<String> CREDENTIALS = List.of(SECRET_1, SECRET_2, TOKEN_1, TOKEN_2);

    HttpServer server;
    volatile int webhookStatus = 200;
    volatile int feedStatus = 200;
    final List<String> feedAuthorizations = new CopyOnWriteArrayList<>();
    final List<Boolean> signedWithSecret2 = new CopyOnWriteArrayList<>();
    final List<Boolean> signedV1WithSecret2 = new CopyOnWriteArrayList<>();
    /** Every budget webhook request as received: headers and body. */
    final List<String> webhookRequests = new CopyOnWriteArrayList<>();
    final List<String> answers = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/budgets", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            signedWithSecret2.add(("sha256=" + hmac(SECRET_2, body))
                    .equals(ex.getRequestHeaders().getFirst("X-Spendshift-Signature")));
            signedV1WithSecret2.add(io.spendshift.outbound.WebhookSignature.verify(SECRET_2,
                    ex.getRequestHeaders().getFirst("X-Spendshift-Signature-V1"), body, java.time.Instant.now(),
                    io.spendshift.outbound.WebhookSignature.REPLAY_WINDOW));
            webhookRequests.add(ex.getRequestHeaders().entrySet() + "\n" + new String(body, StandardCharsets.UTF_8));
            ex.sendResponseHeaders(webhookStatus, -1);
            ex.close();
        });
        server.createContext("/feed", ex -> {
            feedAuthorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(feedStatus, feedStatus == 200 ? body.length : -1);
            if (feedStatus == 200) {
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keeps the answer's body for the final check and returns the response. */
    Response keep(Response r) {
        answers.add(r.getStatusCode() + " " + r.asString());
        return r;
    }

    @Test
    void credentialsAppearInNoAnswerLogLineOrAuditEntry() {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        String key;
        int rec;
        List<String> logLines;
        try (LogCapture log = LogCapture.root()) {
            // a portfolio with both credentials; its first pull sends the token
            key = Cycles.portfolio("RECOMMEND", Map.of(
                    "webhook", Map.of("url", base + "/budgets", "secret", SECRET_1),
                    "source", Map.of("type", "HTTP", "url", base + "/feed", "bearerToken", TOKEN_1)));
            keep(Api.admin().post("/api/v1/portfolios/" + key + "/source/pull")).then().statusCode(200)
                    .body("sourceError", org.hamcrest.Matchers.nullValue());
            assertThat(feedAuthorizations).containsExactly("Bearer " + TOKEN_1);

            // both credentials changed by a merge-patch
            keep(Api.admin().contentType("application/merge-patch+json").body(Map.of(
                    "webhook", Map.of("secret", SECRET_2), "source", Map.of("bearerToken", TOKEN_2)))
                    .patch("/api/v1/portfolios/" + key)).then().statusCode(200)
                    .body("webhook.secretSet", equalTo(true)).body("source.bearerTokenSet", equalTo(true));

            // a source that refuses the token: the failure is logged, audited and shown, the token is not
            feedStatus = 401;
            keep(Api.admin().post("/api/v1/portfolios/" + key + "/source/pull")).then().statusCode(200)
                    .body("sourceError", org.hamcrest.Matchers.containsString("HTTP 401"));
            assertThat(feedAuthorizations).last().isEqualTo("Bearer " + TOKEN_2);

            // requests that get credentials wrong: the error texts do not quote them back
            keep(Api.admin().contentType("application/merge-patch+json").body(Map.of("webhook", SECRET_1))
                    .patch("/api/v1/portfolios/" + key)).then().statusCode(400);
            keep(Api.admin().contentType("application/merge-patch+json")
                    .body("{\"source\": {\"bearerToken\": " + TOKEN_1 + "}}")
                    .patch("/api/v1/portfolios/" + key)).then().statusCode(400);
            keep(Api.admin().contentType("application/merge-patch+json").body(Map.of("source",
                            Map.of("bearerToken", TOKEN_1 + "x".repeat(4000))))
                    .patch("/api/v1/portfolios/" + key)).then().statusCode(400);
            keep(Api.admin().body("\"" + SECRET_1 + "\"").post("/api/v1/portfolios")).then().statusCode(400);
            keep(Api.admin().body(Map.of("key", key + "-x", "name", "n", "currency", "EUR",
                    "webhook", Map.of("url", base + "/budgets", "secret", List.of(SECRET_1))))
                    .post("/api/v1/portfolios")).then().statusCode(400);

            // a cycle whose webhook fails first, then works
            rec = keep(as("approver").body(Map.of()).post("/api/v1/portfolios/" + key + "/runs")).then()
                    .statusCode(201).extract().path("recommendationId");
            keep(as("approver").body(Map.of("comment", "ok")).post("/api/v1/recommendations/" + rec + "/approve"))
                    .then().statusCode(200);
            webhookStatus = 500;
            keep(as("approver").post("/api/v1/recommendations/" + rec + "/apply")).then().statusCode(200)
                    .body("status", equalTo("FAILED"));
            webhookStatus = 200;
            keep(as("approver").post("/api/v1/recommendations/" + rec + "/apply")).then().statusCode(200)
                    .body("status", equalTo("APPLIED"));
            assertThat(signedWithSecret2).isNotEmpty().containsOnly(true);

            // a manual budget edit through the same webhook: refused while it fails, delivered once it works
            webhookStatus = 500;
            keep(Api.admin().body(Map.of("name", "poor", "kind", "search", "dailyBudget", 1100, "minDailyBudget", 100,
                    "maxDailyBudget", 5000)).put("/api/v1/portfolios/" + key + "/channels/poor")).then().statusCode(503);
            webhookStatus = 200;
            keep(Api.admin().body(Map.of("name", "poor", "kind", "search", "dailyBudget", 1100, "minDailyBudget", 100,
                    "maxDailyBudget", 5000)).put("/api/v1/portfolios/" + key + "/channels/poor")).then().statusCode(200);
            assertThat(signedV1WithSecret2).hasSameSizeAs(signedWithSecret2).containsOnly(true);
            assertThat(webhookRequests).anyMatch(r -> r.contains("\"kind\":\"MANUAL\""));

            // every reading endpoint
            String runId = as("viewer").get("/api/v1/portfolios/" + key + "/runs").then().extract().path("items[0].id")
                    .toString();
            for (String path : List.of("/api/v1/portfolios", "/api/v1/portfolios/" + key,
                    "/api/v1/portfolios/" + key + "/channels", "/api/v1/portfolios/" + key + "/source",
                    "/api/v1/portfolios/" + key + "/metrics?size=500", "/api/v1/portfolios/" + key + "/performance",
                    "/api/v1/portfolios/" + key + "/runs", "/api/v1/runs/" + runId,
                    "/api/v1/recommendations?portfolio=" + key, "/api/v1/recommendations/" + rec,
                    "/api/v1/audit?portfolio=" + key + "&size=500", "/api/v1/audit?order=desc&size=500",
                    "/api/v1/audit/head", "/api/v1/audit/verify", "/api/v1/rules", "/api/v1/rules/versions",
                    "/api/v1/me")) {
                keep(as("admin").get(path)).then().statusCode(200);
            }
            keep(given().get("/q/metrics")).then().statusCode(200);
            logLines = log.lines();
        }

        // the capture saw the service's own lines about this scenario, so its silence about credentials counts
        assertThat(String.join("\n", logLines))
                .contains("Budget webhook for recommendation " + rec + " failed")
                .contains("Budget webhook for manual edit manual-")
                .contains("Source HTTP of portfolio " + key + " failed");
        for (String credential : CREDENTIALS) {
            assertThat(answers).as("answers").noneMatch(a -> a.contains(credential));
            assertThat(logLines).as("log lines").noneMatch(l -> l.contains(credential));
            assertThat(webhookRequests).as("what the webhook receives").noneMatch(r -> r.contains(credential));
        }

        // the audit shows fingerprints, and that both credentials changed
        var created = as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=PORTFOLIO_CREATED").then()
                .extract().jsonPath();
        var updated = as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=PORTFOLIO_UPDATED").then()
                .extract().jsonPath();
        String secretAtCreation = created.getString("items[0].details.credentials.webhookSecret");
        String tokenAtCreation = created.getString("items[0].details.credentials.sourceBearerToken");
        assertThat(List.of(secretAtCreation, tokenAtCreation)).allMatch(f -> f.matches("redacted:hmac-sha256:[0-9a-f]{8}"));
        assertThat(updated.getString("items[0].details.patch.webhook.secret"))
                .matches("redacted:hmac-sha256:[0-9a-f]{8}")
                .isEqualTo(updated.getString("items[0].details.credentials.webhookSecret.after"))
                .isNotEqualTo(secretAtCreation);
        assertThat(updated.getString("items[0].details.credentials.webhookSecret.before")).isEqualTo(secretAtCreation);
        assertThat(updated.getString("items[0].details.patch.source.bearerToken"))
                .matches("redacted:hmac-sha256:[0-9a-f]{8}")
                .isEqualTo(updated.getString("items[0].details.credentials.sourceBearerToken.after"))
                .isNotEqualTo(tokenAtCreation);
        assertThat(updated.getString("items[0].details.credentials.sourceBearerToken.before")).isEqualTo(tokenAtCreation);
        as("viewer").get("/api/v1/audit/verify").then().body("valid", equalTo(true));
    }
}
