package io.spendshift.rules.engine;

import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.PortfolioFacts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The policy language's boundary, without the service: every file of the hostile corpus is refused before it
 * compiles (with file, line and the construct), nothing it would do happens, and every policy the project
 * ships or documents still compiles and runs.
 */
public class PolicyCheckerTest {

    public static final Path HOSTILE = Path.of("src/test/resources/hostile-rules");
    public static final Path MARKERS = Path.of("target/hostile-markers");
    private static final ClassLoader CL = PolicyCheckerTest.class.getClassLoader();

    /** A file of the hostile corpus and the refusal it must get. */
    public record Hostile(RuleFile file, String refusal) {
        @Override
        public String toString() {
            return file.path();
        }
    }

    public static Stream<Hostile> hostileCorpus() throws IOException {
        List<Hostile> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(HOSTILE)) {
            for (Path p : s.filter(f -> RuleCompiler.isRuleFile(f.getFileName().toString())).sorted().toList()) {
                String text = Files.readString(p);
                Path expected = p.resolveSibling(p.getFileName() + ".expected");
                String refusal = Files.exists(expected) ? Files.readString(expected).trim()
                        : text.lines().findFirst().orElseThrow().replaceFirst("^// refused: ", "").trim();
                out.add(new Hostile(new RuleFile(p.getFileName().toString(), text.getBytes(StandardCharsets.UTF_8)),
                        refusal));
            }
        }
        return out.stream();
    }

    /** Removes marker files an earlier run left, so that any found afterwards were written now. */
    @BeforeAll
    public static void clean() throws IOException {
        Files.createDirectories(MARKERS);
        try (Stream<Path> s = Files.list(MARKERS)) {
            for (Path p : s.toList()) {
                Files.delete(p);
            }
        }
    }

    /** No hostile rule wrote its marker file. */
    @AfterAll
    public static void nothingHappened() throws IOException {
        try (Stream<Path> s = Files.list(MARKERS)) {
            assertThat(s.toList()).as("files written by hostile rules").isEmpty();
        }
    }

    @Test
    void theCorpusIsLargeEnoughToMeanSomething() throws IOException {
        assertThat(hostileCorpus().count()).isGreaterThanOrEqualTo(40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileCorpus")
    void everyHostileFileIsRefusedNamingTheConstruct(Hostile h) {
        RuleCompiler.Result r = RuleCompiler.compile(List.of(h.file()), CL);
        assertThat(r.ok()).as("compiled").isFalse();
        assertThat(r.errors()).as("errors").anySatisfy(e -> {
            assertThat(e.file()).isEqualTo(h.file().path());
            assertThat(e.message()).contains(h.refusal());
            if (!h.file().isDecisionTable()) {
                assertThat(e.line()).as("line of " + e.message()).isPositive();
            }
        });
    }

    @Test
    void aRefusalSaysWhereWithLineAndColumn() {
        RuleCompiler.Result r = RuleCompiler.compile(List.of(RuleFile.of("where.drl", """
                package p;
                import io.spendshift.policy.ChannelFacts;
                rule "r"
                when
                    $c : ChannelFacts()
                then
                    int a = 1;
                    Object o = $c.getClass();
                end
                """)), CL);
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(8);
            assertThat(e.column()).isEqualTo(16);
            assertThat(e.message()).isEqualTo("refused by the policy language: the method getClass(...) (rule \"r\")");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"rules", "rules/examples", "src/test/resources/allowed-rules"})
    void everyShippedAndDocumentedPolicyPassesTheChecker(String folder) throws IOException {
        List<RuleFile> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of(folder))) {
            for (Path p : s.filter(f -> RuleCompiler.isRuleFile(f.getFileName().toString())).sorted().toList()) {
                files.add(new RuleFile(p.getFileName().toString(), Files.readAllBytes(p)));
            }
        }
        assertThat(files).isNotEmpty();
        RuleCompiler.Result r = RuleCompiler.compile(files, CL);
        assertThat(r.errors()).isEmpty();
    }

    @Test
    void theStrategistLanguageCorpusRunsAndSpeaksThroughOutputFacts() throws IOException {
        RuleCompiler.Result r = RuleCompiler.compile(List.of(new RuleFile("strategist-language.drl",
                Files.readAllBytes(Path.of("src/test/resources/allowed-rules/strategist-language.drl")))), CL);
        assertThat(r.errors()).isEmpty();
        PortfolioFacts p = new PortfolioFacts();
        p.setMaxShiftPct(20);
        p.setAsOf(LocalDate.of(2026, 11, 28));
        p.setTotalBudget(new BigDecimal("1000.00"));
        ChannelFacts brand = channel("brand-search", "search", "800.00");
        ChannelFacts social = channel("social", "social", "200.00");
        Evaluation ev = PolicyEvaluator.evaluate(r.rules().kieBase(), p, List.of(brand, social));
        // the 28th is in the last week of November: every channel is held, and brand search is 80% of the total
        assertThat(ev.holds()).extracting(h -> h.channel()).contains("brand-search", "social");
        assertThat(ev.firedRules()).containsKey("No boosts in the last week of the month");

        // mid-month the brand rule speaks: brand search is 80% of the total, so it gives up a step of 10%
        p.setAsOf(LocalDate.of(2026, 11, 10));
        Evaluation mid = PolicyEvaluator.evaluate(r.rules().kieBase(), p, List.of(brand, social));
        assertThat(mid.trims()).singleElement().satisfies(t -> {
            assertThat(t.channel()).isEqualTo("brand-search");
            assertThat(t.amount()).isEqualByComparingTo("80.00");
            assertThat(t.reason()).isEqualTo("brand search is 80.0% of the total, more than 30%");
        });
        assertThat(brand.getDailyBudget()).as("inputs are untouched").isEqualByComparingTo("800.00");
    }

    @Test
    void theClassLoaderWallStandsEvenWithoutTheChecker() {
        // defence in depth: a construct the checker missed still cannot link to files, processes or reflection
        RuleCompiler.Result r = RuleCompiler.compile(List.of(RuleFile.of("wall.drl", """
                package wall;
                import io.spendshift.policy.ChannelFacts;
                rule "files"
                when
                    ChannelFacts()
                then
                    java.nio.file.Files.writeString(java.nio.file.Path.of("target/hostile-markers/wall"), "x");
                end
                """)), CL, false);
        assertThat(r.ok()).isFalse();
        assertThat(r.errors()).anySatisfy(e -> assertThat(e.message()).containsIgnoringCase("java.nio"));
        assertThat(PolicyClassLoader.allowed("java.lang.Runtime")).isFalse();
        assertThat(PolicyClassLoader.allowed("java.lang.reflect.Method")).isFalse();
        assertThat(PolicyClassLoader.allowed("java.io.File")).isFalse();
        assertThat(PolicyClassLoader.allowed("java.net.Socket")).isFalse();
        assertThat(PolicyClassLoader.allowed("io.spendshift.audit.AuditService")).isFalse();
        assertThat(PolicyClassLoader.allowed("java.math.BigDecimal")).isTrue();
        assertThat(PolicyClassLoader.allowed("io.spendshift.policy.ChannelFacts")).isTrue();
    }

    @Test
    void theEngineBehindTheWallIsOutOfReachEvenWithoutTheChecker() throws IOException {
        // MVEL evaluates any Java with the application's class loader: compiled without the checker, a rule that
        // calls it must still not link to it, and no marker file appears
        RuleCompiler.Result r = RuleCompiler.compile(List.of(RuleFile.of("mvel.drl", """
                package wall;
                import io.spendshift.policy.ChannelFacts;
                rule "mvel"
                when
                    ChannelFacts()
                then
                    org.mvel2.MVEL.eval("new java.io.File('target/hostile-markers/mvel-wall').mkdirs()");
                end
                """)), CL, false);
        if (r.ok()) {
            PortfolioFacts p = new PortfolioFacts();
            p.setAsOf(LocalDate.of(2026, 3, 1));
            assertThatThrownBy(() -> PolicyEvaluator.evaluate(r.rules().kieBase(), p,
                    List.of(channel("search", "search", "100.00")), false))
                    .hasStackTraceContaining("org/mvel2/MVEL");
        } else {
            assertThat(r.errors()).anySatisfy(e -> assertThat(e.message()).contains("org.mvel2"));
        }
        assertThat(Files.exists(MARKERS.resolve("mvel-wall"))).isFalse();
        for (String denied : List.of("org.mvel2.MVEL", "org.mvel2.ParserContext", "org.kie.api.KieServices",
                "org.kie.api.KieServices$Factory", "org.drools.mvel.MVELSafeHelper", "org.drools.util.ClassUtils",
                "org.drools.compiler.builder.impl.KnowledgeBuilderImpl", "org.kie.internal.utils.KieHelper",
                "org.drools.core.common.InternalWorkingMemory", "org.drools.core.impl.InternalRuleBase")) {
            assertThat(PolicyClassLoader.allowed(denied)).as(denied).isFalse();
        }
        for (String needed : List.of("org.drools.core.rule.consequence.KnowledgeHelper",
                "org.drools.base.rule.consequence.Consequence", "org.drools.core.base.accumulators.SumAccumulateFunction",
                "org.kie.api.definition.type.Role")) {
            assertThat(PolicyClassLoader.allowed(needed)).as(needed).isTrue();
        }
    }

    @Test
    void boundedNumbersEscapedBackslashesAndTwoPatternJoinsStayInTheLanguage() {
        RuleCompiler.Result r = RuleCompiler.compile(List.of(RuleFile.of("bounded.drl", """
                package bounded;
                import io.spendshift.policy.ChannelFacts;
                import io.spendshift.policy.PortfolioFacts;
                import io.spendshift.policy.Hold;
                import io.spendshift.policy.Flag;
                import java.math.BigDecimal;
                import java.math.RoundingMode;
                rule "the weaker of each pair, below the portfolio's share"
                when
                    PortfolioFacts( $total : totalBudget )
                    $a : ChannelFacts( $ch : channel, $b : dailyBudget )
                    $other : ChannelFacts( channel != $ch, roas > $a.roas )
                    not ChannelFacts( roas > $other.roas )
                    $same : ChannelFacts( channel == $ch )
                then
                    BigDecimal share = $b.divide($total, 4, RoundingMode.HALF_UP).movePointRight(2).setScale(1, RoundingMode.HALF_UP);
                    BigDecimal third = new BigDecimal("0.3333").multiply(BigDecimal.valueOf(125, 2));
                    insert( new Hold( $ch, "share " + share + " of " + third + " \\\\u2014 a backslash before u" ) );
                end

                rule "a channel and a sum over all of them"
                when
                    $a : ChannelFacts( $ch : channel )
                    $sum : Number() from accumulate( ChannelFacts( $s : spend ), sum( $s ) )
                then
                    insert( new Flag( $ch, "info", "total " + $sum, drools.getRule().getName() ) );
                end
                """)), CL);
        assertThat(r.errors()).isEmpty();
    }

    private static ChannelFacts channel(String key, String kind, String budget) {
        ChannelFacts c = new ChannelFacts(key, kind, new BigDecimal(budget));
        c.setMinDailyBudget(BigDecimal.ZERO);
        c.setMaxDailyBudget(new BigDecimal("10000"));
        c.setDaysOfData(28);
        c.setConversions(100);
        c.setRoas(2.0);
        return c;
    }
}
