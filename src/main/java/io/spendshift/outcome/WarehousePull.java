package io.spendshift.outcome;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.spendshift.audit.AuditAction;
import io.spendshift.audit.AuditService;
import io.spendshift.common.DomainException;
import io.spendshift.common.FieldError;
import io.spendshift.common.ProblemException;
import io.spendshift.portfolio.Portfolio;
import io.spendshift.warehouse.WarehouseConfig;
import io.spendshift.warehouse.Warehouses;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Pulls a portfolio's outcomes from its warehouse ({@code outcomesSource}, type SQL): runs the query read-only,
 * with the datasource's time and row limits, and feeds the rows through {@link OutcomeIngestService}, validated
 * and stored all or nothing exactly as a post (audited {@code OUTCOMES_INGESTED}, origin {@code warehouse}).
 * A failure is recorded in {@code outcome_pull}, logged, counted and audited {@code SOURCE_PULL_FAILED} (source
 * {@code OUTCOMES_SQL}), which notifies {@code SOURCE_FAILED}. No message carries the datasource's password.
 */
@ApplicationScoped
public class WarehousePull {

    private static final Logger LOG = Logger.getLogger(WarehousePull.class);
    /** The source name of warehouse pulls in failures (audit, metrics). */
    public static final String SOURCE = "OUTCOMES_SQL";
    static final int MAX_ERROR = 2000;
    private static final int ERRORS_IN_MESSAGE = 5;

    private final Warehouses warehouses;
    private final OutcomeIngestService ingest;
    private final OutcomePullStore store;
    private final AuditService audit;
    private final Clock clock;
    private final MeterRegistry meters;

    WarehousePull(Warehouses warehouses, OutcomeIngestService ingest, OutcomePullStore store, AuditService audit,
                  Clock clock, MeterRegistry meters) {
        this.warehouses = warehouses;
        this.ingest = ingest;
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.meters = meters;
    }

    /** What a pull did: the rows stored, or why nothing was. */
    public record Pulled(String datasource, long rows, String error) {
    }

    /**
     * The {@code outcomes} block of {@code GET …/source}: the portfolio's warehouse pull and how the last one
     * went ({@code rowsIngested}: the rows the last successful pull stored; 0 after a failure).
     */
    public record Status(String datasource, String interval, Instant lastPull, Instant lastSuccess, String lastError,
                         long rowsIngested) {
    }

    private record Source(long portfolioId, String datasource, String query, Duration interval) {
    }

    /**
     * Pulls now. {@code scheduled}: only when the portfolio's interval has passed since the last attempt (claimed in
     * the database, so one replica pulls); a pull asked for by hand always runs. Null when the portfolio has no
     * outcomes source or the pull is not due.
     */
    public Pulled pull(String key, String actor, boolean scheduled) {
        Source s = QuarkusTransaction.requiringNew().call(() -> {
            Portfolio p = Portfolio.require(key);
            return p.outcomesType == null ? null : new Source(p.id, p.outcomesDatasource, p.outcomesQuery,
                    Duration.parse(p.outcomesInterval));
        });
        if (s == null) {
            return null;
        }
        Instant attempt = clock.instant();
        if (!take(s, attempt, scheduled)) {
            return null;
        }
        long rows = 0;
        String error;
        try {
            rows = run(key, s, actor);
            error = null;
        } catch (io.spendshift.common.InvalidInput e) {
            error = describe(e);
        } catch (DomainException | ProblemException e) {
            error = e.getMessage();
        } catch (OutcomeReader.SourceFailure e) {
            error = e.getCause() instanceof SQLException q ? sqlMessage(s, q) : e.getMessage();
        } catch (SQLException e) {
            error = sqlMessage(s, e);
        } catch (RuntimeException e) {
            // unexpected (e.g. the service database refused the write): still recorded and shown, never lost
            LOG.errorf(e, "Outcomes pull of portfolio %s failed unexpectedly", key);
            error = "the pull failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                    : ": " + e.getMessage());
        }
        String failure = error == null ? null : abbreviate(warehouses.redact(s.datasource(), error));
        long stored = rows;
        QuarkusTransaction.requiringNew().run(() -> store.record(s.portfolioId(), attempt, failure, stored));
        if (failure != null) {
            meters.counter("spendshift.source.failures", "type", SOURCE).increment();
            LOG.warnf("Outcomes pull of portfolio %s from warehouse %s failed: %s", key, s.datasource(), failure);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("source", SOURCE);
            details.put("datasource", s.datasource());
            details.put("error", failure);
            QuarkusTransaction.requiringNew().run(() -> audit.append(new AuditService.Event(actor,
                    AuditAction.SOURCE_PULL_FAILED, "portfolio", key, key, null, details)));
        }
        return new Pulled(s.datasource(), failure == null ? rows : 0, failure);
    }

    /** The portfolio's warehouse pull and its last outcome, or null when it has none and never had. In the caller's transaction. */
    public Status status(Portfolio p) {
        var last = store.find(p.id);
        if (p.outcomesType == null && last.isEmpty()) {
            return null;
        }
        return new Status(p.outcomesDatasource, p.outcomesInterval, last.map(OutcomePullStore.Status::lastAttempt)
                .orElse(null), last.map(OutcomePullStore.Status::lastSuccess).orElse(null),
                last.map(OutcomePullStore.Status::lastError).orElse(null),
                last.map(OutcomePullStore.Status::rows).orElse(0L));
    }

    private boolean take(Source s, Instant attempt, boolean scheduled) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                if (!scheduled) {
                    store.attempt(s.portfolioId(), attempt);
                    return true;
                }
                return store.claim(s.portfolioId(), attempt, attempt.minus(s.interval()));
            });
        } catch (RuntimeException e) {
            // another replica inserted the portfolio's first row at the same moment: it pulls
            LOG.debugf("Outcomes pull of portfolio %d taken elsewhere: %s", s.portfolioId(), e.getMessage());
            return false;
        }
    }

    private long run(String key, Source s, String actor) throws SQLException {
        WarehouseConfig.Warehouse w = warehouses.get(s.datasource()).orElse(null);
        if (w == null) {
            throw new SQLException("datasource '" + s.datasource() + "' is not configured (spendshift.warehouse."
                    + s.datasource() + ".url); configured: " + warehouses.names());
        }
        try (Connection con = warehouses.open(s.datasource());
             PreparedStatement st = con.prepareStatement(s.query(), ResultSet.TYPE_FORWARD_ONLY,
                     ResultSet.CONCUR_READ_ONLY)) {
            st.setQueryTimeout(timeoutSeconds(w));
            st.setMaxRows(w.maxRows() + 1);
            st.setFetchSize(OutcomeIngestService.CHUNK);
            ResultSet rs = st.executeQuery();
            OutcomeReader reader = OutcomeReader.resultSet(rs, w.maxRows(), () -> {
                rs.close();
                con.rollback();
            });
            if (!reader.hasNext()) {
                LOG.infof("Outcomes pull of portfolio %s from warehouse %s: the query returned no rows", key,
                        s.datasource());
                return 0;
            }
            return ingest.ingest(key, reader, actor, "warehouse").received();
        }
    }

    private static int timeoutSeconds(WarehouseConfig.Warehouse w) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, w.queryTimeout().toSeconds()));
    }

    private String sqlMessage(Source s, SQLException e) {
        if (e instanceof SQLTimeoutException || "57014".equals(e.getSQLState())) {
            int seconds = warehouses.get(s.datasource()).map(WarehousePull::timeoutSeconds).orElse(0);
            return "the query exceeded its time limit of " + seconds + " s (spendshift.warehouse." + s.datasource()
                    + ".query-timeout); nothing was stored";
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        return "warehouse " + s.datasource() + ": " + m + (e.getSQLState() == null ? "" : " (SQL state "
                + e.getSQLState() + ")") + "; nothing was stored";
    }

    private static String describe(io.spendshift.common.InvalidInput e) {
        String errors = e.errors().stream().limit(ERRORS_IN_MESSAGE).map(WarehousePull::describe)
                .collect(Collectors.joining("; "));
        return e.getMessage() + (errors.isEmpty() ? "" : ": " + errors)
                + (e.errors().size() > ERRORS_IN_MESSAGE ? "; …" : "");
    }

    private static String describe(FieldError f) {
        return (f.row() == null ? "" : "row " + f.row() + " ") + f.field() + ": " + f.message();
    }

    private static String abbreviate(String s) {
        return s.length() > MAX_ERROR ? s.substring(0, MAX_ERROR - 1) + "…" : s;
    }
}
