package io.spendshift.rules;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.spendshift.Api;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class RulesResourceTest {

    private static final String PROBLEM = "application/problem+json";
    private static final Path DIR = Path.of("target/test-rules");

    private static final String GOOD_RULE = """
            package candidate;
            import io.spendshift.policy.ChannelFacts;
            import io.spendshift.policy.Hold;
            rule "Hold channels without spend"
            when
                ChannelFacts( spend == 0, $c : channel )
            then
                insert( new Hold( $c, "no spend" ) );
            end
            """;

    private static final String BROKEN_RULE = """
            package candidate;
            import io.spendshift.policy.ChannelFacts;

            rule "Broken"
            when
                ChannelFacts( roas > )
            then
            end
            """;

    static String activeVersion() {
        return as("viewer").get("/api/v1/rules").then().statusCode(200).extract().path("version");
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void theActiveRuleSetListsItsFilesRulesAndVersion() {
        as("viewer").get("/api/v1/rules").then().statusCode(200)
                .body("version", org.hamcrest.Matchers.matchesPattern("[0-9a-f]{64}"))
                .body("files.path", hasItem("guardrails.drl"))
                .body("files.find { it.path == 'guardrails.drl' }.rules", hasItem("Hold a locked channel"))
                .body("files.find { it.path == 'kind-thresholds.drl.csv' }.rules", hasItem("Thresholds for search"))
                .body("files[0].sha256", org.hamcrest.Matchers.matchesPattern("[0-9a-f]{64}"));
        as("viewer").get("/api/v1/rules/versions").then().statusCode(200)
                .body("total", greaterThanOrEqualTo(1))
                .body("items[0].loadedAt", notNullValue())
                .body("items.loadedBy", hasItem("startup"));
        String v = activeVersion();
        as("viewer").get("/api/v1/rules/versions/" + v).then().statusCode(200)
                .body("files.find { it.path == 'guardrails.drl' }.content", containsString("rule \"Hold a locked channel\""));
        as("viewer").get("/api/v1/rules/versions/nope").then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void validateAnswersTheRulesOfAGoodCandidate() {
        as("strategist").contentType("text/plain").body(GOOD_RULE).post("/api/v1/rules/validate")
                .then().statusCode(200).body("valid", equalTo(true))
                .body("rules", hasItem("Hold channels without spend"));
    }

    @Test
    void validateReportsFileLineAndColumnOfABrokenCandidate() {
        as("strategist").contentType("text/plain").body(BROKEN_RULE).post("/api/v1/rules/validate")
                .then().statusCode(422).contentType(PROBLEM)
                .body("valid", equalTo(false))
                .body("errors[0].file", equalTo("candidate.drl"))
                .body("errors[0].line", equalTo(6))
                .body("errors[0].column", notNullValue())
                .body("errors[0].message", notNullValue());
        RestAssured.given().auth().preemptive().basic("strategist", "strategist")
                .multiPart("files", "my-policy.drl", BROKEN_RULE.getBytes(), "text/plain")
                .multiPart("files", "ok.drl", GOOD_RULE.replace("package candidate", "package ok").getBytes(), "text/plain")
                .post("/api/v1/rules/validate")
                .then().statusCode(422).body("errors.file", hasItem("my-policy.drl"));
        RestAssured.given().auth().preemptive().basic("strategist", "strategist")
                .multiPart("files", "notes.txt", "hello".getBytes(), "text/plain")
                .post("/api/v1/rules/validate").then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void scenariosRunAgainstTheActiveRulesAndAgainstACandidate() throws Exception {
        long count;
        try (var s = Files.list(DIR.resolve("scenarios"))) {
            count = s.filter(p -> p.toString().endsWith(".yaml")).count();
        }
        as("strategist").post("/api/v1/rules/scenarios").then().statusCode(200)
                .body("failed", equalTo(0)).body("passed", equalTo((int) count))
                .body("results", hasSize((int) count))
                .body("ruleSetVersion", equalTo(activeVersion()));
        // a candidate without the guardrails fails the guardrail scenarios, and says so by name
        RestAssured.given().auth().preemptive().basic("strategist", "strategist")
                .multiPart("files", "only.drl", GOOD_RULE.getBytes(), "text/plain")
                .multiPart("files", "locked.yaml", Files.readAllBytes(DIR.resolve("scenarios/hold-locked.yaml")),
                        "application/yaml")
                .post("/api/v1/rules/scenarios").then().statusCode(200)
                .body("failed", equalTo(1))
                .body("results[0].scenario", equalTo("A locked channel keeps its budget even when it is the worst"))
                .body("results[0].message", containsString("expected a hold on brand"));
        RestAssured.given().auth().preemptive().basic("strategist", "strategist")
                .multiPart("files", "broken.drl", BROKEN_RULE.getBytes(), "text/plain")
                .post("/api/v1/rules/scenarios").then().statusCode(422).body("valid", equalTo(false));
    }

    @Test
    void aPostedScenarioWhoseChannelLacksItsDailyBudgetIsA400NamingTheField() throws Exception {
        String body = RestAssured.given().auth().preemptive().basic("strategist", "strategist")
                .multiPart("files", "fine.yaml", Files.readAllBytes(DIR.resolve("scenarios/hold-locked.yaml")),
                        "application/yaml")
                .multiPart("files", "no-budget.yaml", """
                        name: no budget
                        channels:
                          - {channel: search, kind: search, marginalRoas: 4.0}
                        """.getBytes(), "application/yaml")
                .post("/api/v1/rules/scenarios").then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", equalTo(java.util.List.of("channels[0].dailyBudget")))
                .body("errors[0].message", equalTo("no-budget.yaml: channels[0].dailyBudget is required (channel"
                        + " search): give it in the channel or in defaults"))
                .body("detail", containsString("channels[0].dailyBudget"))
                .extract().asString();
        assertThat(body).doesNotContain("NullPointer").doesNotContain("Exception").doesNotContain("java.");
    }

    @Test
    void rulesEndpointsCheckRoles() {
        as("viewer").post("/api/v1/rules/reload").then().statusCode(403);
        as("approver").contentType("text/plain").body(GOOD_RULE).post("/api/v1/rules/validate").then().statusCode(403);
        as("ingest").get("/api/v1/rules").then().statusCode(403);
        as("strategist").post("/api/v1/rules/reload").then().statusCode(200).body("version", equalTo(activeVersion()));
    }

    @Test
    void aBrokenFileInTheWatchedFolderKeepsTheActiveVersionAndFixingItReloads() throws Exception {
        String before = activeVersion();
        Path file = DIR.resolve("zz-watch-test.drl");
        try {
            Files.writeString(file, BROKEN_RULE);
            await("the broken file is reported", () -> {
                String f = as("viewer").get("/api/v1/rules").then().extract().path("lastRejected.errors[0].file");
                return "zz-watch-test.drl".equals(f);
            });
            as("viewer").get("/api/v1/rules").then()
                    .body("version", equalTo(before))
                    .body("lastRejected.errors[0].line", equalTo(6));
            RestAssured.given().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'Rule set' }.data.degraded", equalTo(true));
            as("viewer").get("/api/v1/audit?action=RULES_REJECTED&order=desc").then()
                    .body("items[0].actor", equalTo("file-watcher"));
            as("strategist").post("/api/v1/rules/reload").then().statusCode(422)
                    .body("errors[0].file", equalTo("zz-watch-test.drl"));

            // fixed, and harmless to the folder's scenarios (activation runs them: GOOD_RULE would hold their channels)
            Files.writeString(file, GOOD_RULE.replace("spend == 0", "channel == \"zz-watch-test\""));
            await("the fixed file is loaded", () -> !before.equals(activeVersion()));
            as("viewer").get("/api/v1/rules").then()
                    .body("lastRejected", org.hamcrest.Matchers.nullValue())
                    .body("files.path", hasItem("zz-watch-test.drl"))
                    .body("loadedBy", equalTo("file-watcher"));
            as("viewer").get("/api/v1/audit?action=RULES_LOADED&order=desc").then()
                    .body("items[0].ruleSetVersion", equalTo(activeVersion()));
        } finally {
            Files.deleteIfExists(file);
        }
        await("the original set is back", () -> before.equals(activeVersion()));
        assertThat(activeVersion()).isEqualTo(before);
    }

    @jakarta.inject.Inject
    RuleSetService ruleSets;

    @Test
    void startingOnABrokenFolderServesTheNewestGoodStoredVersion() throws Exception {
        String before = activeVersion();
        Path broken = Path.of("target/broken-rules");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("broken.drl"), BROKEN_RULE);
        try {
            ruleSets.start(broken);
            as("viewer").get("/api/v1/rules").then()
                    .body("source", equalTo("stored version"))
                    .body("files.path", hasItem("guardrails.drl"))
                    .body("lastRejected.errors[0].file", equalTo("broken.drl"));
            RestAssured.given().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'Rule set' }.data.degraded", equalTo(true));
        } finally {
            ruleSets.start(DIR);
        }
        assertThat(activeVersion()).isEqualTo(before);
    }

    @Test
    void performanceShowsTheFactsAndHoldsAsTheRulesSeeThem() {
        String asOf = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Paris")).toString();
        as("viewer").get("/api/v1/portfolios/demo/performance?asOf=" + asOf).then().statusCode(200)
                .body("asOf", equalTo(asOf))
                .body("window.to", equalTo(java.time.LocalDate.parse(asOf).minusDays(1).toString()))
                .body("window.from", equalTo(java.time.LocalDate.parse(asOf).minusDays(28).toString()))
                .body("channels", hasSize(6))
                .body("channels[0].daysOfData", equalTo(28))
                .body("channels[0].roas", notNullValue())
                .body("channels[0].marginalRoas", notNullValue())
                .body("channels.held", hasItem(false));
        // 95 days back there is no history: every channel is held for lack of data
        as("viewer").get("/api/v1/portfolios/demo/performance?asOf="
                        + java.time.LocalDate.parse(asOf).minusDays(95)).then().statusCode(200)
                .body("channels.held", org.hamcrest.Matchers.everyItem(equalTo(true)))
                .body("channels[0].roas", org.hamcrest.Matchers.nullValue())
                .body("channels[0].holdReasons", hasItem(containsString("days of data")));
        as("viewer").get("/api/v1/portfolios/demo/performance?asOf=soon").then().statusCode(400);
        as("viewer").get("/api/v1/portfolios/none-such/performance").then().statusCode(404);
        Api.as("ingest").get("/api/v1/portfolios/demo/performance").then().statusCode(403);
    }
}
