package io.spendshift.simulation;

import io.spendshift.learning.ChannelHistory;
import io.spendshift.learning.Experiment;
import io.spendshift.learning.ExplorationPolicy;
import io.spendshift.learning.Forecast;
import io.spendshift.learning.PortfolioModel;
import io.spendshift.market.ChannelModel;
import io.spendshift.market.Market;
import io.spendshift.planning.Planner;
import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.DailyPerformance;
import io.spendshift.policy.FactsCalculator;
import io.spendshift.policy.Pacing;
import io.spendshift.policy.Plan;
import io.spendshift.policy.PortfolioFacts;
import org.kie.api.KieBase;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A closed-loop simulation: day after day the simulated market produces yesterday's metrics, the real cycle
 * (the same facts, response model, rules, resolver, exploration and forecast as in production) decides today's
 * budgets, and every plan is applied, as a team approving each would. It never touches a database. The same
 * market is also run with static budgets and with the oracle's split, on the same random numbers, so the three
 * values compare like for like. Because the true curves are known, each applied plan's forecast is checked
 * against the true change of steady-state daily value, and the value the experiments gave up is measured.
 */
public final class ClosedLoop {

    /** Days of history at the starting budgets before the first decision, so facts and estimates exist. */
    public static final int WARM_UP_DAYS = 35;
    public static final LocalDate START = LocalDate.of(2026, 1, 1);

    private ClosedLoop() {
    }

    /** One simulated day: spend, value and each channel's budget; static and oracle value on the same day. */
    public record Day(int day, double spend, double value, double[] budgets, double staticValue, double oracleValue) {
    }

    /**
     * The outcome of one simulation. {@code plans}: plans applied; {@code forecasts}/{@code covered}: applied
     * plans with a forecast, and how many of their intervals held the true change; {@code explorationCost}: true
     * daily value given up by experiments, summed over the run.
     */
    public record Result(int days, double totalSpend, double totalValue, double staticValue, double oracleValue,
                         double upliftCaptured, int changes, List<String> channels, List<Day> daily,
                         double[] oracleBudgets, int plans, int forecasts, int covered, int truthBelow,
                         double explorationCost, int experiments, double sumTruth, double sumForecast) {

        /** upliftCaptured over the last {@code n} days. */
        public double upliftCapturedLast(int n) {
            double v = 0;
            double s = 0;
            double o = 0;
            for (Day d : daily.subList(Math.max(0, daily.size() - n), daily.size())) {
                v += d.value();
                s += d.staticValue();
                o += d.oracleValue();
            }
            return Math.abs(o - s) < 1e-9 ? 1.0 : (v - s) / (o - s);
        }
    }

    public static Result run(MarketSpec spec, PortfolioFacts policy, KieBase rules, int days) {
        return run(spec, policy, rules, days, ExplorationPolicy.DEFAULTS);
    }

    public static Result run(MarketSpec spec, PortfolioFacts policy, KieBase rules, int days, ExplorationPolicy exploration) {
        return run(spec, policy, rules, days, exploration, Map.of());
    }

    /** {@code tags}: the tags of the channels, by channel key (policies that select channels by tag). */
    public static Result run(MarketSpec spec, PortfolioFacts policy, KieBase rules, int days, ExplorationPolicy exploration,
                             Map<String, List<String>> tags) {
        return run(spec, policy, rules, days, exploration, tags, null);
    }

    /**
     * With a budget plan ({@code plan}, null: none): each day's facts carry the pacing facts of the period that day
     * falls in (spend to date from the simulated metrics), and the cycle paces the total daily budget as in
     * production. The simulation starts on 1 January 2026 ({@link #START}).
     */
    public static Result run(MarketSpec spec, PortfolioFacts policy, KieBase rules, int days, ExplorationPolicy exploration,
                             Map<String, List<String>> tags, Pacing.BudgetPlan plan) {
        return run(spec, policy, rules, days, exploration, tags, plan, true);
    }

    /**
     * {@code customerData}: whether the account reports new customers and their long-term value (the team's
     * customer feed); without it, the metrics carry spend, conversions and platform revenue only, as platform
     * exports do, and the facts' value is revenue ({@code valueSource REVENUE}). The market's truth, and the
     * oracle's, is long-term value either way.
     */
    public static Result run(MarketSpec spec, PortfolioFacts policy, KieBase rules, int days, ExplorationPolicy exploration,
                             Map<String, List<String>> tags, Pacing.BudgetPlan plan, boolean customerData) {
        List<ChannelModel> ch = spec.channels();
        Dynamics dyn = spec.dynamics();
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
        double[] oracleBefore = Oracle.allocate(ch, min, max, total);
        double[] oracleAfter = dyn.changeChannel() < 0 ? oracleBefore
                : Oracle.allocate(truth(ch, dyn, dyn.changeDay()), min, max, total);

        // history shared by all three arms: the warm-up at starting budgets
        List<List<DailyPerformance>> history = new ArrayList<>();
        double[] adstock = new double[n];
        for (int i = 0; i < n; i++) {
            history.add(new ArrayList<>());
        }
        // the account has been running at these budgets for a long time: carry-over starts at its steady state (a ramp
        // from zero would be a launch, an experiment real accounts do not offer)
        for (int i = 0; i < n; i++) {
            adstock[i] = start[i] / (1 - ch.get(i).theta()) - start[i];
        }
        for (int d = -WARM_UP_DAYS; d < 0; d++) {
            simulateDay(market, dyn, d, start, adstock, history, customerData);
        }
        double[] staticAd = adstock.clone();
        double[] oracleAd = adstock.clone();
        double[] budgets = start.clone();
        LocalDate[] lastChanged = new LocalDate[n];
        Map<String, Experiment> running = new HashMap<>();
        Map<String, Set<LocalDate>> experimentDays = new HashMap<>();
        List<java.util.NavigableMap<LocalDate, Double>> budgetHistory = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            budgetHistory.add(new java.util.TreeMap<>(Map.of(START.minusDays(WARM_UP_DAYS), start[i])));
        }
        double staticValue = 0;
        double oracleValue = 0;
        double value = 0;
        double spend = 0;
        int changes = 0;
        int plans = 0;
        int forecasts = 0;
        int covered = 0;
        int truthBelow = 0;
        double sumTruth = 0;
        double sumForecast = 0;
        int experiments = 0;
        double explorationCost = 0;
        List<Day> daily = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            LocalDate asOf = START.plusDays(d);
            double[] before = budgets.clone();
            Planner.Decision decision = decide(spec, policy, rules, tags, budgets, min, max, lastChanged, history, asOf,
                    exploration, running, experimentDays, budgetHistory, plan);
            int changed = apply(decision, ch, budgets, lastChanged, asOf);
            List<ChannelModel> now = truth(ch, dyn, d);
            for (int i = 0; i < n; i++) {
                if (budgets[i] != before[i]) {
                    budgetHistory.get(i).put(asOf, budgets[i]);
                }
            }
            if (changed > 0) {
                changes += changed;
                plans++;
                Forecast f = decision.forecast();
                if (f.available()) {
                    forecasts++;
                    double truth = 0;
                    for (int i = 0; i < n; i++) {
                        truth += now.get(i).steadyValue(budgets[i]) - now.get(i).steadyValue(before[i]);
                    }
                    sumTruth += truth;
                    sumForecast += f.valuePerDay().expected();
                    if (f.valuePerDay().contains(truth)) {
                        covered++;
                    } else if (truth < f.valuePerDay().low()) {
                        truthBelow++;
                    }
                }
                for (String c : decision.closedExperiments()) {
                    running.remove(c);
                }
                for (Experiment e : decision.experiments()) {
                    running.put(e.channel(), e);
                    experiments++;
                }
            }
            for (int i = 0; i < n; i++) {
                Experiment e = running.get(ch.get(i).key());
                if (e != null) {
                    if (asOf.isBefore(e.until())) {
                        experimentDays.computeIfAbsent(e.channel(), k -> new HashSet<>()).add(asOf);
                    }
                    explorationCost += now.get(i).steadyValue(budgets[i] - e.amount().doubleValue())
                            - now.get(i).steadyValue(budgets[i]);
                }
            }
            double[] out = simulateDay(market, dyn, d, budgets, adstock, history, customerData);
            value += out[1];
            spend += out[0];
            double sv = simulateDay(market, dyn, d, start, staticAd, null, true)[1];
            double ov = simulateDay(market, dyn, d, d >= dyn.changeDay() ? oracleAfter : oracleBefore, oracleAd, null,
                    true)[1];
            staticValue += sv;
            oracleValue += ov;
            daily.add(new Day(d, out[0], out[1], budgets.clone(), sv, ov));
        }
        double denom = oracleValue - staticValue;
        double uplift = Math.abs(denom) < 1e-9 ? 1.0 : (value - staticValue) / denom;
        return new Result(days, spend, value, staticValue, oracleValue, uplift, changes,
                ch.stream().map(ChannelModel::key).toList(), daily, oracleAfter, plans, forecasts, covered, truthBelow,
                explorationCost, experiments, sumTruth, sumForecast);
    }

    /** The channel models as they truly are on a day (a channel whose response changed has its new reach). */
    static List<ChannelModel> truth(List<ChannelModel> ch, Dynamics dyn, int day) {
        List<ChannelModel> out = new ArrayList<>(ch.size());
        for (int i = 0; i < ch.size(); i++) {
            ChannelModel c = ch.get(i);
            double f = dyn.reach(i, day);
            out.add(f == 1 ? c : new ChannelModel(c.key(), c.kind(), c.reach() * f, c.alpha(), c.kappa(), c.theta(),
                    c.aov(), c.ltv(), c.noise(), c.cpc(), c.ctr(), c.ordersPerCustomer(), c.minBudget(), c.maxBudget(),
                    c.initialBudget()));
        }
        return out;
    }

    /** Runs the real cycle for {@code asOf} on the history so far. */
    static Planner.Decision decide(MarketSpec spec, PortfolioFacts policyTemplate, KieBase rules,
                                   Map<String, List<String>> tags, double[] budgets,
                                   double[] min, double[] max, LocalDate[] lastChanged,
                                   List<List<DailyPerformance>> history, LocalDate asOf, ExplorationPolicy exploration,
                                   Map<String, Experiment> running, Map<String, Set<LocalDate>> experimentDays,
                                   List<java.util.NavigableMap<LocalDate, Double>> budgetHistory,
                                   Pacing.BudgetPlan plan) {
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
                    money(min[i]), money(max[i]), false, lastChanged[i], null, tags.getOrDefault(ch.get(i).key(),
                    List.of())), history.get(i), asOf, p.getLookbackDays(), p.getBreakEvenRoas()));
            histories.add(new ChannelHistory(ch.get(i).key(), budgets[i], history.get(i),
                    experimentDays.getOrDefault(ch.get(i).key(), Set.of()), budgetHistory.get(i)));
        }
        p.setTotalBudget(total);
        p.setChannelCount(ch.size());
        p.setMonthToDateSpend(facts.stream().map(ChannelFacts::getMonthToDateSpend).reduce(BigDecimal.ZERO, BigDecimal::add));
        Pacing.Period period = Pacing.period(plan, asOf);
        if (period != null) {
            BigDecimal spent = BigDecimal.ZERO;
            for (List<DailyPerformance> h : history) {
                for (DailyPerformance day : h) {
                    if (!day.date().isBefore(period.from()) && day.date().isBefore(asOf)) {
                        spent = spent.add(day.spend());
                    }
                }
            }
            Pacing.annotate(p, plan, period, spent);
        }
        PortfolioModel model = PortfolioModel.fit(histories, asOf);
        model.annotate(facts);
        return Planner.decide(rules, new Planner.Input(p, facts, model, exploration,
                new ArrayList<>(running.values()), spec.seed()), false);
    }

    /** Applies a plan to the budgets; returns the channels changed. */
    static int apply(Planner.Decision decision, List<ChannelModel> ch, double[] budgets, LocalDate[] lastChanged,
                     LocalDate asOf) {
        int changed = 0;
        for (int i = 0; i < ch.size(); i++) {
            Plan.Allocation a = decision.plan().allocations().get(i);
            if (a.delta().signum() != 0) {
                budgets[i] = a.proposedBudget().doubleValue();
                lastChanged[i] = asOf;
                changed++;
            }
        }
        return changed;
    }

    /**
     * Simulates one day at the given budgets (with pacing noise, the day's demand and any change of response);
     * appends metrics when {@code history} is given.
     */
    static double[] simulateDay(Market market, Dynamics dyn, int d, double[] budgets, double[] adstock,
                                List<List<DailyPerformance>> history, boolean customerData) {
        double spend = 0;
        double value = 0;
        double z = new SplittableRandom(market.seed() * 2_000_003L + d).nextGaussian();
        for (int i = 0; i < budgets.length; i++) {
            SplittableRandom pace = new SplittableRandom(market.seed() * 1_000_003L + i * 7919L + d);
            double demand = dyn.demand(i, z);
            double x = Math.max(0, budgets[i] * (1 + dyn.pacingNoise() * pace.nextGaussian()) * demand);
            Market.Day day = market.simulate(i, d, x, adstock[i], demand * dyn.reach(i, d));
            adstock[i] = day.adstock();
            spend += x;
            value += day.value();
            if (history != null) {
                history.get(i).add(customerData
                        ? new DailyPerformance(START.plusDays(d), money(x), day.conversions(), money(day.revenue()),
                                day.newCustomers(), day.newCustomers() == 0 ? null : money(day.ltv()))
                        : new DailyPerformance(START.plusDays(d), money(x), (double) day.conversions(),
                                money(day.revenue()), null, null));
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
