package io.spendshift.planning;

import io.spendshift.learning.ChannelHistory;
import io.spendshift.learning.Experiment;
import io.spendshift.learning.Exploration;
import io.spendshift.learning.ExplorationPolicy;
import io.spendshift.learning.PortfolioModel;
import io.spendshift.market.ChannelModel;
import io.spendshift.market.Market;
import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.DailyPerformance;
import io.spendshift.policy.FactsCalculator;
import io.spendshift.policy.Plan;
import io.spendshift.policy.PortfolioFacts;
import io.spendshift.rules.engine.RuleCompiler;
import io.spendshift.simulation.MarketSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plans with designed experiments keep every invariant of API.md: the total to the cent, bounds, maxShiftPct,
 * locked channels untouched, shifts adding up to each channel's delta; experiments come in balanced pairs, only on
 * channels that are not identified, and a forecast says what each plan brings.
 */
class PlannerTest {

    static KieBase rules;
    static final LocalDate AS_OF = LocalDate.of(2026, 3, 1);

    @BeforeAll
    static void compile() throws Exception {
        rules = RuleCompiler.compile(RuleCompiler.readFolder(Path.of("rules")), PlannerTest.class.getClassLoader())
                .rules().kieBase();
    }

    @Test
    void plansWithExperimentsKeepEveryInvariant() {
        int withExperiments = 0;
        for (long seed = 1; seed <= 40; seed++) {
            MarketSpec spec = MarketSpec.regime(MarketSpec.Regime.EXACT_PACING, seed, 60);
            List<ChannelModel> ch = spec.channels();
            SplittableRandom r = new SplittableRandom(seed);
            Market market = new Market(spec.seed(), ch);
            List<ChannelFacts> facts = new ArrayList<>();
            List<ChannelHistory> histories = new ArrayList<>();
            BigDecimal total = BigDecimal.ZERO;
            for (int i = 0; i < ch.size(); i++) {
                ChannelModel c = ch.get(i);
                List<DailyPerformance> days = new ArrayList<>();
                double adstock = 0;
                for (int d = 60; d >= 1; d--) {
                    double spend = c.initialBudget() * (1 + 0.01 * r.nextGaussian());
                    Market.Day day = market.simulate(i, AS_OF.minusDays(d).toEpochDay(), spend, adstock);
                    adstock = day.adstock();
                    days.add(new DailyPerformance(AS_OF.minusDays(d), money(spend), day.conversions(),
                            money(day.revenue()), day.newCustomers(), day.newCustomers() == 0 ? null : money(day.ltv())));
                }
                boolean locked = i == 0 && seed % 3 == 0;
                BigDecimal budget = money(c.initialBudget());
                total = total.add(budget);
                facts.add(FactsCalculator.compute(new FactsCalculator.ChannelLine(c.key(), c.kind(), budget,
                        money(c.minBudget()), money(c.maxBudget()), locked, null), days, AS_OF, 28));
                histories.add(new ChannelHistory(c.key(), c.initialBudget(), days, Set.of()));
            }
            PortfolioFacts p = new PortfolioFacts();
            p.setPortfolio("p" + seed);
            p.setAsOf(AS_OF);
            p.setTotalBudget(total);
            p.setChannelCount(ch.size());
            p.setMaxShiftPct(20);
            PortfolioModel model = PortfolioModel.fit(histories, AS_OF);
            model.annotate(facts);
            List<Experiment> running = new ArrayList<>();
            Planner.Decision d = Planner.decide(rules, new Planner.Input(p, facts, model, ExplorationPolicy.DEFAULTS,
                    running, seed), false);
            Plan plan = d.plan();
            Map<String, ChannelFacts> byKey = new HashMap<>();
            facts.forEach(f -> byKey.put(f.getChannel(), f));
            BigDecimal current = BigDecimal.ZERO;
            BigDecimal proposed = BigDecimal.ZERO;
            Map<String, BigDecimal> net = new HashMap<>();
            for (Plan.Shift s : plan.shifts()) {
                net.merge(s.to(), s.amount(), BigDecimal::add);
                net.merge(s.from(), s.amount().negate(), BigDecimal::add);
            }
            for (Plan.Allocation a : plan.allocations()) {
                ChannelFacts f = byKey.get(a.channel());
                current = current.add(a.currentBudget());
                proposed = proposed.add(a.proposedBudget());
                assertThat(a.proposedBudget()).isBetween(f.getMinDailyBudget(), f.getMaxDailyBudget());
                assertThat(a.delta().abs()).isLessThanOrEqualTo(a.currentBudget().multiply(new BigDecimal("0.20")));
                assertThat(net.getOrDefault(a.channel(), BigDecimal.ZERO)).isEqualByComparingTo(a.delta());
                if (f.isLocked()) {
                    assertThat(a.delta()).isZero();
                }
            }
            assertThat(proposed).isEqualByComparingTo(current);
            BigDecimal experimentTotal = d.experiments().stream().map(Experiment::amount)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(experimentTotal).as("experiments are balanced").isEqualByComparingTo("0");
            for (Experiment e : d.experiments()) {
                assertThat(Math.abs(e.deltaPct())).isLessThanOrEqualTo(10.0 + 1e-9);
                assertThat(e.until()).isEqualTo(AS_OF.plusDays(Exploration.BLOCK_DAYS));
                assertThat(byKey.get(e.channel()).isLocked()).isFalse();
            }
            if (!d.experiments().isEmpty()) {
                withExperiments++;
                assertThat(plan.shifts()).anyMatch(s -> s.rule().equals(Exploration.RULE));
                assertThat(d.forecast().available()).isTrue();
                assertThat(d.forecast().explorationCostPerDay()).isNotNull();
            }
        }
        assertThat(withExperiments).as("spend that never varied is explored").isGreaterThan(30);
    }

    static BigDecimal money(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_EVEN);
    }
}
