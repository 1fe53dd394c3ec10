package io.spendshift.rules;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.spendshift.rules.engine.CompiledRules;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rule set that compiles but throws an Error when evaluated (as Drools 10.2.0 did with jitted
 * {@code str[startsWith]}): a run ends FAILED with the error and releases the lock, reads answer a problem,
 * readiness shows it.
 */
@QuarkusTest
class RuleEvaluationFailureTest {

    @Inject
    RuleSetService ruleSets;

    RuleSetService.Active before;

    void activateFailingSet() throws Exception {
        awaitNoPendingReload();
        String version = "b".repeat(63) + Long.toHexString(System.nanoTime() % 16);
        CompiledRules boom = FailingRuleSets.throwingAtEvaluation(version);
        before = FailingRuleSets.swap(ruleSets, new RuleSetService.Active(boom, Instant.now(), "test", "folder"));
    }

    /**
     * Other tests write into the rules folder; the watcher reloads it after its debounce, which would replace the set
     * swapped in here. Waits (at most 15 s) until the active version has stayed the same for 2 s.
     */
    void awaitNoPendingReload() throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
        String version = ruleSets.active().rules().version();
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline
                && System.nanoTime() - stableSince < java.util.concurrent.TimeUnit.SECONDS.toNanos(2)) {
            Thread.sleep(100);
            String now = ruleSets.active().rules().version();
            if (!now.equals(version)) {
                version = now;
                stableSince = System.nanoTime();
            }
        }
    }

    @AfterEach
    void restore() throws Exception {
        if (before != null) {
            FailingRuleSets.swap(ruleSets, before);
            before = null;
        }
        FailingRuleSets.error = () -> new StackOverflowError("simulated stack overflow");
    }

    @Test
    void anErrorAtEvaluationEndsTheRunFailedAndReleasesTheLock() throws Exception {
        activateFailingSet();
        FailingRuleSets.error = () -> new StackOverflowError("simulated stack overflow");
        for (int i = 0; i < 2; i++) {
            // twice: the first run must have released the lock, or the second answers 409
            var run = as("strategist").body(Map.of("dryRun", true)).post("/api/v1/portfolios/demo/runs")
                    .then().statusCode(201).extract().jsonPath();
            assertThat(run.getString("status")).isEqualTo("FAILED");
            assertThat(run.getString("error")).contains("StackOverflowError").contains("simulated stack overflow");
            as("viewer").get("/api/v1/runs/" + run.getLong("id")).then().statusCode(200)
                    .body("status", org.hamcrest.Matchers.equalTo("FAILED"));
        }
        String audit = as("viewer").get("/api/v1/audit?action=RUN_FAILED&order=desc").then().statusCode(200)
                .extract().path("items[0].details.error");
        assertThat(audit).contains("StackOverflowError");
    }

    @Test
    void readsAnswerAProblemAndReadinessShowsTheFailingSet() throws Exception {
        activateFailingSet();
        FailingRuleSets.error = () -> new NoSuchMethodError("'void org.drools.mvel.EvaluatorHelper.initOperators()'");
        var problem = as("viewer").get("/api/v1/portfolios/demo/performance").then()
                .statusCode(503).contentType("application/problem+json").extract().jsonPath();
        assertThat(problem.getString("title")).isEqualTo("Rules fail at evaluation");
        assertThat(problem.getString("detail")).contains("NoSuchMethodError").contains("initOperators")
                .doesNotContain("at org.");
        var ready = RestAssured.given().get("/q/health/ready").then().extract().jsonPath();
        assertThat(ready.getBoolean("checks.find { it.name == 'Rule set' }.data.degraded")).isTrue();
        assertThat(ready.getInt("checks.find { it.name == 'Rule set' }.data.failingAtEvaluation")).isEqualTo(1);
        assertThat(ready.getString("checks.find { it.name == 'Rule set' }.data.evaluationError"))
                .startsWith("demo: ").contains("NoSuchMethodError");

        restore();
        as("viewer").get("/api/v1/portfolios/demo/performance").then().statusCode(200);
        var after = RestAssured.given().get("/q/health/ready").then().extract().jsonPath();
        assertThat(after.getString("checks.find { it.name == 'Rule set' }.data.failingAtEvaluation")).isNull();
    }
}
