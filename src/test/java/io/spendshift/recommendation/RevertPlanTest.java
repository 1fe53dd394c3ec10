package io.spendshift.recommendation;

import io.spendshift.policy.Plan;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A revert's plan: back to the old budgets, within today's bounds, locked channels untouched, total kept. */
class RevertPlanTest {

    static RevertPlan.Line line(String c, String budget, String min, String max, boolean locked) {
        return new RevertPlan.Line(c, new BigDecimal(budget), new BigDecimal(min), max == null ? null : new BigDecimal(max),
                locked);
    }

    static BigDecimal proposed(Plan p, String channel) {
        return p.allocations().stream().filter(a -> a.channel().equals(channel)).findFirst().orElseThrow().proposedBudget();
    }

    static void conserved(Plan p) {
        BigDecimal cur = p.allocations().stream().map(Plan.Allocation::currentBudget).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal prop = p.allocations().stream().map(Plan.Allocation::proposedBudget).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(prop).isEqualByComparingTo(cur);
    }

    @Test
    void restoresTheBudgetsThePlanChanged() {
        Plan p = RevertPlan.plan(7, List.of(line("good", "1200", "100", "5000", false),
                line("poor", "800", "100", "5000", false), line("other", "500", "0", null, false)),
                Map.of("good", new BigDecimal("1000"), "poor", new BigDecimal("1000")));
        assertThat(proposed(p, "good")).isEqualByComparingTo("1000");
        assertThat(proposed(p, "poor")).isEqualByComparingTo("1000");
        assertThat(proposed(p, "other")).isEqualByComparingTo("500");
        assertThat(p.shifts()).singleElement().satisfies(s -> {
            assertThat(s.from()).isEqualTo("good");
            assertThat(s.to()).isEqualTo("poor");
            assertThat(s.amount()).isEqualByComparingTo("200");
            assertThat(s.rule()).isEqualTo("Revert recommendation 7");
        });
        conserved(p);
    }

    @Test
    void clampsToTodaysBoundsLeavesLockedChannelsAndConservesTheTotal() {
        // poor may not go above 900 today; "c" is locked: only what balances moves
        Plan p = RevertPlan.plan(9, List.of(line("good", "1300.50", "100", "5000", false),
                line("poor", "700", "100", "900", false), line("c", "300", "0", null, true),
                line("d", "699.50", "0", null, false)),
                Map.of("good", new BigDecimal("1000"), "poor", new BigDecimal("1000"), "c", new BigDecimal("500"),
                        "d", new BigDecimal("800")));
        assertThat(proposed(p, "poor")).isEqualByComparingTo("900");
        assertThat(proposed(p, "c")).isEqualByComparingTo("300");
        assertThat(proposed(p, "d")).isEqualByComparingTo("800");
        assertThat(proposed(p, "good")).isEqualByComparingTo("1000.00");
        conserved(p);
    }

    @Test
    void nothingToRestoreIsAnEmptyPlan() {
        Plan p = RevertPlan.plan(3, List.of(line("good", "1000", "100", "5000", false)),
                Map.of("good", new BigDecimal("1000")));
        assertThat(p.isEmpty()).isTrue();
    }
}
