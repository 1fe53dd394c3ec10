package io.spendshift.rules;

import io.spendshift.rules.engine.CompiledRules;
import io.spendshift.rules.engine.RuleCompiler;
import io.spendshift.rules.engine.Scenario;
import io.spendshift.rules.engine.ScenarioRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every scenario under rules/scenarios/ against the default pack; a failure names the scenario and the difference. */
class ScenariosTest {

    static CompiledRules rules;
    static List<ScenarioRunner.ScenarioFile> files;

    @BeforeAll
    static void compile() throws Exception {
        RuleCompiler.Result r = RuleCompiler.compile(RuleCompiler.readFolder(Path.of("rules")),
                ScenariosTest.class.getClassLoader());
        assertThat(r.errors()).isEmpty();
        rules = r.rules();
        files = ScenarioRunner.readFolder(Path.of("rules/scenarios"));
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioPasses() {
        return files.stream().map(f -> DynamicTest.dynamicTest(f.name(), () -> {
            Scenario.Result r = ScenarioRunner.run(rules, f);
            assertThat(r.passed()).as("%s: %s", r.scenario(), r.message()).isTrue();
        }));
    }

    @Test
    void everyDefaultRuleIsExercisedByAScenario() {
        java.util.Set<String> fired = new java.util.HashSet<>();
        for (ScenarioRunner.ScenarioFile f : files) {
            String yaml = f.yaml();
            rules.ruleNames().stream().filter(yaml::contains).forEach(fired::add);
        }
        List<String> guardAndPolicy = rules.ruleNames().stream().filter(n -> !n.startsWith("Thresholds for")).toList();
        assertThat(fired).containsAll(guardAndPolicy);
        assertThat(files.size()).isGreaterThanOrEqualTo(guardAndPolicy.size());
    }

    @Test
    void aFailingScenarioSaysWhatDiffered() {
        Scenario.Result r = ScenarioRunner.run(rules, new ScenarioRunner.ScenarioFile("wrong.yaml", """
                name: Expects the wrong direction
                defaults: {kind: search, conversions: 200, daysOfData: 28, marginalRoasConfidence: 0.9}
                channels:
                  - {channel: a, dailyBudget: 1000, marginalRoas: 4.0}
                  - {channel: b, dailyBudget: 1000, marginalRoas: 1.0}
                expect:
                  shifts: [{from: a, to: b}]
                """));
        assertThat(r.passed()).isFalse();
        assertThat(r.scenario()).isEqualTo("Expects the wrong direction");
        assertThat(r.message()).contains("expected a shift a -> b").contains("b->a 200.00");
    }

    @Test
    void aScenarioWithATypoIsAFailureNotACrash() {
        Scenario.Result r = ScenarioRunner.run(rules, new ScenarioRunner.ScenarioFile("typo.yaml", """
                name: typo
                channels:
                  - {channel: a, dailyBuget: 10}
                """));
        assertThat(r.passed()).isFalse();
        assertThat(r.message()).contains("dailyBuget");
    }
}
