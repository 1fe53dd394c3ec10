package io.spendshift.facts;

import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.DailyPerformance;
import io.spendshift.policy.FactsCalculator;
import io.spendshift.policy.Pacing;
import io.spendshift.policy.PortfolioFacts;
import io.spendshift.portfolio.Channel;
import io.spendshift.portfolio.Portfolio;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.spendshift.common.SqlValues;
import io.spendshift.learning.ChannelHistory;
import io.spendshift.learning.Experiment;
import jakarta.persistence.EntityManager;
import java.util.HashMap;
import java.util.HashSet;
import io.spendshift.learning.PortfolioModel;

/**
 * Builds the facts of a cycle from the database: one {@link PortfolioFacts} and one {@link ChannelFacts} per
 * channel, for the day {@code asOf} (default: today in the portfolio's time zone). One query reads all the
 * metrics the window and the marginal estimate need.
 */
@ApplicationScoped
public class FactsService implements io.spendshift.rules.CurrentFacts {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule());

    private final MetricHistoryStore metrics;
    private final Clock clock;
    private final EntityManager em;

    FactsService(MetricHistoryStore metrics, Clock clock, EntityManager em) {
        this.metrics = metrics;
        this.clock = clock;
        this.em = em;
    }

    /** The facts of one portfolio for one day. */
    /** The facts the rules see, and the response model fitted on the same history (for exploration and forecasts). */
    public record Facts(PortfolioFacts portfolio, List<ChannelFacts> channels, PortfolioModel model) {
    }

    @Override
    public io.spendshift.rules.CurrentFacts.Sample today(String portfolioKey) {
        Facts f = facts(portfolioKey, null);
        return new io.spendshift.rules.CurrentFacts.Sample(f.portfolio(), f.channels());
    }

    /** What the response model learns a portfolio's channels from, by channel id: metrics, experiment days, budgets. */
    private record Learnt(Map<Long, List<DailyPerformance>> history, Map<Long, Set<LocalDate>> experimentDays,
                          Map<Long, java.util.NavigableMap<LocalDate, Double>> budgets) {

        ChannelHistory of(Channel c, BigDecimal budget) {
            return new ChannelHistory(c.key, budget.doubleValue(), history.getOrDefault(c.id, List.of()),
                    experimentDays.getOrDefault(c.id, Set.of()), budgets.get(c.id));
        }
    }

    /** The facts' history (lookback or the model's window, whichever is longer) and the model's other inputs, before {@code day}. */
    private Learnt learnt(Portfolio p, LocalDate day) {
        return new Learnt(history(p, FactsCalculator.historyStart(day, p.lookbackDays), day),
                experimentDays(p, day), budgetHistory(p, day));
    }

    /**
     * The metric history every consumer reads (facts, the response model, forecasts, verification): where a
     * channel-day rests on revenue only and the policy sets a long-term multiplier for the channel's kind
     * ({@code policy.ltvMultiplier}), its value is revenue times that multiplier.
     */
    private Map<Long, List<DailyPerformance>> history(Portfolio p, LocalDate from, LocalDate to) {
        Map<Long, List<DailyPerformance>> history = metrics.history(p.id, from, to);
        Map<String, BigDecimal> multipliers = io.spendshift.portfolio.PortfolioSettings.ltvMultipliers(p);
        if (multipliers.isEmpty()) {
            return history;
        }
        for (Channel c : Channel.ofPortfolio(p)) {
            BigDecimal m = multipliers.get(c.kind.json());
            List<DailyPerformance> days = history.get(c.id);
            if (m == null || days == null) {
                continue;
            }
            List<DailyPerformance> scaled = new ArrayList<>(days.size());
            for (DailyPerformance d : days) {
                scaled.add(d.valueSource() == DailyPerformance.ValueSource.REVENUE
                        ? d.withRevenueMultiplier(m.doubleValue()) : d);
            }
            history.put(c.id, scaled);
        }
        return history;
    }

    /** In a transaction of its own unless the caller has one: callers include scheduler threads, which have none. */
    @Transactional
    public Facts facts(String key, LocalDate asOfOrNull) {
        Portfolio p = Portfolio.require(key);
        LocalDate asOf = asOfOrNull == null ? p.today(clock) : asOfOrNull;
        List<Channel> channels = Channel.ofPortfolio(p);
        Learnt learnt = learnt(p, asOf);
        Map<Long, List<DailyPerformance>> history = learnt.history();
        List<ChannelFacts> facts = new ArrayList<>(channels.size());
        List<ChannelHistory> histories = new ArrayList<>(channels.size());
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal monthToDate = BigDecimal.ZERO;
        Double breakEven = p.contributionMargin == null || p.contributionMargin.signum() <= 0 ? null
                : 1.0 / p.contributionMargin.doubleValue();
        for (Channel c : channels) {
            List<DailyPerformance> days = history.getOrDefault(c.id, List.of());
            ChannelFacts cf = FactsCalculator.compute(new FactsCalculator.ChannelLine(c.key, c.kind.json(),
                    c.dailyBudget, c.minDailyBudget, c.maxDailyBudget, c.locked, c.lastChangedOn, c.platform,
                    c.tagList()), days, asOf, p.lookbackDays, breakEven);
            facts.add(cf);
            monthToDate = monthToDate.add(cf.getMonthToDateSpend());
            histories.add(learnt.of(c, c.dailyBudget));
            total = total.add(c.dailyBudget);
        }
        PortfolioModel model = PortfolioModel.fit(histories, asOf);
        model.annotate(facts);
        PortfolioFacts pf = portfolioFacts(p, asOf, total, channels.size());
        pf.setMonthToDateSpend(monthToDate);
        pace(p, pf);
        for (io.spendshift.portfolio.PortfolioDtos.FreezeView fz : io.spendshift.portfolio.PortfolioSettings.freeze(JSON, p.freeze)) {
            if (!asOf.isBefore(fz.from()) && !asOf.isAfter(fz.to())) {
                pf.setFrozen(true);
                pf.setFreezeReason(fz.reason() == null ? "freeze " + fz.from() + " to " + fz.to() : fz.reason());
                break;
            }
        }
        return new Facts(pf, facts, model);
    }

    /**
     * The days on which a designed experiment ran on each channel, by channel id: every day of
     * {@code [starts_on, until)} before {@code asOf} of the experiments of applied recommendations (ACTIVE rows of
     * {@code experiment}; planned ones never ran).
     */
    @Transactional
    public Map<Long, Set<LocalDate>> experimentDays(Portfolio p, LocalDate asOf) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT channel_id, starts_on, until FROM experiment"
                        + " WHERE portfolio_id = ?1 AND status IN ('ACTIVE', 'DONE') AND starts_on < ?2")
                .setParameter(1, p.id).setParameter(2, asOf).getResultList();
        Map<Long, Set<LocalDate>> out = new HashMap<>();
        for (Object[] r : rows) {
            LocalDate from = SqlValues.date(r[1]);
            LocalDate until = SqlValues.date(r[2]);
            LocalDate end = until.isBefore(asOf) ? until : asOf;
            Set<LocalDate> days = out.computeIfAbsent(((Number) r[0]).longValue(), k -> new HashSet<>());
            for (LocalDate d = from; d.isBefore(end); d = d.plusDays(1)) {
                days.add(d);
            }
        }
        return out;
    }

    /**
     * Each channel's daily budget over time, by channel id, from the budget ledger (plans applied before
     * {@code asOf}): the budget before the first change, then each change's from its effective date. A channel
     * never changed by a plan has none (its budget is taken as constant). The response model learns from budget
     * moves rather than from spend that strays with demand.
     */
    @Transactional
    public Map<Long, java.util.NavigableMap<LocalDate, Double>> budgetHistory(Portfolio p, LocalDate asOf) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT b.channel_id, b.effective_on, b.budget_before, b.budget_after"
                        + " FROM budget_change b JOIN channel c ON c.id = b.channel_id WHERE c.portfolio_id = ?1"
                        + " AND b.effective_on < ?2 ORDER BY b.channel_id, b.effective_on, b.id")
                .setParameter(1, p.id).setParameter(2, asOf).getResultList();
        Map<Long, java.util.NavigableMap<LocalDate, Double>> out = new HashMap<>();
        for (Object[] r : rows) {
            java.util.NavigableMap<LocalDate, Double> m = out.computeIfAbsent(((Number) r[0]).longValue(),
                    k -> new java.util.TreeMap<>());
            if (m.isEmpty()) {
                m.put(LocalDate.MIN, ((Number) r[2]).doubleValue());
            }
            m.put(SqlValues.date(r[1]), ((Number) r[3]).doubleValue());
        }
        return out;
    }

    /**
     * The experiments whose move is still in the budgets on {@code asOf}: those of applied recommendations that
     * started and have not been undone yet, whether their block is over or not (the designer undoes ended ones).
     */
    @Transactional
    public List<Experiment> runningExperiments(long portfolioId, LocalDate asOf) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT c.ckey, e.amount, e.delta_pct, e.reason, e.starts_on, e.until"
                        + " FROM experiment e JOIN channel c ON c.id = e.channel_id WHERE e.portfolio_id = ?1"
                        + " AND e.status = 'ACTIVE' AND e.starts_on <= ?2 ORDER BY e.id")
                .setParameter(1, portfolioId).setParameter(2, asOf).getResultList();
        List<Experiment> out = new ArrayList<>();
        for (Object[] r : rows) {
            out.add(new Experiment((String) r[0], (BigDecimal) r[1], ((Number) r[2]).doubleValue(), (String) r[3],
                    SqlValues.date(r[4]), SqlValues.date(r[5])));
        }
        return out;
    }

    /**
     * The response model as it was before {@code day}: fitted on the history before it, each channel at the budget
     * it had then ({@code budgets}; a channel not named there at its budget now). For verification.
     */
    @Transactional
    public PortfolioModel modelBefore(String key, LocalDate day, Map<String, BigDecimal> budgets) {
        Portfolio p = Portfolio.require(key);
        Learnt learnt = learnt(p, day);
        List<ChannelHistory> histories = new ArrayList<>();
        for (Channel c : Channel.ofPortfolio(p)) {
            histories.add(learnt.of(c, budgets.getOrDefault(c.key, c.dailyBudget)));
        }
        return PortfolioModel.fit(histories, day);
    }

    /** Each channel's days of {@code [from, to)}, by channel key, in date order. */
    @Transactional
    public Map<String, List<DailyPerformance>> days(String key, LocalDate from, LocalDate to) {
        Portfolio p = Portfolio.require(key);
        Map<Long, List<DailyPerformance>> history = history(p, from, to);
        Map<String, List<DailyPerformance>> out = new java.util.LinkedHashMap<>();
        for (Channel c : Channel.ofPortfolio(p)) {
            List<DailyPerformance> days = new ArrayList<>(history.getOrDefault(c.id, List.of()));
            days.sort(java.util.Comparator.comparing(DailyPerformance::date));
            out.put(c.key, days);
        }
        return out;
    }

    /** The pacing facts of the portfolio's budget plan for {@code asOf}, when a period covers it. */
    private void pace(Portfolio p, PortfolioFacts pf) {
        Pacing.BudgetPlan plan = budgetPlan(p);
        Pacing.Period period = Pacing.period(plan, pf.getAsOf());
        if (period != null) {
            Pacing.annotate(pf, plan, period, metrics.spend(p.id, period.from(), pf.getAsOf()));
        }
    }

    /** The portfolio's budget plan for pacing, or null without one. */
    public static Pacing.BudgetPlan budgetPlan(Portfolio p) {
        return io.spendshift.portfolio.PortfolioSettings.plan(p).map(v -> new Pacing.BudgetPlan(v.monthlyBudget(),
                v.flights().stream().map(f -> new Pacing.Flight(f.from(), f.to(), f.budget())).toList(),
                v.maxDailyChangePct())).orElse(null);
    }

    static PortfolioFacts portfolioFacts(Portfolio p, LocalDate asOf, BigDecimal total, int channelCount) {
        PortfolioFacts f = new PortfolioFacts();
        f.setPortfolio(p.key);
        f.setAsOf(asOf);
        f.setWindowFrom(asOf.minusDays(p.lookbackDays));
        f.setWindowTo(asOf.minusDays(1));
        f.setLookbackDays(p.lookbackDays);
        f.setMaxShiftPct(p.maxShiftPct.doubleValue());
        f.setMinConversions(p.minConversions);
        f.setCooldownDays(p.cooldownDays);
        f.setAutoApplyMaxShiftPct(p.autoApplyMaxShiftPct.doubleValue());
        f.setTargetRoas(p.targetRoas == null ? null : p.targetRoas.doubleValue());
        f.setContributionMargin(p.contributionMargin == null ? null : p.contributionMargin.doubleValue());
        f.setMinLtvToCac(p.minLtvToCac.doubleValue());
        f.setTotalBudget(total);
        f.setChannelCount(channelCount);
        return f;
    }
}
