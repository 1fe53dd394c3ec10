package io.spendshift.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property-based tests of the resolver: 2,000 random portfolios with random proposals, trims, boosts, holds,
 * locks and bounds, each checked against every invariant of API.md. Seeded, so a failure reproduces.
 */
class PlanResolverTest {

    record Case(long seed, List<PlanResolver.Line> lines, Set<String> held, List<ShiftProposal> proposals,
                List<Trim> trims, List<Boost> boosts, double maxShiftPct) {
        @Override
        public String toString() {
            return "seed " + seed;
        }
    }

    static Case randomCase(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 1 + r.nextInt(12);
        List<PlanResolver.Line> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BigDecimal budget = BigDecimal.valueOf(r.nextLong(0, 500_000), 2);
            BigDecimal min = r.nextBoolean() ? BigDecimal.ZERO : budget.multiply(BigDecimal.valueOf(r.nextDouble()))
                    .setScale(2, java.math.RoundingMode.DOWN);
            BigDecimal max = r.nextInt(4) == 0 ? null : budget.add(BigDecimal.valueOf(r.nextLong(0, 300_000), 2));
            lines.add(new PlanResolver.Line("c" + i, budget, min, max, r.nextInt(8) == 0));
        }
        Set<String> held = new HashSet<>();
        List<ShiftProposal> proposals = new ArrayList<>();
        List<Trim> trims = new ArrayList<>();
        List<Boost> boosts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (r.nextInt(6) == 0) {
                held.add("c" + i);
            }
        }
        int k = r.nextInt(3 * n + 1);
        for (int i = 0; i < k; i++) {
            String a = "c" + r.nextInt(n);
            String b = "c" + r.nextInt(n + 1); // sometimes an unknown channel
            BigDecimal amount = BigDecimal.valueOf(r.nextLong(-1000, 300_000), 2);
            switch (r.nextInt(3)) {
                case 0 -> proposals.add(new ShiftProposal(a, b, amount, "p", "r"));
                case 1 -> trims.add(new Trim(a, amount, "t", "r"));
                default -> boosts.add(new Boost(b, r.nextDouble() * 3 - 0.5, "b", "r"));
            }
        }
        return new Case(seed, lines, held, proposals, trims, boosts, 1 + r.nextDouble() * 49);
    }

    static java.util.stream.Stream<Case> cases() {
        return LongStream.rangeClosed(1, 2000).mapToObj(PlanResolverTest::randomCase);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyPlanSatisfiesTheInvariants(Case c) {
        Plan plan = PlanResolver.resolve(c.lines(), c.held(), c.proposals(), c.trims(), c.boosts(), c.maxShiftPct());
        Map<String, PlanResolver.Line> byKey = new HashMap<>();
        c.lines().forEach(l -> byKey.put(l.channel(), l));
        assertThat(plan.allocations()).hasSize(c.lines().size());

        BigDecimal currentTotal = BigDecimal.ZERO;
        BigDecimal proposedTotal = BigDecimal.ZERO;
        Map<String, BigDecimal> shiftNet = new HashMap<>();
        for (Plan.Shift s : plan.shifts()) {
            assertThat(s.amount().signum()).as("shift amounts are positive").isPositive();
            assertThat(s.amount().scale()).isEqualTo(2);
            shiftNet.merge(s.to(), s.amount(), BigDecimal::add);
            shiftNet.merge(s.from(), s.amount().negate(), BigDecimal::add);
        }
        for (Plan.Allocation a : plan.allocations()) {
            PlanResolver.Line l = byKey.get(a.channel());
            currentTotal = currentTotal.add(a.currentBudget());
            proposedTotal = proposedTotal.add(a.proposedBudget());
            assertThat(a.proposedBudget().subtract(a.currentBudget())).isEqualByComparingTo(a.delta());
            assertThat(a.delta()).as("shifts add up to the delta of %s", a.channel())
                    .isEqualByComparingTo(shiftNet.getOrDefault(a.channel(), BigDecimal.ZERO));
            if (c.held().contains(a.channel()) || l.locked()) {
                assertThat(a.delta()).as("held or locked %s does not move", a.channel()).isEqualByComparingTo("0");
            }
            if (a.delta().signum() != 0) {
                assertThat(a.proposedBudget()).isGreaterThanOrEqualTo(l.min());
                if (l.max() != null) {
                    assertThat(a.proposedBudget()).isLessThanOrEqualTo(l.max());
                }
                BigDecimal cap = l.budget().multiply(BigDecimal.valueOf(c.maxShiftPct() / 100));
                assertThat(a.delta().abs()).as("maxShiftPct on %s", a.channel()).isLessThanOrEqualTo(cap);
            }
        }
        assertThat(proposedTotal).as("budget conserved to the cent").isEqualByComparingTo(currentTotal);
        assertThat(plan.shifts().size()).as("trims pair with boosts without a shift per pair")
                .isLessThanOrEqualTo(c.proposals().size() + c.trims().size() + c.boosts().size());
    }

    static List<PlanResolver.Line> two() {
        return List.of(new PlanResolver.Line("a", new BigDecimal("1000"), BigDecimal.ZERO, null, false),
                new PlanResolver.Line("b", new BigDecimal("1000"), BigDecimal.ZERO, null, false));
    }

    @Test
    void oppositeProposalsNetOut() {
        Plan plan = PlanResolver.resolve(two(), Set.of(), List.of(
                new ShiftProposal("a", "b", new BigDecimal("150"), "r1", "x"),
                new ShiftProposal("b", "a", new BigDecimal("100"), "r2", "y")), List.of(), List.of(), 20);
        assertThat(plan.shifts()).singleElement().satisfies(s -> {
            assertThat(s.from()).isEqualTo("a");
            assertThat(s.to()).isEqualTo("b");
            assertThat(s.amount()).isEqualByComparingTo("50");
        });
    }

    @Test
    void shiftStopsAtTheReceivingChannelsMaximum() {
        List<PlanResolver.Line> lines = List.of(
                new PlanResolver.Line("a", new BigDecimal("1000"), BigDecimal.ZERO, null, false),
                new PlanResolver.Line("b", new BigDecimal("1000"), BigDecimal.ZERO, new BigDecimal("1030"), false));
        Plan plan = PlanResolver.resolve(lines, Set.of(), List.of(), List.of(new Trim("a", new BigDecimal("200"), "t", "r")),
                List.of(new Boost("b", 1, "b", "r")), 20);
        assertThat(plan.moved()).isEqualByComparingTo("30");
    }

    @Test
    void aTrimIsSpreadByWeightWithoutLosingACent() {
        List<PlanResolver.Line> lines = List.of(
                new PlanResolver.Line("a", new BigDecimal("1000"), BigDecimal.ZERO, null, false),
                new PlanResolver.Line("b", new BigDecimal("1000"), BigDecimal.ZERO, null, false),
                new PlanResolver.Line("c", new BigDecimal("1000"), BigDecimal.ZERO, null, false),
                new PlanResolver.Line("d", new BigDecimal("1000"), BigDecimal.ZERO, null, false));
        Plan plan = PlanResolver.resolve(lines, Set.of(), List.of(), List.of(new Trim("a", new BigDecimal("100"), "t", "r")),
                List.of(new Boost("b", 1, "x", "r"), new Boost("c", 1, "x", "r"), new Boost("d", 1, "x", "r")), 20);
        assertThat(plan.moved()).isEqualByComparingTo("100");
        assertThat(plan.shifts()).extracting(Plan.Shift::amount).map(BigDecimal::toPlainString)
                .containsExactlyInAnyOrder("33.34", "33.33", "33.33");
    }

    @Test
    void heldChannelsNeitherGiveNorTake() {
        Plan plan = PlanResolver.resolve(two(), Set.of("b"), List.of(new ShiftProposal("a", "b", new BigDecimal("10"), "r", "x")),
                List.of(), List.of(), 20);
        assertThat(plan.isEmpty()).isTrue();
    }
}
