package io.spendshift.rules;

import io.spendshift.rules.engine.CompileError;
import io.spendshift.rules.engine.RuleCompiler;
import io.spendshift.rules.engine.RuleFile;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Compile errors point at their cause: root first, real columns, decision tables by row and column. Plain JUnit. */
class CompileErrorLocationTest {

    static final ClassLoader CL = CompileErrorLocationTest.class.getClassLoader();

    static final String SHARES_MISSING_PAREN = """
            package io.spendshift.rules.shares;
            import io.spendshift.policy.ChannelFacts;
            declare BrandShare
                channel : String
                pct : double
            end
            rule "Measure brand share"
            when
                ChannelFacts( channel str[startsWith] "brand", $c : channel
            then
                insert( new BrandShare( $c, 0.5 ) );
            end
            """;

    static final String USES_SHARES = """
            package io.spendshift.rules.shares;
            import io.spendshift.policy.ChannelFacts;
            import io.spendshift.policy.Hold;
            rule "Hold a big brand share"
            when
                BrandShare( pct > 0.3, $c : channel )
            then
                insert( new Hold( $c, "brand share" ) );
            end
            rule "Hold a small brand share"
            when
                $b : BrandShare( pct < 0.1 )
                ChannelFacts( channel == $b.channel )
            then
                insert( new Hold( $b.getChannel(), "small" ) );
            end
            """;

    @Test
    void oneMissingParenthesisIsOneErrorAtItsPlaceAndCorrectFilesAreNotBlamed() throws Exception {
        List<RuleFile> files = new ArrayList<>(RuleCompilerTest.defaultPack());
        files.add(RuleFile.of("shares.drl", SHARES_MISSING_PAREN));
        files.add(RuleFile.of("uses-shares.drl", USES_SHARES));
        RuleCompiler.Result r = RuleCompiler.compile(files, CL);
        String line9 = SHARES_MISSING_PAREN.split("\n")[8];
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("shares.drl");
            assertThat(e.line()).isEqualTo(9);
            assertThat(e.column()).isEqualTo(line9.length() + 1);
            assertThat(e.message()).startsWith("1 ')' missing at the end of this condition")
                    // how many cascades Drools produces depends on what the other files declare; that they are
                    // counted against the root, not listed against the correct file, is what matters
                    .containsPattern("\\d+ errors? in uses-shares.drl follow from it");
        });
    }

    @Test
    void aParserErrorHasItsRealColumn() {
        RuleCompiler.Result r = RuleCompiler.compile(List.of(RuleFile.of("broken.drl", """
                package p;
                import io.spendshift.policy.ChannelFacts;
                rule "Broken"
                when
                    ChannelFacts( roas > )
                then
                end
                """)), CL);
        assertThat(r.errors()).first().satisfies(e -> {
            assertThat(e.line()).isEqualTo(5);
            assertThat(e.column()).isGreaterThan(1);
        });
    }

    static List<RuleFile> withThresholds(String from, String to) throws Exception {
        List<RuleFile> files = new ArrayList<>(RuleCompilerTest.defaultPack());
        for (int i = 0; i < files.size(); i++) {
            RuleFile f = files.get(i);
            if (f.path().equals("kind-thresholds.drl.csv")) {
                String t = new String(f.content(), StandardCharsets.UTF_8);
                assertThat(t).contains(from);
                files.set(i, RuleFile.of(f.path(), t.replace(from, to)));
            }
        }
        return files;
    }

    @Test
    void aBadActionCellOfADecisionTableIsOneErrorByRowAndColumn() throws Exception {
        // refused by the policy checker (does not parse)
        RuleCompiler.Result r = RuleCompiler.compile(withThresholds("\"\"display\"\", 0.04, 15", "\"\"display\"\", 0.04 15"), CL);
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("kind-thresholds.drl.csv");
            assertThat(e.line()).isEqualTo(11);
            assertThat(e.column()).isEqualTo(4);
            assertThat(e.message()).startsWith("refused by the policy language").endsWith(" (at row 11, column D, ACTION)");
        });
        // parses, but Drools refuses it (no such constructor)
        r = RuleCompiler.compile(withThresholds("\"\"video\"\", 0.04, 15", "\"\"video\"\", \"\"x\"\", 15"), CL);
        assertThat(r.errors()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("kind-thresholds.drl.csv");
            assertThat(e.line()).isEqualTo(12);
            assertThat(e.column()).isEqualTo(4);
            assertThat(e.message()).endsWith(" (at row 12, column D, ACTION)").doesNotContainPattern("Line \\d+:");
        });
    }

    @Test
    void aBadConditionCellIsReportedInItsColumn() throws Exception {
        RuleCompiler.Result r = RuleCompiler.compile(withThresholds("Thresholds for email,200,0,", "Thresholds for email,200,0 0,"), CL);
        assertThat(r.errors()).extracting(CompileError::file, CompileError::line, CompileError::column)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("kind-thresholds.drl.csv", 15, 3));
    }
}
