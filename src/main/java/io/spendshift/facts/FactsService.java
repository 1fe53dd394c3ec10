package io.spendshift.facts;

import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.DailyPerformance;
import io.spendshift.policy.FactsCalculator;
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

/**
 * Builds the facts of a cycle from the database: one {@link PortfolioFacts} and one {@link ChannelFacts} per
 * channel, for the day {@code asOf} (default: today in the portfolio's time zone). One query reads all the
 * metrics the window and the marginal estimate need.
 */
@ApplicationScoped
public class FactsService {

    private final MetricHistoryStore metrics;
    private final Clock clock;

    FactsService(MetricHistoryStore metrics, Clock clock) {
        this.metrics = metrics;
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
        Map<Long, List<DailyPerformance>> history = metrics.history(p.id, FactsCalculator.historyStart(asOf, p.lookbackDays), asOf);
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
}
