package io.spendshift.policy;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Every clamp, drop and conflict of the resolver is on the plan as an adjustment; targets, caps and floors. */
class AdjustmentsTest {

    static PlanResolver.Line line(String k, String budget, String min, String max, List<String> tags) {
        return new PlanResolver.Line(k, new BigDecimal(budget), new BigDecimal(min), max == null ? null : new BigDecimal(max),
                false, tags);
    }

    static List<PlanResolver.Line> three() {
        return List.of(line("a", "600", "0", null, List.of()), line("b", "600", "0", null, List.of()),
                line("c", "600", "0", null, List.of()));
    }

    static PlanResolver.Outputs out(List<ShiftProposal> p, List<Trim> t, List<Boost> b, List<SetBudget> s, List<Cap> c,
                                    List<Floor> f) {
        return new PlanResolver.Outputs(p, t, b, s, c, f, List.of());
    }

    static BigDecimal budget(Plan plan, String k) {
        return plan.allocations().stream().filter(a -> a.channel().equals(k)).findFirst().orElseThrow().proposedBudget();
    }

    static void conserved(Plan plan) {
        BigDecimal delta = plan.allocations().stream().map(Plan.Allocation::delta).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(delta).isEqualByComparingTo("0");
    }

    @Test
    void aHugeShiftIsClampedByMaxShiftPctAndSaysSo() {
        Plan plan = PlanResolver.resolve(three(), Map.of(), out(List.of(new ShiftProposal("a", "b",
                new BigDecimal("1000000000"), "greedy", "all of it")), null, null, null, null, null), 20);
        assertThat(plan.shifts()).singleElement().satisfies(s -> assertThat(s.amount()).isEqualByComparingTo("120.00"));
        assertThat(plan.adjustments()).singleElement().satisfies(a -> {
            assertThat(a.rule()).isEqualTo("greedy");
            assertThat(a.asked()).isEqualByComparingTo("1000000000");
            assertThat(a.granted()).isEqualByComparingTo("120.00");
            assertThat(a.why()).contains("maxShiftPct 20%");
        });
    }

    @Test
    void aBoostAndATrimOnOneChannelConflictAndTheTrimWins() {
        Plan plan = PlanResolver.resolve(three(), Map.of(), out(null, List.of(new Trim("a", new BigDecimal("50"), "cut", "x")),
                List.of(new Boost("a", 1, "grow", "y"), new Boost("b", 1, "grow", "y")), null, null, null), 20);
        assertThat(budget(plan, "a")).isEqualByComparingTo("550.00");
        assertThat(plan.adjustments()).anySatisfy(a -> {
            assertThat(a.rule()).isEqualTo("grow");
            assertThat(a.channel()).isEqualTo("a");
            assertThat(a.why()).contains("also trimmed (rule cut); the trim wins");
        });
    }

    @Test
    void oppositeShiftsNetAndBothRulesAreNamed() {
        Plan plan = PlanResolver.resolve(three(), Map.of(), out(List.of(
                new ShiftProposal("a", "b", new BigDecimal("100"), "r1", "x"),
                new ShiftProposal("b", "a", new BigDecimal("150"), "r2", "y")), null, null, null, null, null), 20);
        assertThat(plan.shifts()).singleElement().satisfies(s -> {
            assertThat(s.from()).isEqualTo("b");
            assertThat(s.amount()).isEqualByComparingTo("50.00");
        });
        assertThat(plan.adjustments()).hasSize(2);
        assertThat(plan.adjustments()).anySatisfy(a -> {
            assertThat(a.rule()).isEqualTo("r1");
            assertThat(a.granted()).isEqualByComparingTo("0");
            assertThat(a.why()).contains("net to b -> a 0.50".substring(0, 0)).contains("net to b -> a 50.00");
        });
        assertThat(plan.adjustments()).anySatisfy(a -> {
            assertThat(a.rule()).isEqualTo("r2");
            assertThat(a.granted()).isEqualByComparingTo("50.00");
        });
    }

    @Test
    void heldLockedAndNoRecipientAreSaid() {
        List<PlanResolver.Line> lines = List.of(line("a", "600", "0", null, List.of()), line("b", "600", "0", "600", List.of()),
                new PlanResolver.Line("c", new BigDecimal("600"), BigDecimal.ZERO, null, true));
        Plan plan = PlanResolver.resolve(lines, Map.of("a", "cooldown"), out(null,
                List.of(new Trim("a", new BigDecimal("10"), "t", "x")),
                List.of(new Boost("b", 1, "g", "y"), new Boost("c", 1, "g", "y")), null, null, null), 20);
        assertThat(plan.shifts()).isEmpty();
        assertThat(plan.adjustments()).extracting(Adjustment::why).anyMatch(w -> w.contains("held: cooldown"))
                .anyMatch(w -> w.contains("locked"));
    }

    @Test
    void aTrimWithoutABoostIsDroppedForWantOfARecipient() {
        Plan plan = PlanResolver.resolve(three(), Map.of(), out(null, List.of(new Trim("a", new BigDecimal("10"), "t", "x")),
                null, null, null, null), 20);
        assertThat(plan.shifts()).isEmpty();
        assertThat(plan.adjustments()).singleElement().satisfies(a -> assertThat(a.why()).contains("no recipient"));
    }

    @Test
    void aTargetIsWalkedToWithinMaxShiftPctAndTheCutIsSpreadOverTheOthers() {
        Plan plan = PlanResolver.resolve(three(), Map.of(), out(null, null, null,
                List.of(new SetBudget("a", new BigDecimal("100"), "to the minimum", "CAC above LTV")), null, null), 20);
        conserved(plan);
        assertThat(budget(plan, "a")).isEqualByComparingTo("480.00");
        assertThat(budget(plan, "b")).isEqualByComparingTo("660.00");
        assertThat(budget(plan, "c")).isEqualByComparingTo("660.00");
        assertThat(plan.adjustments()).singleElement().satisfies(a -> {
            assertThat(a.asked()).isEqualByComparingTo("500.00");
            assertThat(a.granted()).isEqualByComparingTo("120.00");
            assertThat(a.why()).contains("maxShiftPct");
        });
        // next cycle from 480: one more step of 20%
        List<PlanResolver.Line> next = List.of(line("a", "480", "0", null, List.of()), line("b", "660", "0", null, List.of()),
                line("c", "660", "0", null, List.of()));
        Plan second = PlanResolver.resolve(next, Map.of(), out(null, null, null,
                List.of(new SetBudget("a", new BigDecimal("100"), "to the minimum", "x")), null, null), 20);
        assertThat(budget(second, "a")).isEqualByComparingTo("384.00");
    }

    @Test
    void aTargetBelowTheMinimumIsClampedToTheBounds() {
        List<PlanResolver.Line> lines = List.of(line("a", "600", "550", null, List.of()), line("b", "600", "0", null, List.of()));
        Plan plan = PlanResolver.resolve(lines, Map.of(), out(null, null, null,
                List.of(new SetBudget("a", new BigDecimal("0"), "zero", "x")), null, null), 20);
        assertThat(budget(plan, "a")).isEqualByComparingTo("550.00");
        assertThat(plan.adjustments()).singleElement().satisfies(a -> assertThat(a.why()).contains("outside the bounds"));
    }

    @Test
    void aCapOnATagMovesTheExcessOutWithinMaxShiftPct() {
        List<PlanResolver.Line> lines = List.of(line("brand-search", "500", "0", null, List.of("brand")),
                line("brand-social", "100", "0", null, List.of("brand")), line("generic", "600", "0", null, List.of()));
        Plan plan = PlanResolver.resolve(lines, Map.of(), out(null, null, null, null,
                List.of(new Cap(null, "brand", 40, "brand cap", "at most 40%")), null), 20);
        conserved(plan);
        assertThat(budget(plan, "brand-search").add(budget(plan, "brand-social"))).isEqualByComparingTo("480.00");
        assertThat(plan.adjustments()).singleElement().satisfies(a -> {
            assertThat(a.channel()).isEqualTo("tag:brand");
            assertThat(a.granted()).isEqualByComparingTo("120.00");
            assertThat(a.why()).contains("tag:brand is 50% of the total, above its cap of 40%");
        });
        // a cap far below the share comes down over several cycles and says so
        Plan far = PlanResolver.resolve(lines, Map.of(), out(null, null, null, null,
                List.of(new Cap(null, "brand", 10, "brand cap", "at most 10%")), null), 20);
        assertThat(budget(far, "brand-search").add(budget(far, "brand-social"))).isEqualByComparingTo("480.00");
        assertThat(far.adjustments()).singleElement().satisfies(a -> assertThat(a.why()).contains("the rest is beyond"));
    }

    @Test
    void aFloorOnAChannelTakesFromTheOthersAndAConflictingCapIsReported() {
        List<PlanResolver.Line> lines = List.of(line("a", "100", "0", null, List.of("x")), line("b", "450", "0", null, List.of()),
                line("c", "450", "0", null, List.of()));
        Plan plan = PlanResolver.resolve(lines, Map.of(), out(null, null, null, null,
                List.of(new Cap("a", null, 5, "cap", "x")), List.of(new Floor("a", null, 12, "floor", "y"))), 20);
        conserved(plan);
        // the cap takes a to 80 (maxShiftPct), the floor then wants 120 and a takes on what it may
        assertThat(plan.adjustments()).anySatisfy(a -> assertThat(a.why()).contains("conflict: the floors"));
    }

    @Test
    void aRandomPlanStillKeepsItsInvariantsWithTargetsCapsAndFloors() {
        java.util.Random r = new java.util.Random(7);
        for (int n = 0; n < 300; n++) {
            List<PlanResolver.Line> lines = new java.util.ArrayList<>();
            int k = 2 + r.nextInt(6);
            for (int i = 0; i < k; i++) {
                long b = 100 + r.nextInt(900);
                lines.add(new PlanResolver.Line("c" + i, BigDecimal.valueOf(b), BigDecimal.valueOf(r.nextInt(100)),
                        r.nextBoolean() ? null : BigDecimal.valueOf(b + r.nextInt(200)), r.nextInt(6) == 0,
                        r.nextBoolean() ? List.of("t") : List.of()));
            }
            List<SetBudget> sb = List.of(new SetBudget("c" + r.nextInt(k), BigDecimal.valueOf(r.nextInt(1500)), "s", "x"));
            List<Trim> trims = List.of(new Trim("c" + r.nextInt(k), BigDecimal.valueOf(r.nextInt(300)), "t", "x"));
            List<Boost> boosts = List.of(new Boost("c" + r.nextInt(k), 1 + r.nextInt(3), "b", "x"));
            List<Cap> caps = List.of(new Cap(null, "t", r.nextInt(100), "cap", "x"));
            List<Floor> floors = r.nextBoolean() ? List.of(new Floor("c0", null, r.nextInt(40), "floor", "x")) : List.of();
            Plan plan = PlanResolver.resolve(lines, Map.of(), out(null, trims, boosts, sb, caps, floors), 20);
            conserved(plan);
            for (PlanResolver.Line l : lines) {
                Plan.Allocation a = plan.allocations().stream().filter(x -> x.channel().equals(l.channel())).findFirst().orElseThrow();
                assertThat(a.delta().abs()).isLessThanOrEqualTo(l.budget().multiply(new BigDecimal("0.20")));
                assertThat(a.proposedBudget()).isGreaterThanOrEqualTo(l.min());
                if (l.max() != null) {
                    assertThat(a.proposedBudget()).isLessThanOrEqualTo(l.max());
                }
                if (l.locked()) {
                    assertThat(a.delta()).isEqualByComparingTo("0");
                }
                BigDecimal in = plan.shifts().stream().filter(s -> s.to().equals(l.channel())).map(Plan.Shift::amount)
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                BigDecimal outOf = plan.shifts().stream().filter(s -> s.from().equals(l.channel())).map(Plan.Shift::amount)
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                assertThat(in.subtract(outOf)).isEqualByComparingTo(a.delta());
            }
        }
    }
}
