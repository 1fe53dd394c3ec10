package io.spendshift.facts;

import io.spendshift.common.SqlValues;
import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.DailyPerformance;
import io.spendshift.policy.FactsCalculator;
import io.spendshift.policy.PortfolioFacts;
import io.spendshift.portfolio.Channel;
import io.spendshift.portfolio.Portfolio;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the facts of a cycle from the database: one {@link PortfolioFacts} and one {@link ChannelFacts} per
 * channel, for the day {@code asOf} (default: today in the portfolio's time zone). One query reads all the
 * metrics the window and the marginal estimate need.
 */
@ApplicationScoped
public class FactsService {

    private final EntityManager em;
    private final Clock clock;

    FactsService(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /** The facts of one portfolio for one day. */
    public record Facts(PortfolioFacts portfolio, List<ChannelFacts> channels) {
    }

    /** In a transaction of its own unless the caller has one: callers include scheduler threads, which have none. */
    @Transactional
    public Facts facts(String key, LocalDate asOfOrNull) {
        Portfolio p = Portfolio.require(key);
        LocalDate asOf = asOfOrNull == null ? p.today(clock) : asOfOrNull;
        List<Channel> channels = Channel.ofPortfolio(p);
        Map<Long, List<DailyPerformance>> history = history(p, FactsCalculator.historyStart(asOf, p.lookbackDays), asOf);
        List<ChannelFacts> facts = new ArrayList<>(channels.size());
        BigDecimal total = BigDecimal.ZERO;
        for (Channel c : channels) {
            facts.add(FactsCalculator.compute(new FactsCalculator.ChannelLine(c.key, c.kind.json(), c.dailyBudget,
                            c.minDailyBudget, c.maxDailyBudget, c.locked, c.lastChangedOn),
                    history.getOrDefault(c.id, List.of()), asOf, p.lookbackDays));
            total = total.add(c.dailyBudget);
        }
        return new Facts(portfolioFacts(p, asOf, total, channels.size()), facts);
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

    private Map<Long, List<DailyPerformance>> history(Portfolio p, LocalDate from, LocalDate asOf) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT m.channel_id, m.mdate, m.spend, m.conversions, m.revenue,"
                        + " m.new_customers, m.ltv FROM metric m JOIN channel c ON c.id = m.channel_id"
                        + " WHERE c.portfolio_id = ?1 AND m.mdate >= ?2 AND m.mdate < ?3")
                .setParameter(1, p.id).setParameter(2, from).setParameter(3, asOf).getResultList();
        Map<Long, List<DailyPerformance>> out = new HashMap<>();
        for (Object[] r : rows) {
            LocalDate d = SqlValues.date(r[1]);
            out.computeIfAbsent(((Number) r[0]).longValue(), k -> new ArrayList<>()).add(new DailyPerformance(d,
                    (BigDecimal) r[2], ((Number) r[3]).longValue(), (BigDecimal) r[4], ((Number) r[5]).longValue(),
                    (BigDecimal) r[6]));
        }
        return out;
    }
}
