package io.spendshift.rules;

import io.spendshift.rules.engine.CompiledRules;
import io.spendshift.rules.engine.RuleCompiler;
import io.spendshift.rules.engine.Scenario;
import io.spendshift.rules.engine.ScenarioRunner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Scenario failures say where (YAML line, column, field) and why (held, capped, no recipient). Plain JUnit. */
class ScenarioErrorsTest {

    static CompiledRules rules;

    @BeforeAll
    static void compile() throws Exception {
        rules = RuleCompiler.compile(RuleCompilerTest.defaultPack(), ScenarioErrorsTest.class.getClassLoader()).rules();
    }

    static Scenario.Result run(String yaml) {
        return ScenarioRunner.run(rules, new ScenarioRunner.ScenarioFile("t.yaml", yaml));
    }

    static final String BASE = """
            name: t
            policy: {maxShiftPct: 20}
            defaults: {kind: search, conversions: 200, daysOfData: 28, marginalRoasConfidence: 0.9}
            channels:
              - {channel: search, dailyBudget: 1000, marginalRoas: 4.0}
              - {channel: social, kind: social, dailyBudget: 1000, marginalRoas: 1.0}
            """;

    @Test
    void aYamlErrorKeepsItsLineColumnAndField() {
        Scenario.Result r = run(BASE + """
                expect:
                  shifts:
                    - {from: social, to: search, amout: 200}
                """);
        assertThat(r.passed()).isFalse();
        assertThat(r.message()).startsWith("cannot read the scenario: line 9, column ")
                .contains("field expect.shifts[0].amout").endsWith("is not a known field");
        Scenario.Result typed = run(BASE.replace("dailyBudget: 1000, marginalRoas: 4.0", "dailyBudget: lots, marginalRoas: 4.0"));
        assertThat(typed.message()).contains("field dailyBudget").contains("must be a number");
    }

    @Test
    void aShiftCappedByMaxShiftPctSaysSo() {
        Scenario.Result r = run(BASE + """
                expect:
                  shifts: [{from: social, to: search, amount: 300}]
                """);
        assertThat(r.passed()).isFalse();
        assertThat(r.message()).contains("got 200").contains("capped by maxShiftPct: at most 20% of social's 1000 = 200");
    }

    @Test
    void aHeldChannelSaysWhy() {
        Scenario.Result r = run(BASE.replace("dailyBudget: 1000, marginalRoas: 1.0", "dailyBudget: 1000, marginalRoas: 1.0, daysSinceLastChange: 1")
                + """
                expect:
                  shifts: [{from: social, to: search}]
                """);
        assertThat(r.passed()).isFalse();
        assertThat(r.message()).contains("social held: ").contains("cooldown");
    }

    @Test
    void noRecipientWithHeadroomSaysSo() {
        Scenario.Result r = run(BASE.replace("dailyBudget: 1000, marginalRoas: 4.0", "dailyBudget: 1000, maxDailyBudget: 1000, marginalRoas: 4.0")
                + """
                expect:
                  shifts: [{from: social, to: search}]
                """);
        assertThat(r.passed()).isFalse();
        assertThat(r.message()).contains("no headroom: search is at its maximum 1000");
    }

    @Test
    void aChannelWithoutItsDailyBudgetIsNamedByItsPathNotByAJavaException() {
        Scenario.Result r = run("""
                name: t
                defaults: {kind: search}
                channels:
                  - {channel: search, marginalRoas: 4.0}
                  - {channel: social, dailyBudget: null}
                  - {dailyBudget: 1000, spend: null}
                """);
        assertThat(r.passed()).isFalse();
        assertThat(r.message()).isEqualTo("cannot run the scenario: channels[0].dailyBudget is required (channel search):"
                + " give it in the channel or in defaults; channels[1].dailyBudget is required (channel social): give it"
                + " in the channel or in defaults; channels[2].channel is required: give it in the channel or in defaults;"
                + " channels[2].spend is null: leave it out for its default");
        assertThat(ScenarioRunner.missingFields(new ScenarioRunner.ScenarioFile("t.yaml", BASE)))
                .as("a budget in defaults counts").isEmpty();
        assertThat(ScenarioRunner.missingFields(new ScenarioRunner.ScenarioFile("t.yaml",
                "defaults: {dailyBudget: 500}\nchannels:\n  - {channel: a}\n  - ~\n")))
                .extracting(ScenarioRunner.MissingField::field).containsExactly("channels[1]");
        assertThat(ScenarioRunner.missingFields(new ScenarioRunner.ScenarioFile("t.yaml",
                "channels:\n  - {channel: a, dailyBuget: 10}\n"))).as("a typo is named by the run, not as a missing field")
                .isEmpty();
    }
}
