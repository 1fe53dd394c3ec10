package io.spendshift.source;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.spendshift.audit.AuditAction;
import io.spendshift.audit.AuditService;
import io.spendshift.common.DomainException;
import io.spendshift.connector.ConnectorService;
import io.spendshift.connector.ConnectorsConfig;
import io.spendshift.metrics.RawRowReader;
import io.spendshift.common.ProblemException;
import io.spendshift.metrics.MetricIngestService;
import io.spendshift.outcome.WarehousePull;
import io.spendshift.portfolio.Channel;
import io.spendshift.portfolio.Portfolio;
import io.spendshift.security.Actors;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pulls every portfolio's performance: its drop folder, its configured source (HTTP or simulated), its outcomes
 * warehouse ({@code outcomesSource}, each on its own interval, see {@link WarehousePull}), and the ad
 * platforms of channels with a {@code target} (through the connectors, summed per channel and day; on the schedule
 * at most once per {@code spendshift.connectors.pull-interval}, since the platforms' quotas are small).
 * Runs on the {@code spendshift.sources.poll-interval} schedule and on demand. Every pull's outcome is
 * kept in {@code source_status}; a failure is logged, counted, audited and shown, never silently skipped.
 */
@ApplicationScoped
public class SourceService {

    private static final Logger LOG = Logger.getLogger(SourceService.class);
    /** Days of spend a source is given per channel (enough for adstock to fade). */
    static final int RECENT_DAYS = 30;

    private final CsvDropFolder dropFolder;
    private final HttpJsonSource http;
    private final SimulatedMarketSource simulated;
    private final MetricIngestService ingest;
    private final AuditService audit;
    private final SourceStatusStore statuses;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ConnectorService connectors;
    private final ConnectorsConfig connectorsConfig;
    private final WarehousePull warehouse;
    /**
     * When each portfolio's connectors were last pulled, for the scheduled poll (in memory, per instance: after a
     * restart, or on each of several replicas, the first poll pulls again).
     */
    private final Map<String, Instant> lastConnectorPull = new ConcurrentHashMap<>();
    /** The source name of the ad-platform connectors in failures (audit, metrics). */
    static final String CONNECTORS = "CONNECTORS";

    SourceService(CsvDropFolder dropFolder, HttpJsonSource http, SimulatedMarketSource simulated,
                  MetricIngestService ingest, AuditService audit, SourceStatusStore statuses, Clock clock, MeterRegistry meters,
                  ConnectorService connectors, ConnectorsConfig connectorsConfig, WarehousePull warehouse) {
        this.warehouse = warehouse;
        this.connectors = connectors;
        this.connectorsConfig = connectorsConfig;
        this.dropFolder = dropFolder;
        this.http = http;
        this.simulated = simulated;
        this.ingest = ingest;
        this.audit = audit;
        this.statuses = statuses;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * The outcome of pulling one portfolio; {@code outcomeRows}/{@code outcomeError}: its warehouse pull of outcomes
     * ({@code outcomesSource}), null when it has none or it was not due.
     */
    public record PullReport(String portfolio, List<CsvDropFolder.FileOutcome> dropFiles, String sourceType,
                             long sourceRows, String sourceError, Long connectorRows, String connectorError,
                             Long outcomeRows, String outcomeError) {

        public PullReport(String portfolio, List<CsvDropFolder.FileOutcome> dropFiles, String sourceType,
                          long sourceRows, String sourceError) {
            this(portfolio, dropFiles, sourceType, sourceRows, sourceError, null, null, null, null);
        }

        PullReport withConnectors(long rows, String error) {
            return new PullReport(portfolio, dropFiles, sourceType, sourceRows, sourceError, rows, error, outcomeRows,
                    outcomeError);
        }

        PullReport withOutcomes(WarehousePull.Pulled pulled) {
            return pulled == null ? this : new PullReport(portfolio, dropFiles, sourceType, sourceRows, sourceError,
                    connectorRows, connectorError, pulled.rows(), pulled.error());
        }
    }

    /**
     * The last known state of a portfolio's configured source, and the drop files refused lately (latest first,
     * at most {@link #REJECTED_DROPS_SHOWN}).
     */
    public record SourceStatus(String portfolio, String type, Instant lastAttempt, Instant lastSuccess,
                               String lastError, long rowsIngested, String dropFolder, List<RejectedDrop> rejectedDrops,
                               WarehousePull.Status outcomes) {
    }

    /** A refused drop file: when, why, its first few errors and how many there were. */
    public record RejectedDrop(String file, Instant at, String error, List<String> errors, long errorCount) {
    }

    static final int REJECTED_DROPS_SHOWN = 10;

    @Scheduled(every = "{spendshift.sources.poll-interval}", identity = "source-poll",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        List<String> keys = QuarkusTransaction.requiringNew().call(
                () -> Portfolio.<Portfolio>listAll().stream().map(p -> p.key).toList());
        for (String key : keys) {
            try {
                pull(key, Actors.SYSTEM, connectorsDue(key), true);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Pull of portfolio %s failed", key);
            }
        }
    }

    /**
     * Pulls one portfolio now: drop folder first, then its configured source, then its connectors (always here; the
     * schedule pulls them once per {@code spendshift.connectors.pull-interval}). {@code actor} is who asked: the
     * caller of a manual pull, {@code system} for the polling schedule; ingested batches and failures are audited
     * under that name.
     */
    public PullReport pull(String key, String actor) {
        return pull(key, actor, true, false);
    }

    /** Whether the scheduled poll should pull the portfolio's connectors: not within {@code pull-interval}. */
    private boolean connectorsDue(String key) {
        Instant last = lastConnectorPull.get(key);
        return last == null || !clock.instant().isBefore(last.plus(connectorsConfig.pullInterval()));
    }

    private PullReport pull(String key, String actor, boolean withConnectors, boolean scheduled) {
        PullReport report = pullSource(key, actor);
        // the outcomes' warehouse: on its own interval when scheduled, always by hand
        report = report.withOutcomes(warehouse.pull(key, actor, scheduled));
        if (!withConnectors) {
            return report;
        }
        Instant attempt = clock.instant();
        ConnectorService.Pulled pulled = connectors.pull(key);
        if (pulled == null) {
            lastConnectorPull.remove(key);
            return report;
        }
        // a failed attempt counts too: retrying every poll would spend the quota a failure often is about
        lastConnectorPull.put(key, attempt);
        String error = pulled.error();
        long rows = 0;
        if (error == null && !pulled.rows().isEmpty()) {
            try {
                rows = ingest.ingest(key, RawRowReader.of(pulled.rows()), actor, "connectors").received();
            } catch (DomainException | ProblemException e) {
                error = "the platforms' rows were refused: " + e.getMessage();
            }
        }
        if (error != null) {
            String failure = error;
            meters.counter("spendshift.source.failures", "type", CONNECTORS).increment();
            LOG.warnf("Connectors of portfolio %s failed: %s", key, failure);
            QuarkusTransaction.requiringNew().run(() -> audit.append(new AuditService.Event(actor,
                    AuditAction.SOURCE_PULL_FAILED, "portfolio", key, key, null,
                    Map.of("source", CONNECTORS, "error", failure))));
        }
        return report.withConnectors(rows, error);
    }

    /** The drop folder and the configured source (HTTP or simulated). */
    private PullReport pullSource(String key, String actor) {
        Target target = QuarkusTransaction.requiringNew().call(() -> target(key));
        List<CsvDropFolder.FileOutcome> files = dropFolder.scan(key, actor);
        if (target.type == null) {
            return new PullReport(key, files, null, 0, null);
        }
        PerformanceSource source = target.type == Portfolio.SourceType.HTTP ? http : simulated;
        Instant attempt = clock.instant();
        try {
            long rows = source.pull(target.target, (reader, origin) ->
                    ingest.ingest(key, reader, actor, origin).received());
            record(target.portfolioId, target.type, attempt, null, rows);
            return new PullReport(key, files, target.type.name(), rows, null);
        } catch (PerformanceSource.SourceException | DomainException | ProblemException e) {
            String error = e.getMessage();
            meters.counter("spendshift.source.failures", "type", target.type.name()).increment();
            LOG.warnf("Source %s of portfolio %s failed: %s", target.type, key, error);
            record(target.portfolioId, target.type, attempt, error, 0);
            QuarkusTransaction.requiringNew().run(() -> audit.append(new AuditService.Event(actor,
                    AuditAction.SOURCE_PULL_FAILED, "portfolio", key, key, null,
                    Map.of("source", target.type.name(), "error", error))));
            return new PullReport(key, files, target.type.name(), 0, error);
        }
    }

    public SourceStatus status(String key) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Portfolio p = Portfolio.require(key);
            String folder = dropFolder.folderOf(key).toString();
            List<RejectedDrop> rejected = rejectedDrops(key);
            WarehousePull.Status outcomes = warehouse.status(p);
            return statuses.find(p.id).map(r -> new SourceStatus(key, r.type(), r.lastAttempt(), r.lastSuccess(),
                            r.lastError(), r.rows(), folder, rejected, outcomes))
                    .orElseGet(() -> new SourceStatus(key, p.sourceType == null ? null : p.sourceType.name(), null,
                            null, null, 0, folder, rejected, outcomes));
        });
    }

    /** The portfolio's refused drop files, from their {@code DROP_REJECTED} audit entries. */
    private List<RejectedDrop> rejectedDrops(String key) {
        List<io.spendshift.audit.AuditEntry> entries = io.spendshift.audit.AuditEntry
                .<io.spendshift.audit.AuditEntry>find("portfolio = ?1 and action = ?2 order by seq desc", key,
                        AuditAction.DROP_REJECTED.name())
                .page(0, REJECTED_DROPS_SHOWN).list();
        List<RejectedDrop> out = new ArrayList<>();
        for (io.spendshift.audit.AuditEntry e : entries) {
            try {
                com.fasterxml.jackson.databind.JsonNode d = READER.readTree(e.details == null ? "{}" : e.details);
                List<String> errors = new ArrayList<>();
                d.path("errors").forEach(x -> errors.add(x.asText()));
                out.add(new RejectedDrop(d.path("file").asText(null), e.at, d.path("error").asText(null), errors,
                        d.path("errorCount").asLong(errors.size())));
            } catch (java.io.IOException ex) {
                LOG.warnf("Audit entry %d of a refused drop file is not readable", e.seq);
            }
        }
        return out;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper READER = new com.fasterxml.jackson.databind.ObjectMapper();

    private record Target(long portfolioId, Portfolio.SourceType type, PerformanceSource.Target target) {
    }

    private Target target(String key) {
        Portfolio p = Portfolio.require(key);
        LocalDate today = p.today(clock);
        // one query for every channel: days older than this are never simulated again (the simulated source
        // starts at most HISTORY_DAYS back), so a channel without recent days counts as one without data
        Map<Long, List<SourceStatusStore.Spend>> recentByChannel = new java.util.HashMap<>();
        for (SourceStatusStore.Spend r : statuses.spendSince(p.id,
                today.minusDays(SimulatedMarketSource.HISTORY_DAYS + RECENT_DAYS))) {
            List<SourceStatusStore.Spend> recent = recentByChannel.computeIfAbsent(r.channelId(), k -> new ArrayList<>());
            if (recent.size() < RECENT_DAYS) {
                recent.add(r);
            }
        }
        List<PerformanceSource.ChannelRef> refs = new ArrayList<>();
        for (Channel c : Channel.ofPortfolio(p)) {
            List<SourceStatusStore.Spend> recent = recentByChannel.getOrDefault(c.id, List.of());
            List<BigDecimal> spend = new ArrayList<>(recent.stream().map(SourceStatusStore.Spend::spend).toList());
            Collections.reverse(spend);
            LocalDate last = recent.isEmpty() ? null : recent.get(0).date();
            refs.add(new PerformanceSource.ChannelRef(c.key, c.kind.json(), c.dailyBudget, last, spend));
        }
        return new Target(p.id, p.sourceType,
                new PerformanceSource.Target(key, today, p.sourceUrl, p.sourceToken, p.sourceSeed, refs));
    }

    private void record(long portfolioId, Portfolio.SourceType type, Instant attempt, String error, long rows) {
        QuarkusTransaction.requiringNew().run(() -> statuses.record(portfolioId, type.name(), attempt, error, rows));
    }


}
