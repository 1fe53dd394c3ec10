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
import java.util.Set;
import io.spendshift.learning.ChannelHistory;
import io.spendshift.learning.PortfolioModel;

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
    /** The facts the rules see, and the response model fitted on the same history (for exploration and forecasts). */
    public record Facts(PortfolioFacts portfolio, List<ChannelFacts> channels, PortfolioModel model) {
    }

    /** In a transaction of its own unless the caller has one: callers include scheduler threads, which have none. */
    @Transactional
    public Facts facts(String key, LocalDate asOfOrNull) {
        Portfolio p = Portfolio.require(key);
        LocalDate asOf = asOfOrNull == null ? p.today(clock) : asOfOrNull;
        List<Channel> channels = Channel.ofPortfolio(p);
        Map<Long, List<DailyPerformance>> history = metrics.history(p.id, FactsCalculator.historyStart(asOf, p.lookbackDays), asOf);
        Map<Long, Set<LocalDate>> experimentDays = experimentDays(p, asOf);
        List<ChannelFacts> facts = new ArrayList<>(channels.size());
        List<ChannelHistory> histories = new ArrayList<>(channels.size());
        BigDecimal total = BigDecimal.ZERO;
        for (Channel c : channels) {
            List<DailyPerformance> days = history.getOrDefault(c.id, List.of());
            facts.add(FactsCalculator.compute(new FactsCalculator.ChannelLine(c.key, c.kind.json(), c.dailyBudget,
                            c.minDailyBudget, c.maxDailyBudget, c.locked, c.lastChangedOn), days, asOf, p.lookbackDays));
            histories.add(new ChannelHistory(c.key, c.dailyBudget.doubleValue(), days,
                    experimentDays.getOrDefault(c.id, Set.of())));
            total = total.add(c.dailyBudget);
        }
        PortfolioModel model = PortfolioModel.fit(histories, asOf);
        model.annotate(facts);
        return new Facts(portfolioFacts(p, asOf, total, channels.size()), facts, model);
    }

    /** The days on which a designed experiment ran on each channel (none until experiments are stored). */
    private Map<Long, Set<LocalDate>> experimentDays(Portfolio p, LocalDate asOf) {
        return Map.of();
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
