package io.spendshift.simulation;

import io.spendshift.market.ChannelModel;
import io.spendshift.market.Market;
import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.DailyPerformance;
import io.spendshift.policy.FactsCalculator;
import io.spendshift.policy.Plan;
import io.spendshift.policy.PortfolioFacts;
import io.spendshift.learning.ChannelHistory;
import io.spendshift.learning.ExplorationPolicy;
import io.spendshift.learning.PortfolioModel;
import io.spendshift.planning.Planner;
import org.kie.api.KieBase;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A closed-loop simulation: day after day the simulated market produces yesterday's metrics, the real cycle
 * (the same facts, rules, resolver and guardrails as in production) decides today's budgets, and they are
 * applied. It never touches a database. The same market is also run with static budgets and with the
 * oracle's split, on the same random numbers, so the three values compare like for like.
 */
public final class ClosedLoop {

    /** Days of history at the starting budgets before the first decision, so facts and estimates exist. */
    public static final int WARM_UP_DAYS = 35;
    static final LocalDate START = LocalDate.of(2026, 1, 1);
    static final double PACING_NOISE = 0.15;

    private ClosedLoop() {
    }

    /** One simulated day: spend, value and each channel's budget. */
    public record Day(int day, double spend, double value, double[] budgets) {
    }

    /** The outcome of one simulation. */
    public record Result(int days, double totalSpend, double totalValue, double staticValue, double oracleValue,
                         double upliftCaptured, int changes, List<String> channels, List<Day> daily,
                         double[] oracleBudgets) {
    }

    public static Result run(MarketSpec spec, PortfolioFacts policy, KieBase rules, int days) {
        List<ChannelModel> ch = spec.channels();
        int n = ch.size();
        Market market = new Market(spec.seed(), ch);
        double[] start = new double[n];
        double[] min = new double[n];
        double[] max = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            start[i] = ch.get(i).initialBudget();
            min[i] = ch.get(i).minBudget();
            max[i] = ch.get(i).maxBudget();
            total += start[i];
        }
        double[] oracle = Oracle.allocate(ch, min, max, total);

        // history shared by all three arms: the warm-up at starting budgets
        List<List<DailyPerformance>> history = new ArrayList<>();
        double[] adstock = new double[n];
        for (int i = 0; i < n; i++) {
            history.add(new ArrayList<>());
        }
        for (int d = -WARM_UP_DAYS; d < 0; d++) {
            simulateDay(market, d, start, adstock, history);
        }
        double[] staticAd = adstock.clone();
        double[] oracleAd = adstock.clone();
        double[] budgets = start.clone();
        LocalDate[] lastChanged = new LocalDate[n];
        double staticValue = 0;
        double oracleValue = 0;
        double value = 0;
        double spend = 0;
        int changes = 0;
        List<Day> daily = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            LocalDate asOf = START.plusDays(d);
            changes += decide(spec, policy, rules, budgets, min, max, lastChanged, history, asOf);
            double[] out = simulateDay(market, d, budgets, adstock, history);
            value += out[1];
            spend += out[0];
            daily.add(new Day(d, out[0], out[1], budgets.clone()));
            staticValue += simulateDay(market, d, start, staticAd, null)[1];
            oracleValue += simulateDay(market, d, oracle, oracleAd, null)[1];
        }
        double denom = oracleValue - staticValue;
        double uplift = Math.abs(denom) < 1e-9 ? 1.0 : (value - staticValue) / denom;
        return new Result(days, spend, value, staticValue, oracleValue, uplift, changes,
                ch.stream().map(ChannelModel::key).toList(), daily, oracle);
    }

    /** Runs the real cycle for {@code asOf} on the history so far; applies the plan; returns the channels changed. */
    static int decide(MarketSpec spec, PortfolioFacts policyTemplate, KieBase rules, double[] budgets, double[] min,
                      double[] max, LocalDate[] lastChanged, List<List<DailyPerformance>> history, LocalDate asOf) {
        List<ChannelModel> ch = spec.channels();
        PortfolioFacts p = copy(policyTemplate);
        p.setAsOf(asOf);
        p.setWindowFrom(asOf.minusDays(p.getLookbackDays()));
        p.setWindowTo(asOf.minusDays(1));
        List<ChannelFacts> facts = new ArrayList<>();
        List<ChannelHistory> histories = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < ch.size(); i++) {
            BigDecimal b = money(budgets[i]);
            total = total.add(b);
            facts.add(FactsCalculator.compute(new FactsCalculator.ChannelLine(ch.get(i).key(), ch.get(i).kind(), b,
                    money(min[i]), money(max[i]), false, lastChanged[i]), history.get(i), asOf, p.getLookbackDays()));
            histories.add(new ChannelHistory(ch.get(i).key(), budgets[i], history.get(i), Set.of()));
        }
        p.setTotalBudget(total);
        p.setChannelCount(ch.size());
        PortfolioModel model = PortfolioModel.fit(histories, asOf);
        model.annotate(facts);
        Plan plan = Planner.decide(rules, new Planner.Input(p, facts, model, ExplorationPolicy.OFF, List.of(),
                spec.seed()), false).plan();
        int changed = 0;
        for (int i = 0; i < ch.size(); i++) {
            Plan.Allocation a = plan.allocations().get(i);
            if (a.delta().signum() != 0) {
                budgets[i] = a.proposedBudget().doubleValue();
                lastChanged[i] = asOf;
                changed++;
            }
        }
        return changed;
    }

    /** Simulates one day at the given budgets (with pacing noise); appends metrics when {@code history} is given. */
    static double[] simulateDay(Market market, int d, double[] budgets, double[] adstock,
                                List<List<DailyPerformance>> history) {
        double spend = 0;
        double value = 0;
        for (int i = 0; i < budgets.length; i++) {
            SplittableRandom pace = new SplittableRandom(market.seed() * 1_000_003L + i * 7919L + d);
            double x = Math.max(0, budgets[i] * (1 + PACING_NOISE * pace.nextGaussian()));
            Market.Day day = market.simulate(i, d, x, adstock[i]);
            adstock[i] = day.adstock();
            spend += x;
            value += day.value();
            if (history != null) {
                history.get(i).add(new DailyPerformance(START.plusDays(d), money(x), day.conversions(),
                        money(day.revenue()), day.newCustomers(), day.newCustomers() == 0 ? null : money(day.ltv())));
            }
        }
        return new double[]{spend, value};
    }

    static PortfolioFacts copy(PortfolioFacts t) {
        PortfolioFacts p = new PortfolioFacts();
        p.setPortfolio(t.getPortfolio() == null ? "simulation" : t.getPortfolio());
        p.setLookbackDays(t.getLookbackDays());
        p.setMaxShiftPct(t.getMaxShiftPct());
        p.setMinConversions(t.getMinConversions());
        p.setCooldownDays(t.getCooldownDays());
        p.setAutoApplyMaxShiftPct(t.getAutoApplyMaxShiftPct());
        p.setTargetRoas(t.getTargetRoas());
        p.setContributionMargin(t.getContributionMargin());
        p.setMinLtvToCac(t.getMinLtvToCac());
        return p;
    }

    static BigDecimal money(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_EVEN);
    }
}
