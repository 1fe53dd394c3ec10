package io.spendshift.bench;

import io.spendshift.market.ChannelModel;
import io.spendshift.market.Market;
import io.spendshift.market.MarketGenerator;
import io.spendshift.policy.Boost;
import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.DailyPerformance;
import io.spendshift.policy.FactsCalculator;
import io.spendshift.policy.Hold;
import io.spendshift.policy.PlanResolver;
import io.spendshift.policy.PortfolioFacts;
import io.spendshift.policy.Trim;
import io.spendshift.rules.engine.CompiledRules;
import io.spendshift.rules.engine.Evaluation;
import io.spendshift.rules.engine.PolicyEvaluator;
import io.spendshift.rules.engine.RuleCompiler;
import io.spendshift.rules.engine.RuleFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The policy pipeline at 100, 1,000 and 10,000 channels with 90 days of metrics each: metrics to facts, facts
 * to rules to proposals, proposals to a plan; beside it the same policy written by hand in plain Java from the
 * same metrics. Also the cold compile time of the default pack. Plain JUnit; run with {@code mvn verify -Pbench}.
 */
@Tag("bench")
class RulesPipelineBenchmark {

    static final LocalDate AS_OF = LocalDate.of(2026, 6, 1);

    @Test
    void pipelineStagesAndThePlainJavaBaseline() throws Exception {
        List<RuleFile> files = RuleCompiler.readFolder(Path.of("rules"));
        long c0 = System.nanoTime();
        CompiledRules rules = RuleCompiler.compile(files, getClass().getClassLoader()).rules();
        double compileMs = (System.nanoTime() - c0) / 1e6;
        long c1 = System.nanoTime();
        RuleCompiler.compile(files, getClass().getClassLoader());
        double warmCompileMs = (System.nanoTime() - c1) / 1e6;

        System.out.printf("%n=== Policy pipeline benchmark (90 days per channel, best of 3) ===%n");
        System.out.printf("default pack compile: cold %.0f ms, warm %.0f ms%n", compileMs, warmCompileMs);
        System.out.printf("%8s %12s %12s %12s %12s %10s %14s %10s%n", "channels", "facts ms", "rules ms", "plan ms",
                "total ms", "rules share", "plain Java ms", "vs plain");
        for (int n : new int[]{100, 1_000, 10_000}) {
            List<FactsCalculator.ChannelLine> lines = new ArrayList<>();
            List<List<DailyPerformance>> histories = new ArrayList<>();
            generate(n, lines, histories);
            double best = Double.MAX_VALUE;
            double[] stages = null;
            double plainBest = Double.MAX_VALUE;
            int shifts = 0;
            for (int rep = 0; rep < 3; rep++) {
                long t0 = System.nanoTime();
                List<ChannelFacts> facts = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    facts.add(FactsCalculator.compute(lines.get(i), histories.get(i), AS_OF, 28));
                }
                long t1 = System.nanoTime();
                Evaluation ev = PolicyEvaluator.evaluate(rules.kieBase(), portfolio(n), facts, false);
                long t2 = System.nanoTime();
                Set<String> held = new HashSet<>();
                ev.holds().forEach(h -> held.add(h.channel()));
                var plan = PlanResolver.resolve(resolverLines(facts), held, ev.proposals(), ev.trims(), ev.boosts(), 20);
                long t3 = System.nanoTime();
                shifts = plan.shifts().size();
                if (rep == 0 && n == 10_000) {
                    System.out.println("firings at 10,000 channels: " + ev.firedRules());
                }
                if (t3 - t0 < best) {
                    best = t3 - t0;
                    stages = new double[]{(t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6};
                }
                long p0 = System.nanoTime();
                List<ChannelFacts> pf = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    pf.add(FactsCalculator.compute(lines.get(i), histories.get(i), AS_OF, 28));
                }
                PlainPolicy.Result pr = PlainPolicy.run(portfolio(n), pf);
                Set<String> pheld = new HashSet<>();
                pr.holds().forEach(h -> pheld.add(h.channel()));
                PlanResolver.resolve(resolverLines(pf), pheld, List.of(), pr.trims(), pr.boosts(), 20);
                plainBest = Math.min(plainBest, (System.nanoTime() - p0) / 1e6);
            }
            double total = best / 1e6;
            System.out.printf("%8d %12.1f %12.1f %12.1f %12.1f %9.0f%% %14.1f %9.2fx   (%d shifts)%n", n, stages[0],
                    stages[1], stages[2], total, 100 * stages[1] / total, plainBest, total / plainBest, shifts);
        }
        System.out.println();
    }

    static PortfolioFacts portfolio(int n) {
        PortfolioFacts p = new PortfolioFacts();
        p.setPortfolio("bench");
        p.setAsOf(AS_OF);
        p.setChannelCount(n);
        p.setContributionMargin(0.35);
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

    /** The default pack's policy written by hand: the baseline the rules are measured against. */
    static final class PlainPolicy {
        record Result(List<Hold> holds, List<Trim> trims, List<Boost> boosts) {
        }

        static final Map<String, double[]> KIND = Map.of("search", new double[]{0.3, 20}, "social", new double[]{0.3, 20},
                "display", new double[]{0.4, 15}, "video", new double[]{0.4, 15}, "commerce", new double[]{0.3, 20},
                "affiliate", new double[]{0.5, 10}, "email", new double[]{0.5, 10}, "other", new double[]{0.5, 10});

        static Result run(PortfolioFacts p, List<ChannelFacts> facts) {
            List<Hold> holds = new ArrayList<>();
            Set<String> held = new HashSet<>();
            for (ChannelFacts c : facts) {
                if (c.isLocked()) {
                    holds.add(new Hold(c.getChannel(), "locked"));
                }
                if (c.getConversions() < p.getMinConversions()) {
                    holds.add(new Hold(c.getChannel(), "conversions"));
                }
                if (c.getDaysOfData() < 7) {
                    holds.add(new Hold(c.getChannel(), "days"));
                }
                if (c.getDaysSinceLastChange() != null && c.getDaysSinceLastChange() < p.getCooldownDays()) {
                    holds.add(new Hold(c.getChannel(), "cooldown"));
                }
                if (c.isDataGap()) {
                    holds.add(new Hold(c.getChannel(), "gap"));
                }
            }
            holds.forEach(h -> held.add(h.channel()));
            List<ChannelFacts> candidates = new ArrayList<>();
            double worst = Double.MAX_VALUE, best = -Double.MAX_VALUE, sum = 0;
            for (ChannelFacts c : facts) {
                double[] k = KIND.get(c.getKind());
                if (c.getMarginalRoas() != null && !held.contains(c.getChannel()) && c.getMarginalRoasConfidence() >= k[0]) {
                    candidates.add(c);
                    worst = Math.min(worst, c.getMarginalRoas());
                    best = Math.max(best, c.getMarginalRoas());
                    sum += c.getMarginalRoas();
                }
            }
            List<Trim> trims = new ArrayList<>();
            List<Boost> boosts = new ArrayList<>();
            Double breakEven = p.getBreakEvenRoas();
            for (ChannelFacts c : facts) {
                if (breakEven != null && c.getRoas() != null && c.getRoas() < breakEven && c.isCanGiveUp()
                        && !held.contains(c.getChannel())) {
                    trims.add(new Trim(c.getChannel(), share(c.getDailyBudget(), p.getMaxShiftPct()), "floor", ""));
                }
            }
            if (candidates.size() < 2) {
                return new Result(holds, trims, boosts);
            }
            double mean = sum / candidates.size();
            boolean noChange = best <= worst * 1.10;
            for (ChannelFacts c : candidates) {
                double m = c.getMarginalRoas();
                if (!noChange && m < mean * 0.95 && c.isCanGiveUp()) {
                    double depth = Math.max(0.25, Math.min(1.0, (mean - m) / Math.max(1e-9, mean - worst)));
                    trims.add(new Trim(c.getChannel(), share(c.getDailyBudget(),
                            Math.min(p.getMaxShiftPct(), KIND.get(c.getKind())[1]) * depth), "trim", ""));
                }
                if (!noChange && m > mean * 1.05 && c.isHasHeadroom()) {
                    boosts.add(new Boost(c.getChannel(), (m - mean) / mean, "boost", ""));
                }
                if (c.getLtvToCac() != null && c.getLtvToCac() < p.getMinLtvToCac() && c.isCanGiveUp()) {
                    trims.add(new Trim(c.getChannel(), share(c.getDailyBudget(), p.getMaxShiftPct()), "ltv", ""));
                }
            }
            return new Result(holds, trims, boosts);
        }

        static BigDecimal share(BigDecimal budget, double pct) {
            return budget.multiply(BigDecimal.valueOf(pct / 100.0)).setScale(2, RoundingMode.DOWN);
        }
    }
}
