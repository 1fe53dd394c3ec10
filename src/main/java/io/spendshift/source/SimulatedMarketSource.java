package io.spendshift.source;

import io.spendshift.market.ChannelModel;
import io.spendshift.market.Market;
import io.spendshift.market.MarketGenerator;
import io.spendshift.metrics.MetricRow;
import io.spendshift.metrics.RawRowReader;
import io.spendshift.outcome.OutcomeIngestService;
import io.spendshift.security.Actors;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 * <p>
 * A portfolio can be {@linkplain #calibrate calibrated} to look like an account (the demo): its channels then
 * return the ROAS and LTV:CAC asked for, its metric rows carry what platforms report (no new customers, no LTV),
 * and the channels on a customer feed get their new customers and LTV as outcome rows, as a CRM export would.
 */
@ApplicationScoped
public class SimulatedMarketSource implements PerformanceSource {

    public static final int HISTORY_DAYS = 90;
    /** Daily spend deviates from the budget by this share (standard deviation), as platforms pace unevenly. */
    static final double PACING_NOISE = 0.15;

    /** What one calibrated channel returns at its budget, and whether the team feeds its customer value. */
    public record Calibration(double roas, double ltvToCac, boolean customerFeed) {
    }

    private final OutcomeIngestService outcomes;
    /** Per portfolio, per channel key; set at start-up (in memory: the demo seeder sets it at every start). */
    private final Map<String, Map<String, Calibration>> calibrations = new ConcurrentHashMap<>();

    SimulatedMarketSource(OutcomeIngestService outcomes) {
        this.outcomes = outcomes;
    }

    /** Makes the portfolio's simulated channels look like an account from the next pull on (see the class). */
    public void calibrate(String portfolio, Map<String, Calibration> channels) {
        calibrations.put(portfolio, Map.copyOf(channels));
    }

    @Override
    public long pull(Target t, Sink sink) {
        long seed = t.seed() == null ? 42 : t.seed();
        Map<String, Calibration> calibrated = calibrations.getOrDefault(t.portfolio(), Map.of());
        boolean platformRows = !calibrated.isEmpty();
        List<ChannelModel> models = new ArrayList<>();
        for (ChannelRef c : t.channels()) {
            Calibration k = calibrated.get(c.key());
            double budget = c.dailyBudget().doubleValue();
            models.add(k == null ? MarketGenerator.forChannel(seed, c.key(), c.kind(), budget)
                    : MarketGenerator.calibrated(seed, c.key(), c.kind(), Math.max(1, budget), k.roas(), k.ltvToCac()));
        }
        Market market = new Market(seed, models);
        LocalDate yesterday = t.today().minusDays(1);
        List<MetricRow> rows = new ArrayList<>();
        StringBuilder feed = new StringBuilder("channel,date,newCustomers,ltv\n");
        int fed = 0;
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
                BigDecimal ltv = day.newCustomers() == 0 ? null : money(day.ltv());
                if (platformRows) {
                    // what an ad platform reports: no new customers, no long-term value
                    rows.add(new MetricRow(c.key(), d, money(spend), day.impressions(), day.clicks(),
                            BigDecimal.valueOf(day.conversions()), money(day.revenue()), null, null));
                    Calibration k = calibrated.get(c.key());
                    if (k != null && k.customerFeed()) {
                        feed.append(c.key()).append(',').append(d).append(',').append(day.newCustomers()).append(',')
                                .append(ltv == null ? "0" : ltv.toPlainString()).append('\n');
                        fed++;
                    }
                } else {
                    rows.add(new MetricRow(c.key(), d, money(spend), day.impressions(), day.clicks(),
                            day.conversions(), money(day.revenue()), day.newCustomers(), ltv));
                }
            }
        }
        if (rows.isEmpty()) {
            return 0;
        }
        long stored = sink.accept(RawRowReader.of(rows), "simulated-market");
        if (fed > 0) {
            outcomes.ingestCsv(t.portfolio(), new ByteArrayInputStream(feed.toString().getBytes(StandardCharsets.UTF_8)),
                    Actors.SYSTEM, "simulated-market", null);
        }
        return stored;
    }

    static double pacedSpend(long seed, String key, LocalDate day, double budget) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + key.hashCode() * 7919L + day.toEpochDay());
        return Math.max(0, budget * (1 + PACING_NOISE * r.nextGaussian()));
    }

    private static BigDecimal money(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_EVEN);
    }
}
