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
import io.spendshift.source.SourceService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.util.List;

/**
 * In demo mode, makes sure the {@code demo} portfolio exists: six channels of different kinds fed by the
 * simulated market, with 90 days of history on first start and a new day at every poll after that.
 */
@ApplicationScoped
public class DemoSeeder {

    private static final Logger LOG = Logger.getLogger(DemoSeeder.class);
    public static final String KEY = "demo";
    public static final long SEED = 42;

    record DemoChannel(String key, String name, String platform, String kind, int budget, int min, int max) {
    }

    static final List<DemoChannel> CHANNELS = List.of(
            new DemoChannel("search", "Search ads", "search", "search", 1500, 500, 4000),
            new DemoChannel("social", "Social prospecting", "social", "social", 1200, 300, 3000),
            new DemoChannel("display", "Programmatic display", "programmatic", "display", 600, 100, 2000),
            new DemoChannel("video", "Online video", "video", "video", 800, 200, 2500),
            new DemoChannel("marketplace", "Marketplace ads", "marketplace", "commerce", 1000, 300, 3000),
            new DemoChannel("email", "Email retargeting", "email", "email", 200, 50, 600));

    private final SpendshiftConfig config;
    private final PortfolioService portfolios;
    private final SourceService sources;

    DemoSeeder(SpendshiftConfig config, PortfolioService portfolios, SourceService sources) {
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
        SourceService.PullReport report = sources.pull(KEY, Actors.SYSTEM);
        LOG.infof("Demo portfolio %s: %d days of simulated metrics added", created ? "created" : "present",
                report.sourceRows() / CHANNELS.size());
    }
}
