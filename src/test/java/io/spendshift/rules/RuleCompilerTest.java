package io.spendshift.rules;

import io.spendshift.rules.engine.CompileError;
import io.spendshift.rules.engine.RuleCompiler;
import io.spendshift.rules.engine.RuleFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The compiler on the real rules folder and on each kind of broken file. Plain JUnit, no Quarkus. */
class RuleCompilerTest {

    static final ClassLoader CL = RuleCompilerTest.class.getClassLoader();

    static List<RuleFile> defaultPack() throws Exception {
        return RuleCompiler.readFolder(Path.of("rules"));
    }

    @Test
    void theDefaultPackCompilesWithEveryRuleNamedPerFile() throws Exception {
        List<RuleFile> files = defaultPack();
        assertThat(files).extracting(RuleFile::path)
                .contains("guardrails.drl", "outcome-shift.drl", "efficiency-floor.drl", "kind-thresholds.drl.csv")
                .noneMatch(p -> p.startsWith("examples/") || p.startsWith("scenarios/"));
        RuleCompiler.Result r = RuleCompiler.compile(files, CL);
        assertThat(r.errors()).isEmpty();
        assertThat(r.rules().version()).hasSize(64).isEqualTo(RuleCompiler.version(files));
        assertThat(r.rules().files()).filteredOn(f -> f.path().equals("guardrails.drl")).singleElement()
                .satisfies(f -> assertThat(f.rules()).contains("Hold a locked channel",
                        "Hold a channel with too few conversions"));
        assertThat(r.rules().files()).filteredOn(f -> f.path().equals("kind-thresholds.drl.csv")).singleElement()
                .satisfies(f -> assertThat(f.rules()).contains("Thresholds for search", "Thresholds for email"));
    }

    @Test
    void theVersionChangesWithContentAndNotWithOrder() throws Exception {
        List<RuleFile> files = defaultPack();
        List<RuleFile> reversed = new ArrayList<>(files);
        java.util.Collections.reverse(reversed);
        assertThat(RuleCompiler.version(reversed)).isEqualTo(RuleCompiler.version(files));
        List<RuleFile> changed = new ArrayList<>(files);
        changed.add(RuleFile.of("extra.drl", "package x;\n"));
        assertThat(RuleCompiler.version(changed)).isNotEqualTo(RuleCompiler.version(files));
    }

    @Test
    void aSyntaxErrorIsReportedWithFileAndLine() {
        RuleCompiler.Result r = RuleCompiler.compile(List.of(RuleFile.of("broken.drl", """
                package p;
                import io.spendshift.policy.ChannelFacts;

                rule "Broken"
                when
                    ChannelFacts( roas > )
                then
                end
                """)), CL);
        assertThat(r.ok()).isFalse();
        assertThat(r.errors()).first().satisfies(e -> {
            assertThat(e.file()).isEqualTo("broken.drl");
            assertThat(e.line()).isEqualTo(6);
            assertThat(e.message()).isNotBlank();
        });
    }

    @Test
    void anUnknownFactTypeAndABadConsequenceAreErrors() {
        RuleCompiler.Result r = RuleCompiler.compile(List.of(RuleFile.of("types.drl", """
                package p;
                rule "Unknown type"
                when
                    NoSuchFact( x > 1 )
                then
                end
                """), RuleFile.of("java.drl", """
                package q;
                import io.spendshift.policy.ChannelFacts;
                rule "Bad consequence"
                when
                    $c : ChannelFacts()
                then
                    $c.noSuchMethod();
                end
                """)), CL);
        assertThat(r.ok()).isFalse();
        assertThat(r.errors()).extracting(CompileError::file).contains("types.drl", "java.drl");
        assertThat(r.errors()).filteredOn(e -> e.file().equals("types.drl")).first()
                .satisfies(e -> assertThat(e.line()).isEqualTo(4));
    }

    @Test
    void aBrokenDecisionTableNamesTheTable() {
        RuleCompiler.Result r = RuleCompiler.compile(List.of(RuleFile.of("t.drl.csv", """
                RuleSet,p
                Import,io.spendshift.policy.PortfolioFacts
                RuleTable Broken
                NAME,CONDITION,ACTION
                ,PortfolioFacts,
                ,asOf != null,insert(new NoSuchThing($param));
                Rule,c,a
                One,x,1
                """)), CL);
        assertThat(r.ok()).isFalse();
        assertThat(r.errors()).extracting(CompileError::file).containsOnly("t.drl.csv");
    }

    @Test
    void aConfigMapVolumeLayoutLoadsEachFileOnce(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // what Kubernetes mounts: files in a timestamped hidden folder, "..data" linking to it, links at the top
        Path stamp = java.nio.file.Files.createDirectories(dir.resolve("..2026_11_28_12_00_00.1"));
        java.nio.file.Files.writeString(stamp.resolve("a.drl"), "package a;\n");
        java.nio.file.Files.createSymbolicLink(dir.resolve("..data"), stamp.getFileName());
        java.nio.file.Files.createSymbolicLink(dir.resolve("a.drl"), Path.of("..data/a.drl"));
        assertThat(RuleCompiler.readFolder(dir)).extracting(RuleFile::path).containsExactly("a.drl");
    }

    @Test
    void anEmptyRuleSetIsRefused() {
        assertThat(RuleCompiler.compile(List.of(), CL).errors()).extracting(CompileError::message)
                .containsExactly("the rule set has no rule files");
    }

    @Test
    void errorsCarryFileLineAndColumn() {
        RuleCompiler.Result r = RuleCompiler.compile(List.of(RuleFile.of("a.drl", "package a;\nrule \"x\" when then end\nrule")), CL);
        assertThat(r.errors()).extracting(CompileError::file, e -> e.line() > 0).contains(tuple("a.drl", true));
    }

    @Test
    void aSecondCompileOfTheSameFilesComesFromTheCacheAndAChangedFileDoesNot() {
        // content of its own, so that no other test's compile of the same text can be cached already
        String unique = "// " + java.util.UUID.randomUUID() + "\n";
        List<RuleFile> files = List.of(RuleFile.of("a.drl", unique + """
                package a;
                import io.spendshift.policy.ChannelFacts;
                import io.spendshift.policy.Hold;
                rule "hold locked"
                when
                    ChannelFacts( locked, $c : channel )
                then
                    insert( new Hold( $c, "locked" ) );
                end
                """), RuleFile.of("b.drl", unique + "package b;\n"));
        long compiled = RuleCompiler.compilations();
        long hits = RuleCompiler.cacheHits();
        RuleCompiler.Result first = RuleCompiler.compile(files, CL);
        assertThat(first.ok()).isTrue();
        assertThat(RuleCompiler.compilations()).isGreaterThan(compiled);

        // the same names and contents in new objects: the same compiled set, no compilation
        List<RuleFile> again = files.stream().map(f -> new RuleFile(f.path(), f.content().clone())).toList();
        long before = RuleCompiler.compilations();
        RuleCompiler.Result second = RuleCompiler.compile(again, CL);
        assertThat(second.rules()).isSameAs(first.rules());
        assertThat(RuleCompiler.cacheHits()).isGreaterThan(hits);

        // one file changed: compiled anew, its own version
        List<RuleFile> changed = List.of(files.get(0), RuleFile.of("b.drl", unique + "package b;\n// changed\n"));
        RuleCompiler.Result third = RuleCompiler.compile(changed, CL);
        assertThat(third.rules()).isNotSameAs(first.rules());
        assertThat(third.rules().version()).isNotEqualTo(first.rules().version());
        assertThat(RuleCompiler.compilations()).isGreaterThan(before);

        // a renamed file with the same content is another set too
        List<RuleFile> renamed = List.of(files.get(0), RuleFile.of("c.drl", unique + "package b;\n"));
        assertThat(RuleCompiler.compile(renamed, CL).rules()).isNotSameAs(first.rules());
    }

    @Test
    void aRuleSetThatDoesNotCompileIsRefusedFromTheCacheToo() {
        List<RuleFile> broken = List.of(RuleFile.of("a.drl", "// " + java.util.UUID.randomUUID()
                + "\npackage a;\nrule \"x\" when then end\nrule"));
        RuleCompiler.Result first = RuleCompiler.compile(broken, CL);
        RuleCompiler.Result second = RuleCompiler.compile(broken, CL);
        assertThat(first.ok()).isFalse();
        assertThat(second.errors()).isEqualTo(first.errors());
    }
}
