package io.spendshift.planning;

import io.spendshift.policy.Pacing;
import io.spendshift.policy.Plan;
import io.spendshift.policy.PlanResolver;
import io.spendshift.policy.PortfolioFacts;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pacing step: the total changes by what the bounded target asks, spread by marginal value within bounds and
 * maxShiftPct, held and locked channels untouched; every channel's delta is its net shifts plus its pacing part.
 */
class PacerTest {

    static final LocalDate AS_OF = LocalDate.of(2026, 3, 1);

    static PlanResolver.Line line(String c, String budget, String min, String max, boolean locked) {
        return new PlanResolver.Line(c, new BigDecimal(budget), new BigDecimal(min), max == null ? null
                : new BigDecimal(max), locked);
    }

    static Plan unchanged(List<PlanResolver.Line> lines) {
        return new Plan(lines.stream().map(l -> new Plan.Allocation(l.channel(), l.budget(), l.budget(),
                BigDecimal.ZERO.setScale(2))).toList(), List.of());
    }

    static PortfolioFacts paced(String total, String monthly, String maxDailyChangePct) {
        PortfolioFacts f = new PortfolioFacts();
        f.setAsOf(AS_OF);
        f.setTotalBudget(new BigDecimal(total));
        Pacing.BudgetPlan plan = new Pacing.BudgetPlan(new BigDecimal(monthly), List.of(),
                maxDailyChangePct == null ? null : new BigDecimal(maxDailyChangePct));
        Pacing.annotate(f, plan, Pacing.period(plan, AS_OF), BigDecimal.ZERO);
        return f;
    }

    static BigDecimal total(Plan p) {
        return p.allocations().stream().map(Plan.Allocation::proposedBudget).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    static BigDecimal allocation(Plan p, String c) {
        return p.allocations().stream().filter(a -> a.channel().equals(c)).findFirst().orElseThrow().proposedBudget();
    }

    /** Every invariant of a pacing plan: delta = net shifts + pacing part; the totals; bounds; maxShiftPct. */
    static void invariants(Plan p, List<PlanResolver.Line> lines, double maxShiftPct) {
        Map<String, BigDecimal> net = new HashMap<>();
        p.shifts().forEach(s -> {
            net.merge(s.from(), s.amount().negate(), BigDecimal::add);
            net.merge(s.to(), s.amount(), BigDecimal::add);
        });
        if (p.pacing() != null) {
            p.pacing().channels().forEach(c -> net.merge(c.channel(), c.delta(), BigDecimal::add));
            assertThat(total(p).subtract(p.pacing().totalBefore())).isEqualByComparingTo(p.pacing().change());
        }
        for (Plan.Allocation a : p.allocations()) {
            PlanResolver.Line l = lines.stream().filter(x -> x.channel().equals(a.channel())).findFirst().orElseThrow();
            assertThat(a.delta()).as(a.channel()).isEqualByComparingTo(net.getOrDefault(a.channel(), BigDecimal.ZERO));
            assertThat(a.proposedBudget()).isGreaterThanOrEqualTo(l.min());
            if (l.max() != null) {
                assertThat(a.proposedBudget()).isLessThanOrEqualTo(l.max());
            }
            assertThat(a.delta().abs().doubleValue()).isLessThanOrEqualTo(a.currentBudget().doubleValue() * maxShiftPct / 100 + 1e-9);
            assertThat(a.proposedBudget().scale()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void anUnderspendingPortfolioGivesTheExtraToTheHighestMarginalValueFirst() {
        List<PlanResolver.Line> lines = List.of(line("a", "1000", "0", null, false), line("b", "1000", "0", "1050", false),
                line("c", "1000", "0", null, false));
        // 3,000 a day, budget 155,000 for March: 5,000 a day, bounded to +10% = 3,300
        PortfolioFacts f = paced("3000", "155000", null);
        Plan p = Pacer.pace(unchanged(lines), f, lines, Set.of(), Map.of("a", 1.0, "b", 5.0, "c", 3.0), 20);
        assertThat(p.pacing()).isNotNull();
        assertThat(p.pacing().dailyTarget()).isEqualByComparingTo("3300");
        assertThat(p.pacing().totalAfter()).isEqualByComparingTo("3300");
        // b first, up to its max (50); c next, up to maxShiftPct (200); a the remaining 50
        assertThat(allocation(p, "b")).isEqualByComparingTo("1050");
        assertThat(allocation(p, "c")).isEqualByComparingTo("1200");
        assertThat(allocation(p, "a")).isEqualByComparingTo("1050");
        assertThat(p.moved()).isEqualByComparingTo("300");
        invariants(p, lines, 20);
    }

    @Test
    void anOverspendingPortfolioCutsTheLowestMarginalValueFirstAndLeavesHeldAndLockedAlone() {
        List<PlanResolver.Line> lines = List.of(line("a", "1000", "950", null, false), line("b", "1000", "0", null, false),
                line("held", "1000", "0", null, false), line("locked", "1000", "0", null, true));
        PortfolioFacts f = paced("4000", "31000", "10");
        Plan p = Pacer.pace(unchanged(lines), f, lines, Set.of("held"), Map.of("a", 0.5, "b", 2.0, "held", 0.1,
                "locked", 0.1), 20);
        assertThat(p.pacing().dailyTarget()).isEqualByComparingTo("3600");
        assertThat(allocation(p, "a")).as("down to its minimum").isEqualByComparingTo("950");
        assertThat(allocation(p, "b")).isEqualByComparingTo("800");
        // 400 asked, a gives 50, b at most 200 (maxShiftPct): 250 cut, the target is not reached
        assertThat(p.pacing().totalAfter()).isEqualByComparingTo("3750");
        assertThat(allocation(p, "held")).isEqualByComparingTo("1000");
        assertThat(allocation(p, "locked")).isEqualByComparingTo("1000");
        invariants(p, lines, 20);
    }

    @Test
    void pacingAddsToThePolicysShiftsWithoutUndoingThem() {
        List<PlanResolver.Line> lines = List.of(line("poor", "1000", "100", null, false),
                line("good", "1000", "100", null, false), line("mid", "1000", "100", null, false));
        Plan policy = new Plan(List.of(new Plan.Allocation("poor", new BigDecimal("1000"), new BigDecimal("800"),
                new BigDecimal("-200")), new Plan.Allocation("good", new BigDecimal("1000"), new BigDecimal("1200"),
                new BigDecimal("200")), new Plan.Allocation("mid", new BigDecimal("1000"), new BigDecimal("1000"),
                BigDecimal.ZERO)), List.of(new Plan.Shift("poor", "good", new BigDecimal("200"), "r", "why")));
        PortfolioFacts f = paced("3000", "31000", "5");
        Plan p = Pacer.pace(policy, f, lines, Set.of(), Map.of("poor", 1.0, "good", 9.0, "mid", 4.0), 20);
        // a cut of 150: poor is at its maxShiftPct already, good received the policy's shift: mid gives it
        assertThat(p.pacing().channels()).singleElement().satisfies(c -> {
            assertThat(c.channel()).isEqualTo("mid");
            assertThat(c.delta()).isEqualByComparingTo("-150");
        });
        assertThat(p.shifts()).isEqualTo(policy.shifts());
        invariants(p, lines, 20);
    }

    @Test
    void noPacingWithoutAPlanOrWithinTheTolerance() {
        List<PlanResolver.Line> lines = List.of(line("a", "1000", "0", null, false), line("b", "1000", "0", null, false));
        Plan plain = unchanged(lines);
        PortfolioFacts none = new PortfolioFacts();
        none.setAsOf(AS_OF);
        none.setTotalBudget(new BigDecimal("2000"));
        assertThat(Pacer.pace(plain, none, lines, Set.of(), Map.of(), 20)).isSameAs(plain);
        assertThat(plain.isEmpty()).isTrue();
        // 61,500 for March: 1,983.87 a day, within 1% of 2,000
        PortfolioFacts close = paced("2000", "61500", null);
        assertThat(Pacer.pace(plain, close, lines, Set.of(), Map.of(), 20)).isSameAs(plain);
        // 60,000: 1,935.48 a day, 64.52 off: paced
        PortfolioFacts off = paced("2000", "60000", null);
        Plan p = Pacer.pace(plain, off, lines, Set.of(), Map.of("a", 1.0, "b", 2.0), 20);
        assertThat(p.isEmpty()).isFalse();
        assertThat(total(p)).isEqualByComparingTo("1935.48");
        assertThat(allocation(p, "a")).isEqualByComparingTo("935.48");
        invariants(p, lines, 20);
    }

    @Test
    void everyPacingPlanKeepsItsInvariantsOnRandomPortfolios() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int n = 0; n < 300; n++) {
            int channels = 1 + r.nextInt(6);
            List<PlanResolver.Line> lines = new java.util.ArrayList<>();
            Map<String, Double> marginal = new HashMap<>();
            BigDecimal sum = BigDecimal.ZERO;
            for (int i = 0; i < channels; i++) {
                BigDecimal b = BigDecimal.valueOf(10_000 + r.nextInt(500_000), 2);
                BigDecimal min = b.multiply(BigDecimal.valueOf(r.nextDouble())).setScale(2, java.math.RoundingMode.DOWN);
                BigDecimal max = r.nextBoolean() ? null : b.add(BigDecimal.valueOf(r.nextInt(100_000), 2));
                lines.add(new PlanResolver.Line("c" + i, b, min, max, r.nextInt(5) == 0));
                if (r.nextInt(4) > 0) {
                    marginal.put("c" + i, r.nextDouble() * 5);
                }
                sum = sum.add(b);
            }
            String monthly = sum.multiply(BigDecimal.valueOf(10 + r.nextInt(50))).setScale(2, java.math.RoundingMode.DOWN)
                    .toPlainString();
            PortfolioFacts f = paced(sum.toPlainString(), monthly, String.valueOf(1 + r.nextInt(30)));
            int maxShift = 5 + r.nextInt(30);
            Plan p = Pacer.pace(unchanged(lines), f, lines, Set.of(), marginal, maxShift);
            invariants(p, lines, maxShift);
            if (p.pacing() != null) {
                assertThat(p.pacing().change().abs()).isLessThanOrEqualTo(
                        f.getDailyTarget().subtract(sum).abs());
                assertThat(p.pacing().channels()).noneMatch(c -> lines.stream()
                        .anyMatch(l -> l.channel().equals(c.channel()) && l.locked()));
            }
        }
    }

    @Test
    void rulesCanReadThePace() {
        var rules = io.spendshift.rules.engine.RuleCompiler.compile(List.of(io.spendshift.rules.engine.RuleFile.of(
                "pace.drl", """
                package pace;
                import io.spendshift.policy.PortfolioFacts;
                import io.spendshift.policy.ChannelFacts;
                import io.spendshift.policy.Hold;
                rule "Hold display while the month spends ahead of plan"
                when
                    PortfolioFacts( pacing, pace != null, pace > 1.2, daysLeft > 3 )
                    ChannelFacts( kind == "display", $c : channel )
                then
                    insert( new Hold( $c, "the month spends ahead of plan" ) );
                end
                """)), getClass().getClassLoader()).rules();
        PortfolioFacts ahead = new PortfolioFacts();
        ahead.setAsOf(LocalDate.of(2026, 3, 11));
        ahead.setTotalBudget(new BigDecimal("2000"));
        Pacing.BudgetPlan plan = new Pacing.BudgetPlan(new BigDecimal("62000"), List.of(), null);
        Pacing.annotate(ahead, plan, Pacing.period(plan, ahead.getAsOf()), new BigDecimal("25000"));
        var display = new io.spendshift.policy.ChannelFacts("d", "display", new BigDecimal("1000"));
        var ev = io.spendshift.rules.engine.PolicyEvaluator.evaluate(rules.kieBase(), ahead, List.of(display));
        assertThat(ev.holds()).extracting(h -> h.channel()).containsExactly("d");

        PortfolioFacts onPlan = new PortfolioFacts();
        onPlan.setAsOf(LocalDate.of(2026, 3, 11));
        onPlan.setTotalBudget(new BigDecimal("2000"));
        Pacing.annotate(onPlan, plan, Pacing.period(plan, onPlan.getAsOf()), new BigDecimal("20000"));
        assertThat(io.spendshift.rules.engine.PolicyEvaluator.evaluate(rules.kieBase(), onPlan, List.of(display))
                .holds()).isEmpty();
    }
}
