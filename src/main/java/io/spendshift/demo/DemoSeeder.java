package io.spendshift.demo;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.spendshift.SpendshiftConfig;
import io.spendshift.security.Actors;
import io.spendshift.portfolio.Portfolio;
import io.spendshift.portfolio.PortfolioDtos.ChannelInput;
import io.spendshift.portfolio.PortfolioDtos.PortfolioInput;
import io.spendshift.portfolio.PortfolioDtos.SourceInput;
import io.spendshift.portfolio.PortfolioService;
import io.spendshift.source.SimulatedMarketSource;
import io.spendshift.source.SourceService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * In demo mode, makes sure the {@code demo} portfolio exists: six channels of different kinds fed by the
 * simulated market, with 90 days of history on first start and a new day at every poll after that. The market is
 * calibrated to look like an account: first-order ROAS 1.7 to 5, LTV:CAC 1.0 to 4.2, metric rows as platforms
 * report them (no new customers, no LTV), and the team's customer value as an outcomes feed for every channel
 * but online video, left on platform revenue so the console shows both.
 */
@ApplicationScoped
public class DemoSeeder {

    private static final Logger LOG = Logger.getLogger(DemoSeeder.class);
    public static final String KEY = "demo";
    public static final long SEED = 42;

    /** A demo channel, with what it returns at its budget and whether the team feeds its customer value. */
    record DemoChannel(String key, String name, String platform, String kind, int budget, int min, int max,
                       double roas, double ltvToCac, boolean customerFeed) {
    }

    // retargeting and search harvest demand (high first-order ROAS), prospecting builds it (low ROAS, good
    // customers), display is weak on both; video has no customer feed
    static final List<DemoChannel> CHANNELS = List.of(
            new DemoChannel("search", "Search ads", "search", "search", 1500, 500, 4000, 4.2, 3.0, true),
            new DemoChannel("social", "Social prospecting", "social", "social", 1200, 300, 3000, 1.8, 2.6, true),
            new DemoChannel("display", "Programmatic display", "programmatic", "display", 600, 100, 2000, 1.7, 1.0,
                    true),
            new DemoChannel("video", "Online video", "video", "video", 800, 200, 2500, 2.2, 1.5, false),
            new DemoChannel("marketplace", "Marketplace ads", "marketplace", "commerce", 1000, 300, 3000, 3.4, 1.8,
                    true),
            new DemoChannel("email", "Email retargeting", "email", "email", 200, 50, 600, 5.0, 4.2, true));

    private final SpendshiftConfig config;
    private final PortfolioService portfolios;
    private final SourceService sources;
    private final SimulatedMarketSource market;

    DemoSeeder(SpendshiftConfig config, PortfolioService portfolios, SourceService sources,
               SimulatedMarketSource market) {
        this.market = market;
        this.config = config;
        this.portfolios = portfolios;
        this.sources = sources;
    }

    void onStart(@Observes StartupEvent ev) {
        if (!config.demo()) {
            return;
        }
        boolean created = QuarkusTransaction.requiringNew().call(() -> {
            if (Portfolio.byKey(KEY).isPresent()) {
                return false;
            }
            portfolios.create(new PortfolioInput(KEY, "Demo brand", "EUR", "Europe/Paris", "RECOMMEND", null, null,
                    new SourceInput("SIMULATED", null, null, SEED), null), Actors.SYSTEM);
            for (DemoChannel c : CHANNELS) {
                portfolios.upsertChannel(KEY, c.key(), new ChannelInput(c.name(), c.platform(), c.kind(),
                        BigDecimal.valueOf(c.budget()), BigDecimal.valueOf(c.min()), BigDecimal.valueOf(c.max()),
                        false), Actors.SYSTEM);
            }
            return true;
        });
        Map<String, SimulatedMarketSource.Calibration> calibration = new LinkedHashMap<>();
        CHANNELS.forEach(c -> calibration.put(c.key(),
                new SimulatedMarketSource.Calibration(c.roas(), c.ltvToCac(), c.customerFeed())));
        market.calibrate(KEY, calibration);
        SourceService.PullReport report = sources.pull(KEY, Actors.SYSTEM);
        LOG.infof("Demo portfolio %s: %d days of simulated metrics added", created ? "created" : "present",
                report.sourceRows() / CHANNELS.size());
    }
}
