package io.spendshift.outbound;

import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static io.spendshift.Api.admin;
import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * Source and webhook URLs are checked when a portfolio is created or patched: a destination that is not public
 * and not in {@code spendshift.outbound.allow} (only 127.0.0.1 in the test configuration) is a 400 problem
 * naming the field, and nothing changes.
 */
@QuarkusTest
class OutboundUrlsTest {

    static final String SECRET = "0123456789abcdef-secret";

    static Map<String, Object> field(String field, String url) {
        return field.equals("source.url") ? Map.of("source", Map.of("type", "HTTP", "url", url, "bearerToken", "t0ken"))
                : Map.of("webhook", Map.of("url", url, "secret", SECRET));
    }

    static final String REFUSED = """
            http://10.0.0.1/perf                               | private
            http://192.168.1.20:8080/perf                      | private
            http://172.20.0.1/perf                             | private
            http://169.254.169.254/latest/meta-data/           | cloud metadata
            http://[fd00:ec2::254]/latest/meta-data/           | cloud metadata
            http://metadata.google.internal/computeMetadata/v1 | cloud metadata
            http://[::ffff:169.254.169.254]/                   | cloud metadata
            http://[::1]:8080/q/metrics                        | loopback
            http://localhost:8080/q/metrics                    | loopback
            http://127.0.0.2:8080/q/metrics                    | loopback
            http://169.254.10.10/                              | link-local
            http://[fe80::1]/                                  | link-local
            http://0.0.0.0:8080/                               | unspecified
            http://100.64.0.1/                                 | carrier-grade NAT
            http://224.0.0.251/                                | multicast
            http://255.255.255.255/                            | broadcast
            """;

    @ParameterizedTest(name = "POST with source.url {0}")
    @CsvSource(delimiter = '|', textBlock = REFUSED)
    void creatingAPortfolioWithAForbiddenSourceIsRefused(String url, String kind) {
        String key = Api.uniqueKey("out");
        Map<String, Object> body = new java.util.HashMap<>(Map.of("key", key, "name", "n", "currency", "EUR"));
        body.putAll(field("source.url", url));
        admin().body(body).post("/api/v1/portfolios").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("source.url"))
                .body("errors[0].message", containsString(kind + " address"))
                .body("errors[0].message", containsString("spendshift.outbound.allow"));
        as("viewer").get("/api/v1/portfolios/" + key).then().statusCode(404);
    }

    @ParameterizedTest(name = "PATCH webhook.url {0}")
    @CsvSource(delimiter = '|', textBlock = REFUSED)
    void patchingAForbiddenWebhookIsRefusedAndChangesNothing(String url, String kind) {
        String key = Api.portfolioWithChannels("out", "search");
        long version = as("viewer").get("/api/v1/portfolios/" + key).then().extract().<Number>path("version").longValue();
        int audited = as("viewer").get("/api/v1/audit?portfolio=" + key).then().extract().path("total");
        admin().body(field("webhook.url", url)).patch("/api/v1/portfolios/" + key).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.contains("webhook.url"))
                .body("errors[0].message", containsString(kind + " address"));
        as("viewer").get("/api/v1/portfolios/" + key).then().statusCode(200)
                .body("webhook", nullValue()).body("version", equalTo((int) version));
        as("viewer").get("/api/v1/audit?portfolio=" + key).then().body("total", equalTo(audited));
    }

    @Test
    void aForbiddenSourceAndWebhookAreBothNamed() {
        String key = Api.portfolioWithChannels("out", "search");
        Map<String, Object> patch = new java.util.HashMap<>(field("source.url", "http://10.1.1.1/perf"));
        patch.putAll(field("webhook.url", "http://169.254.169.254/"));
        admin().body(patch).patch("/api/v1/portfolios/" + key).then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("source.url", "webhook.url"));
        as("viewer").get("/api/v1/portfolios/" + key).then().body("source", nullValue()).body("webhook", nullValue());
    }

    @Test
    void credentialsInAUrlAreRefused() {
        String key = Api.portfolioWithChannels("out", "search");
        admin().body(field("source.url", "https://user:pass@93.184.216.34/perf")).patch("/api/v1/portfolios/" + key)
                .then().statusCode(400).body("errors[0].field", equalTo("source.url"))
                .body("errors[0].message", containsString("credentials"));
    }

    @Test
    void publicAndAllowedDestinationsAreSaved() {
        String key = Api.portfolioWithChannels("out", "search");
        // saving never calls the URL: a public literal address is accepted as it is
        admin().body(field("source.url", "https://93.184.216.34/perf")).patch("/api/v1/portfolios/" + key).then()
                .statusCode(200).body("source.url", equalTo("https://93.184.216.34/perf"));
        admin().body(field("webhook.url", "http://127.0.0.1:9/budgets")).patch("/api/v1/portfolios/" + key).then()
                .statusCode(200).body("webhook.url", equalTo("http://127.0.0.1:9/budgets"));
        String json = as("viewer").get("/api/v1/portfolios/" + key).then().extract().asString();
        assertThat(json).doesNotContain("t0ken").doesNotContain(SECRET);
    }
}
