package io.spendshift.metrics;

import io.spendshift.common.InvalidInput;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import io.spendshift.audit.AuditAction;
import io.spendshift.audit.AuditService;
import io.spendshift.common.FieldError;
import io.spendshift.common.DomainException;
import io.spendshift.portfolio.Channel;
import io.spendshift.portfolio.Portfolio;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Ingests a batch of metric rows: validates every row while streaming, writes in JDBC batches, and commits
 * only if no row was wrong. Upsert by {@code (channel, date)}; the answer counts inserted and updated rows.
 */
@ApplicationScoped
public class MetricIngestService {

    private static final Logger LOG = Logger.getLogger(MetricIngestService.class);
    static final int CHUNK = 1000;
    /** Error entries beyond this many are counted, not listed, so a hopeless file cannot exhaust memory. */
    static final int MAX_LISTED_ERRORS = 10_000;

    private final AgroalDataSource dataSource;
    private final AuditService audit;
    private final Clock clock;
    private final MeterRegistry meters;

    private final io.spendshift.portfolio.PortfolioDataStore data;
    private final long maxRows;

    MetricIngestService(AgroalDataSource dataSource, AuditService audit, Clock clock, MeterRegistry meters,
                        io.spendshift.portfolio.PortfolioDataStore data, io.spendshift.SpendshiftConfig config) {
        this.data = data;
        this.maxRows = config.ingest().maxRows();
        this.dataSource = dataSource;
        this.audit = audit;
        this.clock = clock;
        this.meters = meters;
    }

    /** Warnings beyond this many are counted, not listed. */
    static final int MAX_LISTED_WARNINGS = 1_000;

    /**
     * What an ingestion did. For CSV also which format was read ({@code detected}: told by the header rather than
     * by {@code ?format=}), the campaigns left out with {@code unmapped=ignore} (the first 50 named,
     * {@code ignoredCampaignCount} counting all), and the title, total and footer lines skipped. {@code warnings}
     * lists implausible rows that were stored all the same.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Result(long received, long inserted, long updated, String format, Boolean detected,
                         Integer skippedLines, List<String> ignoredCampaigns, Long ignoredCampaignCount,
                         long warningCount, List<ImportWarning> warnings) {

        public Result(long received, long inserted, long updated) {
            this(received, inserted, updated, null, null, null, null, null, 0, List.of());
        }
    }

    /**
     * Where a batch came from, for the answer and the audit: its format and what reading it left out (the first
     * ignored campaigns by name, and how many there were).
     */
    public record Origin(String format, boolean detected, int skippedLines, List<String> ignoredCampaigns,
                         long ignoredCampaignCount) {
    }

    /**
     * A batch checked without storing anything: how many rows would be stored, their channels and the first
     * {@value ExportImportService#PREVIEW_ROWS} by date and channel (never all of them), and the errors and
     * warnings (the first ones listed, all counted).
     */
    public record Checked(long received, long rowCount, List<String> channels, List<MetricRow> firstRows,
                          List<FieldError> errors, long errorCount, List<ImportWarning> warnings, long warningCount) {
    }

    /** The order of a preview's rows. */
    static final java.util.Comparator<MetricRow> PREVIEW_ORDER = java.util.Comparator.comparing(MetricRow::date)
            .thenComparing(MetricRow::channel);

    @Transactional
    @TransactionConfiguration(timeout = 1800)
    public Result ingest(String portfolioKey, RawRowReader reader, String actor, String origin) {
        return run(portfolioKey, reader, actor, origin, null, false).result;
    }

    @Transactional
    @TransactionConfiguration(timeout = 1800)
    public Result ingest(String portfolioKey, RawRowReader reader, String actor, String origin, Origin from) {
        return run(portfolioKey, reader, actor, origin, from, false).result;
    }

    /** Validates a batch as {@link #ingest} would and stores nothing (the preview of {@code ?dryRun=true}). */
    @Transactional
    public Checked check(String portfolioKey, RawRowReader reader) {
        return run(portfolioKey, reader, null, null, null, true).checked;
    }

    private record Outcome(Result result, Checked checked) {
    }

    private Outcome run(String portfolioKey, RawRowReader reader, String actor, String origin, Origin source,
                        boolean dryRun) {
        Portfolio p = Portfolio.require(portfolioKey);
        if (!dryRun) {
            data.dataChanged(p.id);
        }
        Map<String, Long> channelIds = new HashMap<>();
        for (Channel c : Channel.ofPortfolio(p)) {
            channelIds.put(c.key, c.id);
        }
        LocalDate today = p.today(clock);
        MetricRowValidator validator = new MetricRowValidator(channelIds, today, reader.numbersAsText(),
                reader.requiredFields());
        List<FieldError> errors = new ArrayList<>();
        long errorCount = 0;
        List<ImportWarning> warnings = new ArrayList<>();
        long warningCount = 0;
        // a preview keeps the first rows only (the greatest on top, to be dropped), the channels and a count
        java.util.PriorityQueue<MetricRow> first = new java.util.PriorityQueue<>(PREVIEW_ORDER.reversed());
        java.util.Set<String> channels = new java.util.TreeSet<>();
        long kept = 0;
        // the first data row of each channel and day, to name it in a duplicate's error
        LongIntMap seen = new LongIntMap();
        List<MetricRow> chunk = new ArrayList<>(CHUNK);
        long received = 0;
        long inserted = 0;
        long updated = 0;
        LocalDate from = null;
        LocalDate to = null;
        long started = System.nanoTime();
        try (Connection con = dryRun ? null : dataSource.getConnection(); reader) {
            while (reader.hasNext()) {
                RawRow raw = reader.next();
                if (++received > maxRows) {
                    throw new io.spendshift.common.TooLarge("The upload has more than " + maxRows + " rows ("
                            + ExportReader.MAX_ROWS + " = " + maxRows + "); nothing was stored", ExportReader.MAX_ROWS,
                            maxRows);
                }
                MetricRowValidator.Checked checked = validator.check(raw);
                List<FieldError> rowErrors = checked.errors();
                if (checked.row() != null) {
                    MetricRow r = checked.row();
                    int earlier = seen.putIfAbsent(key(channelIds.get(r.channel()), r.date()), raw.row());
                    if (earlier != 0) {
                        rowErrors = List.of(new FieldError("date",
                                "duplicates row " + earlier + " (same channel and date)", raw.row()));
                    }
                }
                if (!rowErrors.isEmpty()) {
                    errorCount++;
                    if (errors.size() < MAX_LISTED_ERRORS) {
                        errors.addAll(rowErrors);
                    }
                    chunk.clear();
                    continue;
                }
                MetricRow r = checked.row();
                List<ImportWarning> odd = Plausibility.check(r, raw.row());
                if (!odd.isEmpty()) {
                    warningCount += odd.size();
                    if (warnings.size() < MAX_LISTED_WARNINGS) {
                        warnings.addAll(odd);
                    }
                }
                from = from == null || r.date().isBefore(from) ? r.date() : from;
                to = to == null || r.date().isAfter(to) ? r.date() : to;
                if (dryRun) {
                    kept++;
                    channels.add(r.channel());
                    first.add(r);
                    if (first.size() > ExportImportService.PREVIEW_ROWS) {
                        first.poll();
                    }
                    continue;
                }
                if (errorCount > 0) {
                    continue; // nothing will be stored; keep validating to report every bad row
                }
                chunk.add(r);
                if (chunk.size() == CHUNK) {
                    int ins = write(con, chunk, channelIds);
                    inserted += ins;
                    updated += chunk.size() - ins;
                    chunk.clear();
                }
            }
            if (!dryRun && errorCount == 0 && !chunk.isEmpty()) {
                int ins = write(con, chunk, channelIds);
                inserted += ins;
                updated += chunk.size() - ins;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("metric batch could not be written", e);
        } catch (DomainException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        if (dryRun) {
            List<MetricRow> firstRows = new ArrayList<>(first);
            firstRows.sort(PREVIEW_ORDER);
            return new Outcome(null, new Checked(received, kept, List.copyOf(channels), firstRows, errors, errorCount,
                    warnings, warningCount));
        }
        if (errorCount > 0) {
            meters.counter("spendshift.metrics.rejected.batches").increment();
            String detail = errorCount + " of " + received + " rows are invalid; nothing was stored"
                    + (errors.size() >= MAX_LISTED_ERRORS ? " (the first " + errors.size() + " errors are listed)" : "");
            throw InvalidInput.of(detail, errors);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("origin", origin);
        details.put("received", received);
        details.put("inserted", inserted);
        details.put("updated", updated);
        details.put("from", from == null ? null : from.toString());
        details.put("to", to == null ? null : to.toString());
        details.put("warnings", warningCount);
        if (source != null) {
            details.put("format", source.format());
            details.put("ignoredCampaigns", source.ignoredCampaignCount());
        }
        audit.append(new AuditService.Event(actor, AuditAction.METRICS_INGESTED, "portfolio", p.key, p.key, null,
                details));
        meters.counter("spendshift.metrics.rows", "origin", origin).increment(received);
        LOG.infof("Ingested %d metric rows for portfolio %s from %s (%d new, %d updated, %d warnings) in %d ms",
                received, p.key, origin, inserted, updated, warningCount, (System.nanoTime() - started) / 1_000_000);
        Result result = source == null
                ? new Result(received, inserted, updated, null, null, null, null, null, warningCount, warnings)
                : new Result(received, inserted, updated, source.format(), source.detected(), source.skippedLines(),
                source.ignoredCampaigns(), source.ignoredCampaignCount(), warningCount, warnings);
        return new Outcome(result, null);
    }

    /** Writes one chunk: existing (channel, date) rows are updated, the others inserted. Returns inserts. */
    private int write(Connection con, List<MetricRow> rows, Map<String, Long> channelIds) throws SQLException {
        Set<Long> existing = existingKeys(con, rows, channelIds);
        Timestamp now = Timestamp.from(clock.instant());
        int inserts = 0;
        try (PreparedStatement ins = con.prepareStatement("INSERT INTO metric (spend, impressions, clicks, conversions,"
                + " revenue, new_customers, ltv, ingested_at, channel_id, mdate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement upd = con.prepareStatement("UPDATE metric SET spend = ?, impressions = ?, clicks = ?,"
                     + " conversions = ?, revenue = ?, new_customers = ?, ltv = ?, ingested_at = ?"
                     + " WHERE channel_id = ? AND mdate = ?")) {
            int updates = 0;
            for (MetricRow r : rows) {
                long id = channelIds.get(r.channel());
                boolean update = existing.contains(key(id, r.date()));
                PreparedStatement ps = update ? upd : ins;
                bind(ps, r, id, now);
                ps.addBatch();
                if (update) {
                    updates++;
                } else {
                    inserts++;
                }
            }
            if (inserts > 0) {
                ins.executeBatch();
            }
            if (updates > 0) {
                upd.executeBatch();
            }
        }
        return inserts;
    }

    private static void bind(PreparedStatement ps, MetricRow r, long channelId, Timestamp now) throws SQLException {
        ps.setBigDecimal(1, r.spend());
        ps.setLong(2, r.impressions());
        ps.setLong(3, r.clicks());
        ps.setBigDecimal(4, r.conversions());
        ps.setBigDecimal(5, r.revenue());
        if (r.newCustomers() == null) {
            ps.setNull(6, Types.NUMERIC);
        } else {
            ps.setBigDecimal(6, r.newCustomers());
        }
        if (r.ltv() == null) {
            ps.setNull(7, Types.NUMERIC);
        } else {
            ps.setBigDecimal(7, r.ltv());
        }
        ps.setTimestamp(8, now);
        ps.setLong(9, channelId);
        ps.setDate(10, Date.valueOf(r.date()));
    }

    private static Set<Long> existingKeys(Connection con, List<MetricRow> rows, Map<String, Long> channelIds)
            throws SQLException {
        Set<Long> ids = new HashSet<>();
        LocalDate min = null;
        LocalDate max = null;
        for (MetricRow r : rows) {
            ids.add(channelIds.get(r.channel()));
            min = min == null || r.date().isBefore(min) ? r.date() : min;
            max = max == null || r.date().isAfter(max) ? r.date() : max;
        }
        StringJoiner in = new StringJoiner(",", "(", ")");
        ids.forEach(i -> in.add("?"));
        Set<Long> keys = new HashSet<>();
        try (PreparedStatement ps = con.prepareStatement(
                "SELECT channel_id, mdate FROM metric WHERE channel_id IN " + in + " AND mdate BETWEEN ? AND ?")) {
            int i = 1;
            for (Long id : ids) {
                ps.setLong(i++, id);
            }
            ps.setDate(i++, Date.valueOf(min));
            ps.setDate(i, Date.valueOf(max));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(key(rs.getLong(1), rs.getDate(2).toLocalDate()));
                }
            }
        }
        return keys;
    }

    /** One long per (channel, date): dates of years 0000-9999 fit in 22 bits of epoch days around 0. */
    static long key(long channelId, LocalDate date) {
        return channelId * 10_000_000L + date.toEpochDay() + 5_000_000L;
    }
}
