package io.spendshift.rules;

import io.spendshift.rules.engine.CompiledRules;
import io.spendshift.rules.engine.RuleCompiler;
import io.spendshift.rules.engine.RuleFile;
import io.spendshift.rules.engine.Scenario;
import io.spendshift.rules.engine.ScenarioRunner;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every example pack under rules/examples/ (a folder with its rule files and scenarios/) compiled together with
 * the default pack, as a strategist would drop it into rules/, and every scenario of the pack passing against it.
 */
class ExamplePacksTest {

    static final Path EXAMPLES = Path.of("rules/examples");

    /** The pack's rule files added to the default pack's. */
    public static List<RuleFile> withDefaults(Path pack) throws IOException {
        List<RuleFile> files = new ArrayList<>(RuleCompiler.readFolder(Path.of("rules")));
        try (Stream<Path> s = Files.list(pack)) {
            for (Path p : s.filter(f -> RuleCompiler.isRuleFile(f.getFileName().toString())).sorted().toList()) {
                files.add(new RuleFile(p.getFileName().toString(), Files.readAllBytes(p)));
            }
        }
        return files;
    }

    static List<Path> packs() throws IOException {
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    @Test
    void thereAreTheThreePacksOfTheGuide() throws IOException {
        assertThat(packs()).extracting(p -> p.getFileName().toString())
                .contains("brand-share-cap", "cac-above-ltv", "month-end-no-boosts");
    }

    @TestFactory
    Stream<DynamicContainer> everyPackPassesItsScenarios() throws IOException {
        List<DynamicContainer> out = new ArrayList<>();
        for (Path pack : packs()) {
            RuleCompiler.Result r = RuleCompiler.compile(withDefaults(pack), getClass().getClassLoader());
            assertThat(r.errors()).as(pack.toString()).isEmpty();
            CompiledRules rules = r.rules();
            List<ScenarioRunner.ScenarioFile> files = ScenarioRunner.readFolder(pack.resolve("scenarios"));
            assertThat(files).as("%s has scenarios", pack).isNotEmpty();
            out.add(DynamicContainer.dynamicContainer(pack.getFileName().toString(), files.stream().map(f ->
                    DynamicTest.dynamicTest(f.name(), () -> {
                        Scenario.Result res = ScenarioRunner.run(rules, f);
                        assertThat(res.passed()).as("%s: %s", res.scenario(), res.message()).isTrue();
                    }))));
        }
        return out.stream();
    }

    @Test
    void scenarioResultsCarryTheAdjustmentsAndFlags() throws IOException {
        Path pack = EXAMPLES.resolve("cac-above-ltv");
        CompiledRules rules = RuleCompiler.compile(withDefaults(pack), getClass().getClassLoader()).rules();
        Scenario.Result r = ScenarioRunner.run(rules, ScenarioRunner.readFolder(pack.resolve("scenarios")).stream()
                .filter(f -> f.name().equals("cut-and-flag.yaml")).findFirst().orElseThrow());
        assertThat(r.passed()).as(r.message()).isTrue();
        assertThat(r.flags()).singleElement().satisfies(f -> {
            assertThat(f.channel()).isEqualTo("display");
            assertThat(f.rule()).isEqualTo("Flag a channel whose CAC has exceeded its LTV for 14 days");
        });
        // the target walks within maxShiftPct, and the default pack's trim on display gives way to it
        assertThat(r.adjustments()).anySatisfy(a -> assertThat(a.why()).contains("maxShiftPct"));
        assertThat(r.adjustments()).anySatisfy(a -> assertThat(a.why()).contains("has a target (SetBudget"));
        assertThat(r.message()).contains("adjustments").contains("1 flags");
    }

    @Test
    void aFailedExpectationOnBudgetsSaysWhyWithTheAdjustments() throws IOException {
        CompiledRules rules = RuleCompiler.compile(withDefaults(EXAMPLES.resolve("brand-share-cap")),
                getClass().getClassLoader()).rules();
        Scenario.Result r = ScenarioRunner.run(rules, new ScenarioRunner.ScenarioFile("x.yaml", """
                name: Expects the cap reached at once
                defaults: {kind: search, conversions: 200, daysOfData: 28, marginalRoasConfidence: 0.9, marginalRoas: 2.0}
                channels:
                  - {channel: brand-search, dailyBudget: 800, tags: [brand]}
                  - {channel: generic, dailyBudget: 200}
                expect:
                  budgets: [{channel: brand-search, amount: 300}]
                """));
        assertThat(r.passed()).isFalse();
        assertThat(r.message()).contains("expected brand-search's budget to be 300; got 760.00")
                .contains("tag:brand is 80% of the total, above its cap of 30%");
    }
}
