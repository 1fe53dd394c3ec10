package io.spendshift.rules;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A folder change becomes active only when it compiles, passes the folder's scenarios and evaluates on every
 * portfolio's current facts; otherwise it is rejected like a compile error.
 */
@QuarkusTest
class RuleActivationTest {

    private static final Path DIR = Path.of("target/test-rules");

    /** Compiles and passes the checker (no modify), passes the scenarios (they are not portfolio "demo"), loops on demo. */
    static final String LOOPING_ON_DEMO = """
            package looping;
            import io.spendshift.policy.PortfolioFacts;
            import io.spendshift.policy.Hold;
            rule "Seed a hold on demo"
            when
                PortfolioFacts( portfolio == "demo" )
            then
                insert( new Hold( "seed", "seed" ) );
            end
            rule "Hold again and again"
            when
                PortfolioFacts( portfolio == "demo" )
                $h : Hold()
            then
                insert( new Hold( $h.getChannel() + "+", "again" ) );
            end
            """;

    /** Compiles, but holds every channel: the folder's scenarios that expect shifts fail. */
    static final String HOLD_EVERYTHING = """
            package holdall;
            import io.spendshift.policy.ChannelFacts;
            import io.spendshift.policy.Hold;
            rule "Hold every channel"
            when
                ChannelFacts( $c : channel )
            then
                insert( new Hold( $c, "everything held" ) );
            end
            """;

    static final String STARTS_WITH = """
            package strops;
            import io.spendshift.policy.ChannelFacts;
            import io.spendshift.policy.Hold;
            rule "Hold channels named zzz-something"
            when
                ChannelFacts( channel str[startsWith] "zzz-", $c : channel )
            then
                insert( new Hold( $c, "zzz" ) );
            end
            """;

    @Test
    void aRuleThatLoopsOnAPortfoliosFactsIsRejectedAndTheOldSetKeepsServing() throws Exception {
        String before = RulesResourceTest.activeVersion();
        // a portfolio whose team hears of rejected rules (RULES_REJECTED is about no portfolio: every subscriber)
        String listening = io.spendshift.Api.uniqueKey("rrj");
        io.spendshift.Api.admin().body(Map.of("key", listening, "name", "Listens", "currency", "EUR", "notify",
                List.of(Map.of("type", "EMAIL", "target", "rules@brand.example", "events", List.of("RULES_REJECTED")))))
                .post("/api/v1/portfolios").then().statusCode(201);
        Path file = DIR.resolve("zz-looping.drl");
        try {
            Files.writeString(file, LOOPING_ON_DEMO);
            var problem = as("strategist").post("/api/v1/rules/reload").then().statusCode(422)
                    .contentType("application/problem+json").extract().jsonPath();
            assertThat(problem.getString("title")).isEqualTo("Rules rejected");
            assertThat(problem.getString("stage")).isEqualTo("smoke");
            assertThat(problem.getBoolean("valid")).isFalse();
            List<Map<String, Object>> errors = problem.getList("errors");
            assertThat(errors).isNotEmpty().allSatisfy(e -> assertThat(e).containsKeys("file", "line", "column", "message"));
            assertThat(problem.getString("errors[0].message"))
                    .contains("smoke evaluation on portfolio 'demo' fails").contains("Hold again and again");
            assertThat(RulesResourceTest.activeVersion()).isEqualTo(before);
            as("viewer").get("/api/v1/rules").then().statusCode(200).extract().jsonPath();
            assertThat(as("viewer").get("/api/v1/rules").then().extract().<String>path("lastRejected.reason"))
                    .contains("smoke evaluation");
            var audit = as("viewer").get("/api/v1/audit?action=RULES_REJECTED&order=desc").then().statusCode(200)
                    .extract().jsonPath();
            assertThat(audit.getString("items[0].details.reason")).contains("smoke evaluation");
            assertThat(audit.getString("items[0].details.errors[0].message")).contains("portfolio 'demo'");
            assertThat(audit.getString("items[0].ruleSetVersion")).isEqualTo(before);
            as("viewer").get("/api/v1/portfolios/" + listening + "/notifications").then().statusCode(200)
                    .body("items.event", org.hamcrest.Matchers.hasItem("RULES_REJECTED"));
            assertThat(RestAssured.given().get("/q/health/ready").then().extract()
                    .<Boolean>path("checks.find { it.name == 'Rule set' }.data.degraded")).isTrue();
            // the old set keeps serving: a run still uses it
            var run = as("strategist").body(Map.of("dryRun", true)).post("/api/v1/portfolios/demo/runs")
                    .then().statusCode(201).extract().jsonPath();
            assertThat(run.getString("ruleSetVersion")).isEqualTo(before);
            assertThat(run.getString("status")).isNotEqualTo("FAILED");
        } finally {
            Files.deleteIfExists(file);
        }
        RulesResourceTest.await("the original set is back", () -> before.equals(RulesResourceTest.activeVersion()));
        as("strategist").post("/api/v1/rules/reload").then().statusCode(200);
        assertThat(as("viewer").get("/api/v1/rules").then().extract().<Object>path("lastRejected")).isNull();
    }

    @Test
    void aRuleThatBreaksTheFoldersScenariosIsRejectedNamingTheScenario() throws Exception {
        String before = RulesResourceTest.activeVersion();
        Path file = DIR.resolve("zz-hold-all.drl");
        try {
            Files.writeString(file, HOLD_EVERYTHING);
            var problem = as("strategist").post("/api/v1/rules/reload").then().statusCode(422)
                    .extract().jsonPath();
            assertThat(problem.getString("stage")).isEqualTo("scenarios");
            assertThat(problem.getList("errors.file", String.class)).allMatch(f -> f.startsWith("scenarios/"))
                    .contains("scenarios/outcome-shift.yaml");
            assertThat(problem.getList("errors.message", String.class))
                    .anyMatch(m -> m.startsWith("scenario '") && m.contains("everything held"));
            assertThat(RulesResourceTest.activeVersion()).isEqualTo(before);
        } finally {
            Files.deleteIfExists(file);
        }
        RulesResourceTest.await("the original set is back", () -> before.equals(RulesResourceTest.activeVersion()));
    }

    @Test
    void aStrStartsWithConstraintSurvivesManyRuns() throws Exception {
        String before = RulesResourceTest.activeVersion();
        Path file = DIR.resolve("zz-starts-with.drl");
        try {
            Files.writeString(file, STARTS_WITH);
            String version = as("strategist").post("/api/v1/rules/reload").then().statusCode(200)
                    .extract().path("version");
            assertThat(version).isNotEqualTo(before);
            // 6 channels a run: 15 runs evaluate the constraint 90 times, well past Drools' jitting threshold of 20
            for (int i = 0; i < 15; i++) {
                var run = as("strategist").body(Map.of("dryRun", true)).post("/api/v1/portfolios/demo/runs")
                        .then().statusCode(201).extract().jsonPath();
                assertThat(run.getString("status")).as("run %d: %s", i, run.getString("error")).isNotEqualTo("FAILED");
                assertThat(run.getString("ruleSetVersion")).isEqualTo(version);
            }
        } finally {
            Files.deleteIfExists(file);
        }
        RulesResourceTest.await("the original set is back", () -> before.equals(RulesResourceTest.activeVersion()));
    }
}
