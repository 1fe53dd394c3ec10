package io.spendshift.source;

import io.spendshift.market.ChannelModel;
import io.spendshift.market.Market;
import io.spendshift.market.MarketGenerator;
import io.spendshift.metrics.MetricRow;
import io.spendshift.metrics.RawRowReader;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Feeds a portfolio from the simulated market of DESIGN.md: every day up to yesterday that has no metrics
 * yet (at most {@value #HISTORY_DAYS} days back) is simulated from the channel's budget, with pacing noise
 * so that spend varies from day to day as it does on real platforms. Deterministic for a seed.
 */
@ApplicationScoped
public class SimulatedMarketSource implements PerformanceSource {

    public static final int HISTORY_DAYS = 90;
    /** Daily spend deviates from the budget by this share (standard deviation), as platforms pace unevenly. */
    static final double PACING_NOISE = 0.15;

    @Override
    public long pull(Target t, Sink sink) {
        long seed = t.seed() == null ? 42 : t.seed();
        List<ChannelModel> models = new ArrayList<>();
        for (ChannelRef c : t.channels()) {
            models.add(MarketGenerator.forChannel(seed, c.key(), c.kind(), c.dailyBudget().doubleValue()));
        }
        Market market = new Market(seed, models);
        LocalDate yesterday = t.today().minusDays(1);
        List<MetricRow> rows = new ArrayList<>();
        for (int i = 0; i < t.channels().size(); i++) {
            ChannelRef c = t.channels().get(i);
            ChannelModel m = models.get(i);
            double adstock = 0;
            for (BigDecimal s : c.recentSpend()) {
                adstock = Market.adstock(m, adstock, s.doubleValue());
            }
            LocalDate start = c.lastDate() == null ? t.today().minusDays(HISTORY_DAYS) : c.lastDate().plusDays(1);
            if (start.isBefore(t.today().minusDays(HISTORY_DAYS))) {
                start = t.today().minusDays(HISTORY_DAYS);
                adstock = 0;
            }
            for (LocalDate d = start; !d.isAfter(yesterday); d = d.plusDays(1)) {
                double spend = pacedSpend(seed, c.key(), d, c.dailyBudget().doubleValue());
                Market.Day day = market.simulate(i, d.toEpochDay(), spend, adstock);
                adstock = day.adstock();
                rows.add(new MetricRow(c.key(), d, money(spend), day.impressions(), day.clicks(), day.conversions(),
                        money(day.revenue()), day.newCustomers(), day.newCustomers() == 0 ? null : money(day.ltv())));
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        return sink.accept(RawRowReader.of(rows), "simulated-market");
    }

    static double pacedSpend(long seed, String key, LocalDate day, double budget) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + key.hashCode() * 7919L + day.toEpochDay());
        return Math.max(0, budget * (1 + PACING_NOISE * r.nextGaussian()));
    }

    private static BigDecimal money(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_EVEN);
    }
}
