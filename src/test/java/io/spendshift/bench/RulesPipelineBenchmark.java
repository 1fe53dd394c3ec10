package io.spendshift.bench;

import io.spendshift.learning.ChannelHistory;
import io.spendshift.learning.PortfolioModel;
import io.spendshift.market.ChannelModel;
import io.spendshift.market.Market;
import io.spendshift.market.MarketGenerator;
import io.spendshift.policy.Boost;
import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.DailyPerformance;
import io.spendshift.policy.FactsCalculator;
import io.spendshift.policy.Hold;
import io.spendshift.policy.Plan;
import io.spendshift.policy.PlanResolver;
import io.spendshift.policy.PolicyFunctions;
import io.spendshift.policy.PortfolioFacts;
import io.spendshift.policy.Trim;
import io.spendshift.rules.engine.CompiledRules;
import io.spendshift.rules.engine.Evaluation;
import io.spendshift.rules.engine.PolicyEvaluator;
import io.spendshift.rules.engine.RuleCompiler;
import io.spendshift.rules.engine.RuleFile;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policy pipeline at 100, 1,000 and 10,000 channels with 90 days of metrics each: metrics to facts, the
 * response model (fitted on the same history, written into the facts), facts to rules to proposals, proposals to a
 * plan; beside it the same policy written by hand in plain Java ({@link PlainPolicy}) from the same facts and model,
 * asserted to make the same plan. Also compiling the default pack: cold, warm, and from the cache of compiled sets
 * (what validating an unchanged set costs). Plain JUnit; run with {@code mvn verify -Pbench}.
 */
@Tag("bench")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RulesPipelineBenchmark {

    static final LocalDate AS_OF = LocalDate.of(2026, 6, 1);

    /** First, so that "cold" is the JVM's first compile of a rule set. */
    @Test
    @Order(1)
    void compilingColdWarmAndFromTheCache() throws Exception {
        ClassLoader cl = getClass().getClassLoader();
        Path dir = Path.of("rules");
        List<RuleFile> files = RuleCompiler.readFolder(dir);
        long c0 = System.nanoTime();
        RuleCompiler.compileUncached(files, cl);
        double coldMs = (System.nanoTime() - c0) / 1e6;
        double warmMs = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t = System.nanoTime();
            RuleCompiler.compileUncached(files, cl);
            warmMs = Math.min(warmMs, (System.nanoTime() - t) / 1e6);
        }
        RuleCompiler.compile(files, cl); // fills the cache
        long compiled = RuleCompiler.compilations();
        // what POST /rules/validate does with an unchanged set: the files in (read again here), the cached verdict out
        double[] cached = new double[50];
        for (int i = 0; i < cached.length; i++) {
            long t = System.nanoTime();
            RuleCompiler.Result r = RuleCompiler.compile(RuleCompiler.readFolder(dir), cl);
            cached[i] = (System.nanoTime() - t) / 1e6;
            assertThat(r.ok()).isTrue();
        }
        assertThat(RuleCompiler.compilations()).as("validating an unchanged set compiles nothing").isEqualTo(compiled);
        Arrays.sort(cached);
        double median = cached[cached.length / 2];
        System.out.printf("%n=== Compiling the default pack ===%n");
        System.out.printf("cold %.0f ms, warm %.0f ms (best of 3), from the cache %.3f ms (median of %d, read of the"
                + " folder included; max %.3f ms): cold/cache %.0fx, warm/cache %.0fx%n", coldMs, warmMs, median,
                cached.length, cached[cached.length - 1], coldMs / median, warmMs / median);
    }

    @Test
    @Order(2)
    void pipelineStagesAndThePlainJavaBaseline() throws Exception {
        List<RuleFile> files = RuleCompiler.readFolder(Path.of("rules"));
        CompiledRules rules = RuleCompiler.compile(files, getClass().getClassLoader()).rules();

        System.out.printf("%n=== Policy pipeline benchmark (90 days per channel, best of 5) ===%n");
        System.out.printf("%8s %9s %9s %9s %9s %10s %11s %14s %9s%n", "channels", "facts ms", "model ms", "rules ms",
                "plan ms", "total ms", "rules share", "plain Java ms", "vs plain");
        for (int n : new int[]{100, 1_000, 10_000}) {
            List<FactsCalculator.ChannelLine> lines = new ArrayList<>();
            List<List<DailyPerformance>> histories = new ArrayList<>();
            generate(n, lines, histories);
            double best = Double.MAX_VALUE;
            double[] stages = null;
            double plainBest = Double.MAX_VALUE;
            Plan plan = null;
            Evaluation last = null;
            for (int rep = 0; rep < 5; rep++) {
                // each timed pass starts without the previous one's garbage (the machine has 2 shared cores)
                System.gc();
                long t0 = System.nanoTime();
                List<ChannelFacts> facts = facts(lines, histories);
                long t1 = System.nanoTime();
                model(lines, histories).annotate(facts);
                long t2 = System.nanoTime();
                PortfolioFacts p = portfolio(n, lines);
                Evaluation ev = PolicyEvaluator.evaluate(rules.kieBase(), p, facts, false);
                long t3 = System.nanoTime();
                Set<String> held = new HashSet<>();
                ev.holds().forEach(h -> held.add(h.channel()));
                plan = PlanResolver.resolve(resolverLines(facts), held, ev.proposals(), ev.trims(), ev.boosts(),
                        p.getMaxShiftPct());
                long t4 = System.nanoTime();
                last = ev;
                if (t4 - t0 < best) {
                    best = t4 - t0;
                    stages = new double[]{(t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6};
                }

                System.gc();
                long p0 = System.nanoTime();
                List<ChannelFacts> pf = facts(lines, histories);
                model(lines, histories).annotate(pf);
                PortfolioFacts pp = portfolio(n, lines);
                PlainPolicy.Result pr = PlainPolicy.run(pp, pf);
                Set<String> pheld = new HashSet<>();
                pr.holds().forEach(h -> pheld.add(h.channel()));
                Plan plainPlan = PlanResolver.resolve(resolverLines(pf), pheld, List.of(), pr.trims(), pr.boosts(),
                        pp.getMaxShiftPct());
                plainBest = Math.min(plainBest, (System.nanoTime() - p0) / 1e6);

                // the same policy: the same outputs and the same plan
                assertThat(pr.holds()).isEqualTo(ev.holds());
                assertThat(pr.trims()).isEqualTo(ev.trims());
                assertThat(pr.boosts()).isEqualTo(ev.boosts());
                assertThat(plainPlan).isEqualTo(plan);
            }
            if (n == 10_000) {
                System.out.println("firings at 10,000 channels: " + last.firedRules());
            }
            double total = best / 1e6;
            System.out.printf("%8d %9.1f %9.1f %9.1f %9.1f %10.1f %10.0f%% %14.1f %8.2fx   (%d holds, %d trims, %d"
                            + " boosts, %d shifts; plain Java makes the same plan)%n", n, stages[0], stages[1], stages[2],
                    stages[3], total, 100 * stages[2] / total, plainBest, total / plainBest, last.holds().size(),
                    last.trims().size(), last.boosts().size(), plan.shifts().size());
            assertThat(plan.shifts()).as("the benchmark's portfolio must exercise the policy").isNotEmpty();
        }
        System.out.println();
    }

    static List<ChannelFacts> facts(List<FactsCalculator.ChannelLine> lines, List<List<DailyPerformance>> histories) {
        List<ChannelFacts> facts = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            facts.add(FactsCalculator.compute(lines.get(i), histories.get(i), AS_OF, 28));
        }
        return facts;
    }

    /** The response model as FactsService fits it: each channel on its history, at a budget that never changed. */
    static PortfolioModel model(List<FactsCalculator.ChannelLine> lines, List<List<DailyPerformance>> histories) {
        List<ChannelHistory> h = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            h.add(new ChannelHistory(lines.get(i).channel(), lines.get(i).dailyBudget().doubleValue(), histories.get(i),
                    Set.of()));
        }
        return PortfolioModel.fit(h, AS_OF);
    }

    static PortfolioFacts portfolio(int n, List<FactsCalculator.ChannelLine> lines) {
        PortfolioFacts p = new PortfolioFacts();
        p.setPortfolio("bench");
        p.setAsOf(AS_OF);
        p.setChannelCount(n);
        p.setContributionMargin(0.35);
        p.setTotalBudget(lines.stream().map(FactsCalculator.ChannelLine::dailyBudget).reduce(BigDecimal.ZERO,
                BigDecimal::add));
        return p;
    }

    static List<PlanResolver.Line> resolverLines(List<ChannelFacts> facts) {
        return facts.stream().map(c -> new PlanResolver.Line(c.getChannel(), c.getDailyBudget(), c.getMinDailyBudget(),
                c.getMaxDailyBudget(), c.isLocked())).toList();
    }

    static void generate(int n, List<FactsCalculator.ChannelLine> lines, List<List<DailyPerformance>> histories) {
        List<ChannelModel> models = MarketGenerator.generate(n, n);
        Market market = new Market(n, models);
        String[] kinds = {"search", "social", "display", "video", "commerce", "affiliate", "email", "other"};
        for (int i = 0; i < n; i++) {
            ChannelModel m = models.get(i);
            double budget = m.initialBudget();
            lines.add(new FactsCalculator.ChannelLine("c" + i, kinds[i % kinds.length], BigDecimal.valueOf(budget),
                    BigDecimal.valueOf(m.minBudget()), BigDecimal.valueOf(m.maxBudget()), i % 50 == 0, null));
            SplittableRandom r = new SplittableRandom(i);
            List<DailyPerformance> days = new ArrayList<>(90);
            double adstock = 0;
            for (int d = 90; d >= 1; d--) {
                double spend = Math.max(0, budget * (1 + 0.15 * r.nextGaussian()));
                Market.Day day = market.simulate(i, AS_OF.minusDays(d).toEpochDay(), spend, adstock);
                adstock = day.adstock();
                days.add(new DailyPerformance(AS_OF.minusDays(d), bd(spend), day.conversions(), bd(day.revenue()),
                        day.newCustomers(), day.newCustomers() == 0 ? null : bd(day.ltv())));
            }
            histories.add(days);
        }
    }

    static BigDecimal bd(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_EVEN);
    }

    /**
     * The default pack's policy written by hand, rule for rule (guardrails.drl, kind-thresholds.drl.csv,
     * outcome-shift.drl, efficiency-floor.drl), with the same rule names and reasons: the baseline the rules are
     * measured against, and asserted to make the same outputs and plan. A change to the pack must be made here too.
     */
    static final class PlainPolicy {
        record Result(List<Hold> holds, List<Trim> trims, List<Boost> boosts) {
        }

        /** rules/kind-thresholds.drl.csv: minimum confidence, largest step (%), for portfolios of any size. */
        static final Map<String, double[]> KIND = Map.of("search", new double[]{0.03, 20}, "social", new double[]{0.03, 20},
                "display", new double[]{0.04, 15}, "video", new double[]{0.04, 15}, "commerce", new double[]{0.03, 20},
                "affiliate", new double[]{0.05, 10}, "email", new double[]{0.05, 10}, "other", new double[]{0.05, 10});

        static final String TRIM = "Trim channels whose marginal long-term value is below the average";
        static final String BOOST = "Boost channels whose marginal long-term value is above the average and that have headroom";
        static final String LTV = "Trim channels whose LTV:CAC is under the minimum";
        static final String FLOOR = "Cut channels below break-even ROAS";

        static Result run(PortfolioFacts p, List<ChannelFacts> facts) {
            // guardrails.drl
            List<Hold> holds = new ArrayList<>();
            Set<String> held = new HashSet<>();
            long minConversions = p.getMinConversions();
            int cooldown = p.getCooldownDays();
            for (ChannelFacts c : facts) {
                String ch = c.getChannel();
                if (c.isLocked()) {
                    holds.add(new Hold(ch, "locked"));
                }
                if (c.getConversions() < minConversions) {
                    holds.add(new Hold(ch, "only " + c.getConversions() + " conversions in the window, fewer than "
                            + minConversions));
                }
                if (c.getDaysOfData() < 7) {
                    holds.add(new Hold(ch, "only " + c.getDaysOfData() + " days of data in the window, fewer than 7"));
                }
                Integer since = c.getDaysSinceLastChange();
                if (since != null && since < cooldown) {
                    holds.add(new Hold(ch, "budget changed " + since + " days ago, cooldown is " + cooldown + " days"));
                }
                if (c.isDataGap()) {
                    holds.add(new Hold(ch, "no data for yesterday yet (attribution lag or a broken feed)"));
                }
            }
            holds.forEach(h -> held.add(h.channel()));

            // outcome-shift.drl: candidates (with kind-thresholds.drl.csv) and their range
            List<ChannelFacts> candidates = new ArrayList<>();
            double worst = Double.MAX_VALUE, best = -Double.MAX_VALUE, sum = 0;
            for (ChannelFacts c : facts) {
                double[] k = KIND.get(c.getKind());
                if (c.getMarginalRoas() != null && k != null && !held.contains(c.getChannel())
                        && c.getMarginalRoasConfidence() >= k[0]) {
                    candidates.add(c);
                    double m = c.getMarginalRoas();
                    worst = Math.min(worst, m);
                    best = Math.max(best, m);
                    sum += m;
                }
            }
            List<Trim> trims = new ArrayList<>();
            List<Boost> boosts = new ArrayList<>();
            double maxShift = p.getMaxShiftPct();
            if (candidates.size() >= 2) {
                double mean = sum / candidates.size();
                boolean noChange = best <= worst * 1.10;
                double minLtv = p.getMinLtvToCac();
                for (ChannelFacts c : candidates) {
                    double m = c.getMarginalRoas();
                    BigDecimal budget = c.getDailyBudget();
                    BigDecimal target = c.getTargetBudget();
                    if (!noChange && m < mean * 0.95 && c.isCanGiveUp()
                            && (target == null || target.compareTo(budget) < 0)) {
                        BigDecimal step = PolicyFunctions.share(budget, Math.min(maxShift, KIND.get(c.getKind())[1]));
                        BigDecimal amount = target == null ? step : step.min(budget.subtract(target));
                        trims.add(new Trim(c.getChannel(), amount, TRIM, "marginal long-term value "
                                + PolicyFunctions.fmt(m) + " per unit of spend, below the average " + PolicyFunctions.fmt(mean)));
                    }
                    if (!noChange && m > mean * 1.05 && c.isHasHeadroom()
                            && (target == null || target.compareTo(budget) > 0)) {
                        double weight = target == null ? (m - mean) / Math.max(1e-9, mean)
                                : target.subtract(budget).doubleValue();
                        boosts.add(new Boost(c.getChannel(), weight, BOOST, "marginal long-term value "
                                + PolicyFunctions.fmt(m) + " per unit of spend, above the average " + PolicyFunctions.fmt(mean)));
                    }
                    Double ltv = c.getLtvToCac();
                    if (ltv != null && ltv < minLtv && m < mean && c.isCanGiveUp()) {
                        trims.add(new Trim(c.getChannel(), PolicyFunctions.share(budget, maxShift), LTV,
                                "LTV:CAC " + PolicyFunctions.fmt(ltv) + " is under the minimum " + PolicyFunctions.fmt(minLtv)));
                    }
                }
            }

            // efficiency-floor.drl
            Double breakEven = p.getBreakEvenRoas();
            if (breakEven != null) {
                for (ChannelFacts c : facts) {
                    if (c.getRoas() != null && c.getRoas() < breakEven && c.isCanGiveUp() && !held.contains(c.getChannel())) {
                        trims.add(new Trim(c.getChannel(), PolicyFunctions.share(c.getDailyBudget(), maxShift), FLOOR,
                                "ROAS " + Math.round(c.getRoas() * 100) / 100.0 + " is below break-even "
                                        + Math.round(breakEven * 100) / 100.0));
                    }
                }
            }
            // the order PolicyEvaluator gives the rules' outputs
            holds.sort(PolicyEvaluator.HOLDS);
            trims.sort(PolicyEvaluator.TRIMS);
            boosts.sort(PolicyEvaluator.BOOSTS);
            return new Result(holds, trims, boosts);
        }
    }
}
