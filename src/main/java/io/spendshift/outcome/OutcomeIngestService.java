package io.spendshift.outcome;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import io.spendshift.audit.AuditAction;
import io.spendshift.audit.AuditService;
import io.spendshift.common.DomainException;
import io.spendshift.common.FieldError;
import io.spendshift.common.InvalidInput;
import io.spendshift.common.Money;
import io.spendshift.metrics.ExportFormat;
import io.spendshift.portfolio.Channel;
import io.spendshift.portfolio.Portfolio;
import io.spendshift.portfolio.PortfolioDataStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ingests the team's customer value (the outcomes feed): validates every row while streaming, then replaces the
 * posted channel-days in one transaction, all or nothing. A row names its channel by key ({@code channel}) or by
 * a campaign id ({@code target.campaigns}) or name ({@code aliases}) ({@code campaign}); it gives
 * {@code newCustomers} and either {@code ltv} (per customer) or {@code value} (the cohort's total).
 */
@ApplicationScoped
public class OutcomeIngestService {

    private static final Logger LOG = Logger.getLogger(OutcomeIngestService.class);
    private static final LocalDate EARLIEST = LocalDate.of(1970, 1, 1);
    private static final BigDecimal MAX_COUNT = new BigDecimal("1000000000000");
    static final int CHUNK = 1000;
    /** Rows one post may hold; a larger file is split (each part is all or nothing). */
    static final int MAX_ROWS = 500_000;
    /** Error entries beyond this many are counted, not listed. */
    static final int MAX_LISTED_ERRORS = 1_000;

    private final AgroalDataSource dataSource;
    private final AuditService audit;
    private final Clock clock;
    private final MeterRegistry meters;
    private final PortfolioDataStore data;

    OutcomeIngestService(AgroalDataSource dataSource, AuditService audit, Clock clock, MeterRegistry meters,
                         PortfolioDataStore data) {
        this.dataSource = dataSource;
        this.audit = audit;
        this.clock = clock;
        this.meters = meters;
        this.data = data;
    }

    /** What a post did: rows received, channel-days new and replaced. */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "OutcomeIngestResult")
    public record Result(long received, long inserted, long replaced) {
    }

    /** The portfolio's channels by key, by campaign id and by alias (normalised as exports are). */
    private record Channels(Map<String, Long> byKey, Map<String, String> byCampaignId, Map<String, String> byAlias) {
        static Channels of(Portfolio p) {
            Map<String, Long> keys = new HashMap<>();
            Map<String, String> ids = new HashMap<>();
            Map<String, String> aliases = new HashMap<>();
            for (Channel c : Channel.ofPortfolio(p)) {
                keys.put(c.key, c.id);
                c.targetValue().ifPresent(t -> {
                    if (t.campaigns() != null) {
                        t.campaigns().forEach(id -> ids.put(id.trim(), c.key));
                    }
                });
                c.aliasList().forEach(a -> aliases.put(ExportFormat.normal(a), c.key));
            }
            return new Channels(keys, ids, aliases);
        }
    }

    private record Valid(long channelId, String channel, LocalDate date, BigDecimal newCustomers, BigDecimal ltv,
                         BigDecimal value) {
    }

    /**
     * What a post would do, nothing stored ({@code ?dryRun=true}): rows received, the first valid ones as they
     * would be stored ({@code reportedAt} null), every error (the first {@value #MAX_LISTED_ERRORS} listed) and how
     * many rows are invalid.
     */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "OutcomePreview")
    public record Preview(long received, List<OutcomeRow> rows, List<FieldError> errors, long invalidRows) {
    }

    /** Rows a preview shows. */
    static final int PREVIEW_ROWS = 10;

    @Transactional
    @TransactionConfiguration(timeout = 1800)
    public Result ingest(String portfolioKey, OutcomeReader reader, String actor, String origin) {
        return run(portfolioKey, reader, actor, origin, null, false).result();
    }

    /**
     * Ingests a CSV file dropped in the portfolio's drop folder, all or nothing like a post; the audit entry names
     * the file.
     */
    @Transactional
    @TransactionConfiguration(timeout = 1800)
    public Result ingestCsv(String portfolioKey, java.io.InputStream csv, String actor, String origin, String file) {
        return run(portfolioKey, OutcomeReader.csv(csv), actor, origin, file, false).result();
    }

    /** Validates a post as {@link #ingest} would and stores nothing. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Preview preview(String portfolioKey, OutcomeReader reader) {
        return run(portfolioKey, reader, null, null, null, true).preview();
    }

    private record Done(Result result, Preview preview) {
    }

    private Done run(String portfolioKey, OutcomeReader reader, String actor, String origin, String file,
                     boolean dryRun) {
        Portfolio p = Portfolio.require(portfolioKey);
        Channels channels = Channels.of(p);
        LocalDate today = p.today(clock);
        List<FieldError> errors = new ArrayList<>();
        long errorRows = 0;
        List<Valid> rows = new ArrayList<>();
        Map<Long, Integer> seen = new HashMap<>();
        long received = 0;
        LocalDate from = null;
        LocalDate to = null;
        long started = System.nanoTime();
        try (reader) {
            while (reader.hasNext()) {
                OutcomeReader.Raw raw = reader.next();
                received++;
                if (received > MAX_ROWS) {
                    throw InvalidInput.of("body", "an outcomes post holds at most " + MAX_ROWS
                            + " rows; split the file (each part is stored all or nothing)");
                }
                List<FieldError> rowErrors = new ArrayList<>();
                Valid v = check(raw, channels, today, rowErrors);
                if (v != null) {
                    Integer first = seen.putIfAbsent(v.channelId() * 100_000L + v.date().toEpochDay(), raw.row());
                    if (first != null) {
                        rowErrors.add(new FieldError("date", "duplicates row " + first + " (same channel and date)",
                                raw.row()));
                    }
                }
                if (!rowErrors.isEmpty()) {
                    errorRows++;
                    if (errors.size() < MAX_LISTED_ERRORS) {
                        errors.addAll(rowErrors);
                    }
                    continue;
                }
                if (dryRun ? rows.size() < PREVIEW_ROWS : errorRows == 0) {
                    rows.add(v);
                }
                from = from == null || v.date().isBefore(from) ? v.date() : from;
                to = to == null || v.date().isAfter(to) ? v.date() : to;
            }
        } catch (DomainException | OutcomeReader.SourceFailure e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the outcomes post could not be read", e);
        }
        if (received == 0) {
            throw InvalidInput.of("body", "has no rows; nothing was stored");
        }
        if (dryRun) {
            return new Done(null, new Preview(received, rows.stream().map(v -> new OutcomeRow(v.channel(), v.date(),
                    v.newCustomers().stripTrailingZeros(), money(v.ltv()), money(v.value()), null)).toList(),
                    List.copyOf(errors), errorRows));
        }
        if (errorRows > 0) {
            meters.counter("spendshift.outcomes.rejected.batches").increment();
            throw InvalidInput.of(errorRows + " of " + received + " rows are invalid; nothing was stored"
                    + (errors.size() >= MAX_LISTED_ERRORS ? " (the first " + errors.size() + " errors are listed)" : ""),
                    errors);
        }
        data.dataChanged(p.id);
        long replaced;
        try (Connection con = dataSource.getConnection()) {
            replaced = write(con, rows);
        } catch (SQLException e) {
            throw new IllegalStateException("the outcome rows could not be written", e);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("origin", origin);
        if (file != null) {
            details.put("file", file);
        }
        details.put("received", received);
        details.put("inserted", received - replaced);
        details.put("replaced", replaced);
        details.put("from", from == null ? null : from.toString());
        details.put("to", to == null ? null : to.toString());
        audit.append(new AuditService.Event(actor, AuditAction.OUTCOMES_INGESTED, "portfolio", p.key, p.key, null,
                details));
        meters.counter("spendshift.outcomes.rows", "origin", origin).increment(received);
        LOG.infof("Ingested %d outcome rows for portfolio %s from %s (%d replaced) in %d ms", received, p.key, origin,
                replaced, (System.nanoTime() - started) / 1_000_000);
        return new Done(new Result(received, received - replaced, replaced), null);
    }

    private static BigDecimal money(BigDecimal b) {
        return b == null ? null : b.setScale(2, RoundingMode.HALF_EVEN);
    }

    /** Replaces the rows' channel-days; answers how many existed before. */
    private long write(Connection con, List<Valid> rows) throws SQLException {
        Timestamp now = Timestamp.from(clock.instant());
        long replaced = 0;
        try (PreparedStatement del = con.prepareStatement("DELETE FROM outcome WHERE channel_id = ? AND odate = ?");
             PreparedStatement ins = con.prepareStatement("INSERT INTO outcome (channel_id, odate, new_customers, ltv,"
                     + " cohort_value, reported_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < rows.size(); i += CHUNK) {
                List<Valid> chunk = rows.subList(i, Math.min(rows.size(), i + CHUNK));
                for (Valid v : chunk) {
                    del.setLong(1, v.channelId());
                    del.setDate(2, Date.valueOf(v.date()));
                    del.addBatch();
                }
                for (int n : del.executeBatch()) {
                    replaced += Math.max(0, n);
                }
                for (Valid v : chunk) {
                    ins.setLong(1, v.channelId());
                    ins.setDate(2, Date.valueOf(v.date()));
                    ins.setBigDecimal(3, v.newCustomers());
                    ins.setBigDecimal(4, v.ltv());
                    ins.setBigDecimal(5, v.value());
                    ins.setTimestamp(6, now);
                    ins.addBatch();
                }
                ins.executeBatch();
            }
        }
        return replaced;
    }

    private static Valid check(OutcomeReader.Raw raw, Channels channels, LocalDate today, List<FieldError> errors) {
        int n = raw.row();
        if (raw.problem() != null) {
            errors.add(new FieldError("row", raw.problem(), n));
            return null;
        }
        Map<String, String> v = raw.values();
        for (String f : v.keySet()) {
            if (!OutcomeReader.FIELDS.contains(f)) {
                errors.add(new FieldError(f, "unknown field; fields are " + OutcomeReader.FIELDS, n));
            }
        }
        String channel = null;
        if (v.containsKey("channel") && v.containsKey("campaign")) {
            errors.add(new FieldError("campaign", "give channel or campaign, not both", n));
        } else if (v.containsKey("channel")) {
            channel = v.get("channel").trim();
            if (!channels.byKey().containsKey(channel)) {
                errors.add(new FieldError("channel", "unknown channel '" + abbreviate(channel) + "' in this portfolio", n));
                channel = null;
            }
        } else if (v.containsKey("campaign")) {
            String c = v.get("campaign").trim();
            channel = channels.byCampaignId().get(c);
            if (channel == null) {
                channel = channels.byAlias().get(ExportFormat.normal(c));
            }
            if (channel == null) {
                errors.add(new FieldError("campaign", "campaign '" + abbreviate(c) + "' is neither a campaign id of a"
                        + " channel's target.campaigns nor one of its aliases", n));
            }
        } else {
            errors.add(new FieldError("channel", "channel or campaign is required", n));
        }
        LocalDate date = null;
        String d = v.get("date");
        if (d == null) {
            errors.add(new FieldError("date", "is required", n));
        } else {
            try {
                date = LocalDate.parse(d.trim());
                if (date.isAfter(today)) {
                    errors.add(new FieldError("date", "is after today (" + today + ") in the portfolio's time zone", n));
                } else if (date.isBefore(EARLIEST)) {
                    errors.add(new FieldError("date", "is before 1970-01-01", n));
                }
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("date", "must be an ISO date such as 2026-03-01", n));
            }
        }
        BigDecimal customers = number(v, "newCustomers", 6, MAX_COUNT, errors, n);
        if (customers == null && !v.containsKey("newCustomers")) {
            errors.add(new FieldError("newCustomers", "is required", n));
        }
        BigDecimal ltv = number(v, "ltv", 2, Money.MAX, errors, n);
        BigDecimal value = number(v, "value", 2, Money.MAX, errors, n);
        if (v.containsKey("ltv") == v.containsKey("value")) {
            errors.add(new FieldError("ltv", "give ltv (per new customer) or value (the cohort's total), one of the two",
                    n));
        } else if (customers != null && customers.signum() == 0 && value != null && value.signum() > 0) {
            errors.add(new FieldError("value", "a cohort of 0 new customers has no value", n));
        }
        if (!errors.isEmpty()) {
            return null;
        }
        BigDecimal perCustomer;
        BigDecimal total;
        if (ltv != null) {
            perCustomer = customers.signum() == 0 ? null : ltv;
            total = customers.multiply(ltv).setScale(4, RoundingMode.HALF_EVEN);
        } else {
            perCustomer = customers.signum() == 0 ? null : value.divide(customers, 4, RoundingMode.HALF_EVEN);
            total = value;
        }
        return new Valid(channels.byKey().get(channel), channel, date, customers, perCustomer, total);
    }

    private static BigDecimal number(Map<String, String> v, String field, int decimals, BigDecimal max,
                                     List<FieldError> errors, int n) {
        String s = v.get(field);
        if (s == null) {
            return null;
        }
        BigDecimal b;
        try {
            if (s.length() > 40) {
                throw new NumberFormatException();
            }
            b = new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            errors.add(new FieldError(field, "must be a finite number, not '" + abbreviate(s) + "'", n));
            return null;
        }
        if (b.signum() < 0) {
            errors.add(new FieldError(field, "must not be negative", n));
        } else if (b.compareTo(max) > 0) {
            errors.add(new FieldError(field, "must not exceed " + max.toBigInteger(), n));
        } else if (b.stripTrailingZeros().scale() > decimals) {
            errors.add(new FieldError(field, "must have at most " + decimals + " decimals", n));
        } else {
            return b;
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
