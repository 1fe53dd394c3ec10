package io.spendshift.rules;

import io.spendshift.audit.AuditAction;
import io.spendshift.common.ProblemException;
import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.PortfolioFacts;
import io.spendshift.rules.engine.CompiledRules;
import io.spendshift.rules.engine.Evaluation;
import io.spendshift.rules.engine.EvaluationWatchdog;
import io.spendshift.rules.engine.PolicyEvaluator;
import io.spendshift.rules.engine.RuleCompiler;
import io.spendshift.rules.engine.RuleFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rules the policy checker accepts but that are made expensive on purpose (allowed arithmetic chained without
 * end) are stopped at the evaluation's limits, and really stopped: the 422 comes once the work has ended, its
 * thread is gone, and its concurrency permit is back.
 */
class EvaluationLimitsTest {

    private static final long BUDGET = EvaluationWatchdog.allocationBudget();

    @AfterEach
    void restoreBudget() {
        EvaluationWatchdog.allocationBudget(BUDGET);
    }

    /** Squares a number again and again: 9 digits, then 18, 36, ... each multiplication slower than the last. */
    private static final String SQUARING = """
            package limits;
            import io.spendshift.policy.ChannelFacts;
            import io.spendshift.policy.Hold;
            import java.math.BigDecimal;
            rule "square and square again"
            when
                ChannelFacts( $ch : channel )
            then
                BigDecimal x = BigDecimal.valueOf(123456789);
            """ + "    x = x.multiply(x);\n".repeat(40) + """
                insert( new Hold( $ch, x.toString() ) );
            end
            """;

    /** Doubles a text 34 times in one firing: 16 characters become 256 billion. */
    private static final String DOUBLING = """
            package limits;
            import io.spendshift.policy.ChannelFacts;
            import io.spendshift.policy.Hold;
            rule "double a text"
            when
                ChannelFacts( $ch : channel )
            then
                String s = "xxxxxxxxxxxxxxxx";
            """ + "    s = s + s;\n".repeat(34) + """
                insert( new Hold( $ch, s ) );
            end
            """;

    private static CompiledRules compile(String drl) {
        RuleCompiler.Result r = RuleCompiler.compile(List.of(RuleFile.of("limits.drl", drl)),
                EvaluationLimitsTest.class.getClassLoader());
        assertThat(r.errors()).as("the policy checker accepts it").isEmpty();
        return r.rules();
    }

    private static PortfolioFacts portfolio() {
        PortfolioFacts p = new PortfolioFacts();
        p.setAsOf(LocalDate.of(2026, 3, 1));
        p.setPortfolio("limits");
        p.setMaxShiftPct(20);
        p.setTotalBudget(new BigDecimal("100.00"));
        return p;
    }

    private static List<ChannelFacts> oneChannel() {
        List<ChannelFacts> out = new ArrayList<>();
        out.add(new ChannelFacts("search", "search", new BigDecimal("100.00")));
        return out;
    }

    @Test
    void aRuleStuckInOneFiringIsStoppedAtTheTimeLimitAndItsCpuStopsBeforeTheAnswer() {
        CompiledRules rules = compile(SQUARING);
        EvaluationWatchdog.allocationBudget(64L * 1024 * 1024 * 1024); // the time limit is under test here
        CandidateGuard guard = new CandidateGuard(Duration.ofMillis(500), 2, null);
        AtomicReference<Thread> worker = new AtomicReference<>();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> guard.evaluate(AuditAction.RULES_VALIDATED, "strategist",
                CandidateGuard.Subject.active(rules.version()), () -> {
                    worker.set(Thread.currentThread());
                    return PolicyEvaluator.evaluate(rules.kieBase(), portfolio(), oneChannel(), false);
                }, v -> Map.of())).isInstanceOfSatisfying(ProblemException.class, p -> {
                    assertThat(p.status()).isEqualTo(422);
                    assertThat(p.getMessage()).contains("did not finish within 500 ms");
                });
        long answeredAfter = (System.nanoTime() - t0) / 1_000_000;
        Thread t = worker.get();
        assertThat(t.isAlive()).as("the evaluation's thread, when the 422 was answered").isFalse();
        assertThat(guard.running()).isZero();
        assertThat(answeredAfter).as("ms until the 422 (limit 500 ms, then at most the grace to stop it)")
                .isLessThan(500 + 3_000);
        // the same guard evaluates a good rule set at once afterwards
        CompiledRules good = compile("""
                package limits;
                import io.spendshift.policy.ChannelFacts;
                import io.spendshift.policy.Hold;
                rule "hold everything"
                when
                    ChannelFacts( $ch : channel )
                then
                    insert( new Hold( $ch, "held" ) );
                end
                """);
        Evaluation ev = guard.evaluate(AuditAction.RULES_VALIDATED, "strategist",
                CandidateGuard.Subject.active(good.version()),
                () -> PolicyEvaluator.evaluate(good.kieBase(), portfolio(), oneChannel(), false), v -> Map.of());
        assertThat(ev.holds()).singleElement().satisfies(h -> assertThat(h.channel()).isEqualTo("search"));
    }

    @Test
    void aRuleThatGrowsMemoryIsStoppedAtTheMemoryBudgetNamingIt() {
        CompiledRules rules = compile(DOUBLING);
        EvaluationWatchdog.allocationBudget(64L * 1024 * 1024);
        CandidateGuard guard = new CandidateGuard(Duration.ofSeconds(30), 2, null);
        long heapBefore = usedHeap();
        AtomicReference<Thread> worker = new AtomicReference<>();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> guard.evaluate(AuditAction.SIMULATION_RUN, "strategist",
                CandidateGuard.Subject.active(rules.version()), () -> {
                    worker.set(Thread.currentThread());
                    return PolicyEvaluator.evaluate(rules.kieBase(), portfolio(), oneChannel(), false);
                }, v -> Map.of())).isInstanceOfSatisfying(ProblemException.class, p -> {
                    assertThat(p.status()).isEqualTo(422);
                    assertThat(p.getMessage()).contains("allocated more than 64 MB").contains("spendshift.rules.eval-memory");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("stopped long before the 30 s limit")
                .isLessThan(Duration.ofSeconds(10));
        assertThat(worker.get().isAlive()).isFalse();
        assertThat(guard.running()).isZero();
        System.gc();
        assertThat(usedHeap() - heapBefore).as("bytes the stopped evaluation left behind").isLessThan(200L * 1024 * 1024);
    }

    @Test
    void theBudgetHaltsAnEvaluationOnAnyThreadBetweenFirings() {
        // a rule that fires once per fact and allocates a little each time: over a tiny budget, the evaluation
        // of a service thread (a run) is halted between firings and fails naming the limit
        CompiledRules rules = compile("""
                package limits;
                import io.spendshift.policy.ChannelFacts;
                import io.spendshift.policy.Hold;
                rule "a text per channel"
                when
                    ChannelFacts( $ch : channel )
                then
                    String s = $ch + "................................................................";
                    s = s + s;
                    s = s + s;
                    s = s + s;
                    s = s + s;
                    insert( new Hold( $ch, s ) );
                end
                """);
        List<ChannelFacts> many = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            many.add(new ChannelFacts("c" + i, "search", new BigDecimal("1.00")));
        }
        EvaluationWatchdog.allocationBudget(8L * 1024 * 1024);
        assertThatThrownBy(() -> PolicyEvaluator.evaluate(rules.kieBase(), portfolio(), many, false))
                .isInstanceOfSatisfying(io.spendshift.rules.engine.RuleLimitException.class, e -> {
                    assertThat(e.limit()).isEqualTo("memory");
                    assertThat(e.getMessage()).contains("allocated more than 8 MB");
                });
        assertThat(Thread.currentThread().isInterrupted()).as("a service thread is not left interrupted").isFalse();
        EvaluationWatchdog.allocationBudget(BUDGET);
        assertThat(PolicyEvaluator.evaluate(rules.kieBase(), portfolio(), oneChannel(), false).holds()).hasSize(1);
    }

    @Test
    void aJoinTheCheckerCannotBoundIsStoppedByTheMemoryBudget() {
        // four patterns tied by a property all channels share: the checker lets equalities through, and the
        // combinations (150^4) would fill the heap; the memory budget stops the evaluation
        CompiledRules rules = compile("""
                package limits;
                import io.spendshift.policy.ChannelFacts;
                import io.spendshift.policy.Hold;
                rule "every quadruple of one kind"
                when
                    $a : ChannelFacts( $k : kind )
                    $b : ChannelFacts( kind == $k )
                    $c : ChannelFacts( kind == $k )
                    $d : ChannelFacts( kind == $k, $ch : channel )
                then
                    insert( new Hold( $ch, "x" ) );
                end
                """);
        List<ChannelFacts> many = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            many.add(new ChannelFacts("c" + i, "search", new BigDecimal("1.00")));
        }
        EvaluationWatchdog.allocationBudget(64L * 1024 * 1024);
        CandidateGuard guard = new CandidateGuard(Duration.ofSeconds(30), 2, null);
        long heapBefore = usedHeap();
        assertThatThrownBy(() -> guard.evaluate(AuditAction.RULES_VALIDATED, "strategist",
                CandidateGuard.Subject.active(rules.version()),
                () -> PolicyEvaluator.evaluate(rules.kieBase(), portfolio(), many, false), v -> Map.of()))
                .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.getMessage())
                        .contains("allocated more than 64 MB"));
        assertThat(guard.running()).isZero();
        System.gc();
        assertThat(usedHeap() - heapBefore).as("bytes the stopped evaluation left behind").isLessThan(200L * 1024 * 1024);
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
