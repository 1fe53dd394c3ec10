package io.spendshift.hardening;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import io.spendshift.rules.engine.PolicyCheckerTest;
import io.spendshift.rules.engine.PolicyCheckerTest.Hostile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/**
 * The hostile-rules corpus through every door that takes rule text: validate (text and multipart), scenarios
 * against a candidate, simulations, and the rules folder. Each file is a 422 that names the file and the
 * construct; nothing it would do happens (no marker file from the files that would write one), the service stays up with the same active rule set,
 * and each call is audited with its caller.
 */
@QuarkusTest
class HostileRulesTest {

    private static final Path FOLDER = Path.of("target/test-rules/zz-hostile");

    static Stream<Hostile> corpus() throws IOException {
        return PolicyCheckerTest.hostileCorpus();
    }

    @BeforeAll
    static void noMarkers() throws IOException {
        PolicyCheckerTest.clean();
    }

    @AfterAll
    static void nothingHappened() throws IOException {
        PolicyCheckerTest.nothingHappened();
    }

    private static void refused(ValidatableResponse r, Hostile h) {
        r.statusCode(422)
                .contentType("application/problem+json")
                .body("valid", equalTo(false))
                .body("errors.file", hasItem(h.file().path()))
                .body("errors.find { it.file == '" + h.file().path() + "' }.message",
                        startsWith("refused by the policy language"));
        assertRefusedFor(r.extract().jsonPath().getList("errors"), h.file().path(), h.refusal());
    }

    /** Among the answer's errors, one names this file and says what was refused. */
    private static void assertRefusedFor(List<Map<String, Object>> errors, String file, String refusal) {
        assertThat(errors).as("errors of " + file).anySatisfy(e -> {
            assertThat(e.get("file")).isEqualTo(file);
            assertThat((String) e.get("message")).startsWith("refused by the policy language").contains(refusal);
        });
    }

    @ParameterizedTest(name = "validate {0}")
    @MethodSource("corpus")
    void validateRefusesIt(Hostile h) {
        if (!h.file().isDecisionTable()) {
            refused(as("strategist").contentType("text/plain").body(new String(h.file().content(), StandardCharsets.UTF_8))
                    .post("/api/v1/rules/validate").then(), new Hostile(
                    io.spendshift.rules.engine.RuleFile.of("candidate.drl", ""), h.refusal()));
        }
        refused(as("strategist").contentType("multipart/form-data").multiPart("files", h.file().path(), h.file().content(), "text/plain")
                .post("/api/v1/rules/validate").then(), h);
    }

    @ParameterizedTest(name = "scenarios {0}")
    @MethodSource("corpus")
    void scenariosRefuseIt(Hostile h) {
        refused(as("strategist").contentType("multipart/form-data").multiPart("files", h.file().path(), h.file().content(), "text/plain")
                .post("/api/v1/rules/scenarios").then(), h);
    }

    @ParameterizedTest(name = "simulation {0}")
    @MethodSource("corpus")
    void simulationsRefuseIt(Hostile h) {
        Map<String, Object> body = Map.of("seed", 7, "days", 5, "rules", Map.of("files", List.of(Map.of(
                "path", h.file().path(), "content", new String(h.file().content(), StandardCharsets.UTF_8)))));
        refused(as("strategist").contentType("application/json").body(body).post("/api/v1/simulations").then(), h);
    }

    @Test
    void theFolderRefusesTheWholeCorpusAndKeepsServing() throws IOException {
        String before = as("viewer").get("/api/v1/rules").then().extract().path("version");
        List<Hostile> corpus = corpus().toList();
        Files.createDirectories(FOLDER);
        try {
            for (Hostile h : corpus) {
                Files.write(FOLDER.resolve(h.file().path()), h.file().content());
            }
            ValidatableResponse r = as("strategist").post("/api/v1/rules/reload").then().statusCode(422);
            List<Map<String, Object>> errors = r.extract().jsonPath().getList("errors");
            for (Hostile h : corpus) {
                assertRefusedFor(errors, "zz-hostile/" + h.file().path(), h.refusal());
            }
        } finally {
            try (Stream<Path> s = Files.list(FOLDER)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(FOLDER);
        }
        as("viewer").get("/api/v1/rules").then().body("version", equalTo(before));
        RestAssured.given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void aScenarioOfMoreChannelsThanTheLimitIsRefusedNamingItAndTheServiceKeepsAnswering() {
        StringBuilder yaml = new StringBuilder("name: too wide\nchannels:\n");
        for (int i = 0; i < 501; i++) {
            yaml.append("  - {channel: c").append(i).append(", kind: search, dailyBudget: 10}\n");
        }
        as("strategist").contentType("multipart/form-data")
                .multiPart("files", "wide.yaml", yaml.toString().getBytes(StandardCharsets.UTF_8), "text/plain")
                .post("/api/v1/rules/scenarios").then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("has 501 channels; a scenario has at most 500"));
        as("viewer").get("/api/v1/audit?action=SCENARIOS_RUN&order=desc").then()
                .body("items[0].details.outcome", equalTo("stopped: channels limit"));
        RestAssured.given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void everyValidateScenarioAndSimulationCallIsAuditedWithItsCaller() {
        String drl = """
                package audited;
                import io.spendshift.policy.ChannelFacts;
                import io.spendshift.policy.Hold;
                rule "Hold channels without spend"
                when
                    ChannelFacts( spend == 0, $c : channel )
                then
                    insert( new Hold( $c, "no spend" ) );
                end
                """;
        as("strategist").contentType("text/plain").body(drl).post("/api/v1/rules/validate").then().statusCode(200);
        as("viewer").get("/api/v1/audit?action=RULES_VALIDATED&order=desc").then()
                .body("items[0].actor", equalTo("strategist"))
                .body("items[0].details.outcome", equalTo("valid"))
                .body("items[0].details.files[0].path", equalTo("candidate.drl"))
                .body("items[0].details.files[0].sha256", equalTo(
                        io.spendshift.rules.engine.RuleFile.of("candidate.drl", drl).sha256()));
        as("strategist").contentType("text/plain").body("package x;\nfunction void f() { }\n")
                .post("/api/v1/rules/validate").then().statusCode(422);
        as("viewer").get("/api/v1/audit?action=RULES_VALIDATED&order=desc").then()
                .body("items[0].actor", equalTo("strategist"))
                .body("items[0].details.files[0].path", equalTo("candidate.drl"))
                .body("items[0].details.outcome", equalTo("refused"))
                .body("items[0].details.status", equalTo(422));
        as("strategist").post("/api/v1/rules/scenarios").then().statusCode(200);
        as("viewer").get("/api/v1/audit?action=SCENARIOS_RUN&order=desc").then()
                .body("items[0].actor", equalTo("strategist"))
                .body("items[0].details.ruleSet", equalTo("active"))
                .body("items[0].details.outcome", equalTo("passed"));
        as("strategist").contentType("application/json").body(Map.of("seed", 3, "days", 3))
                .post("/api/v1/simulations").then().statusCode(200);
        as("viewer").get("/api/v1/audit?action=SIMULATION_RUN&order=desc").then()
                .body("items[0].actor", equalTo("strategist"))
                .body("items[0].details.outcome", equalTo("simulated"));
        as("viewer").get("/api/v1/audit/verify").then().body("valid", equalTo(true));
    }
}
