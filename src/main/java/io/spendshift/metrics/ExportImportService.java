package io.spendshift.metrics;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.spendshift.common.FieldError;
import io.spendshift.common.InvalidInput;
import io.spendshift.portfolio.Channel;
import io.spendshift.portfolio.Portfolio;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * CSV imports: Spendshift's own CSV (streamed as before), the platforms' export presets, and saved custom
 * mappings; with {@code dryRun} a preview that stores nothing. The format is the one asked for, else detected
 * from the header.
 */
@ApplicationScoped
public class ExportImportService {

    /** Channel-day rows shown in a preview; {@code rows} counts all. */
    static final int PREVIEW_ROWS = 10;
    /**
     * What detection chooses among: Spendshift's own CSV is recognised by its first line (and streamed), so a file
     * that only resembles it (another delimiter, title lines) is not silently read as it.
     */
    private static final List<ExportFormat> PLATFORMS = ExportFormat.PRESETS.stream()
            .filter(f -> !f.name().equals(ExportFormat.SPENDSHIFT)).toList();
    private static final int PEEK_BYTES = 64 * 1024;

    private final MetricIngestService ingest;
    private final MappingService mappings;
    private final java.time.Clock clock;
    private final io.spendshift.SpendshiftConfig.Ingest limits;

    ExportImportService(MetricIngestService ingest, MappingService mappings, java.time.Clock clock,
                        io.spendshift.SpendshiftConfig config) {
        this.ingest = ingest;
        this.mappings = mappings;
        this.clock = clock;
        this.limits = config.ingest();
    }

    /**
     * The options of one import, as given on the query string (all optional). {@code unmapped} is
     * {@code refuse} (default) or {@code ignore}.
     */
    public record Options(String format, String mapping, String decimal, String dateFormat, String unmapped,
                          boolean dryRun) {

        public static Options none() {
            return new Options(null, null, null, null, null, false);
        }
    }

    /** Imports (or previews) a CSV body: a {@link MetricIngestService.Result}, or an {@link ImportPreview}. */
    public Object importCsv(String key, InputStream body, Options o, String actor, String origin) {
        List<FieldError> bad = new ArrayList<>();
        if (o.format() != null && !ExportFormat.NAMES.contains(o.format())) {
            bad.add(FieldError.of("format", "unknown format '" + o.format() + "'; formats are "
                    + new TreeSet<>(ExportFormat.NAMES)));
        }
        if (o.format() != null && o.mapping() != null) {
            bad.add(FieldError.of("mapping", "give either format or mapping, not both"));
        }
        if (o.decimal() != null && !o.decimal().equals(".") && !o.decimal().equals(",")) {
            bad.add(FieldError.of("decimal", "must be '.' or ','"));
        }
        if (o.unmapped() != null && !o.unmapped().equals("refuse") && !o.unmapped().equals("ignore")) {
            bad.add(FieldError.of("unmapped", "must be 'refuse' or 'ignore'"));
        }
        if (!bad.isEmpty()) {
            throw InvalidInput.of("The import options are not usable", bad);
        }
        if (o.dateFormat() != null) {
            ExportCells.formatter(o.dateFormat());
        }
        Target t = QuarkusTransaction.requiringNew().call(() -> {
            Portfolio p = Portfolio.require(key);
            return new Target(p.currency, o.mapping() == null ? null : mappings.format(p, o.mapping()), channels(p),
                    p.today(clock));
        });
        ExportFormat saved = t.saved();
        BufferedInputStream in = new BufferedInputStream(body, PEEK_BYTES);
        boolean own = saved == null && (o.format() == null || o.format().equals(ExportFormat.SPENDSHIFT))
                && o.decimal() == null && o.dateFormat() == null
                && (ExportFormat.SPENDSHIFT.equals(o.format()) || firstLineNamesChannel(in));
        if (own) {
            return own(key, in, o, actor, origin);
        }
        List<ExportFormat> candidates = saved != null ? List.of(saved)
                : o.format() != null ? List.of(ExportFormat.preset(o.format()).orElseThrow()) : PLATFORMS;
        // streamed: what is held grows with the channel-days found, not with the lines or the campaigns
        ExportReader.Parsed parsed = ExportReader.read(TextDecoding.reader(in), candidates,
                saved == null && o.format() == null, o.decimal() == null ? null : o.decimal().charAt(0),
                o.dateFormat(), "ignore".equals(o.unmapped()), t.channels(), t.currency(),
                new ExportReader.Limits(limits.maxRows(), limits.maxDistinctCampaigns(), t.today()));
        if (o.dryRun()) {
            MetricIngestService.Checked c = ingest.check(key, ExportReader.rows(parsed.rows()));
            List<ImportPreview.Error> errors = new ArrayList<>();
            parsed.errors().forEach(e -> errors.add(new ImportPreview.Error(e.row(), e.field(), e.message())));
            c.errors().forEach(e -> errors.add(new ImportPreview.Error(e.row(), e.field(), e.message())));
            return preview(parsed.format(), parsed.detected(), parsed.mapping(), String.valueOf(parsed.decimal()),
                    parsed.dateFormat(), c, errors, parsed.errorCount() + c.errorCount(), parsed.unmapped(),
                    parsed.unmappedCount(), parsed.ignored(), parsed.ignoredCount(), parsed.skippedLines());
        }
        if (parsed.errorCount() > 0) {
            throw refusal(parsed);
        }
        return ingest.ingest(key, ExportReader.rows(parsed.rows()), actor, origin,
                new MetricIngestService.Origin(parsed.format(), parsed.detected(), parsed.skippedLines(),
                        parsed.ignored(), parsed.ignoredCount()));
    }

    /** Campaigns named in the detail of a refusal (the problem's {@code unmapped} lists more). */
    static final int DETAIL_CAMPAIGNS = 5;

    /**
     * The 400 of an export with problems: a short detail (the first few unmapped campaigns, and how many more),
     * the first errors, and as members {@code errorCount}, {@code unmapped} (the first 50) and
     * {@code unmappedCount}.
     */
    private static InvalidInput refusal(ExportReader.Parsed parsed) {
        long n = parsed.errorCount();
        StringBuilder detail = new StringBuilder().append(n).append(" problem").append(n == 1 ? "" : "s")
                .append(" in the ").append(parsed.format())
                .append(" export (row numbers are lines of the file); nothing was stored");
        if (parsed.unmappedCount() > 0) {
            List<String> named = parsed.unmapped().subList(0, Math.min(DETAIL_CAMPAIGNS, parsed.unmapped().size()));
            detail.append("; unmapped campaigns: ").append(String.join(", ", named));
            if (parsed.unmappedCount() > named.size()) {
                detail.append(" and ").append(parsed.unmappedCount() - named.size()).append(" more");
            }
        }
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("errorCount", n);
        if (parsed.unmappedCount() > 0) {
            members.put("unmapped", parsed.unmapped());
            members.put("unmappedCount", parsed.unmappedCount());
        }
        return new InvalidInput(detail.toString(), parsed.errors(), members);
    }

    /** What an import needs of its portfolio, read before the body. */
    private record Target(String currency, ExportFormat saved, ExportReader.Channels channels,
                          java.time.LocalDate today) {
    }

    private Object own(String key, InputStream in, Options o, String actor, String origin) {
        boolean detected = o.format() == null;
        if (!o.dryRun()) {
            return ingest.ingest(key, RawRowReader.csv(in), actor, origin,
                    new MetricIngestService.Origin(ExportFormat.SPENDSHIFT, detected, 0, List.of(), 0));
        }
        MetricIngestService.Checked c = ingest.check(key, RawRowReader.csv(in));
        // the preview names lines of the file: data row n of a Spendshift CSV is line n + 1 (after the header)
        List<ImportPreview.Error> errors = c.errors().stream()
                .map(e -> new ImportPreview.Error(e.row() == null ? null : e.row() + 1, e.field(), e.message()))
                .toList();
        // and so do its warnings, or a row's error and warning would name different lines
        List<ImportWarning> warnings = c.warnings().stream()
                .map(w -> new ImportWarning(w.line() + 1, w.channel(), w.date(), w.message())).toList();
        MetricIngestService.Checked lines = new MetricIngestService.Checked(c.received(), c.rowCount(), c.channels(),
                c.firstRows(), c.errors(), c.errorCount(), warnings, c.warningCount());
        Map<String, String> mapping = new LinkedHashMap<>();
        RawRowReader.FIELDS.forEach(f -> mapping.put(f, f));
        return preview(ExportFormat.SPENDSHIFT, detected, mapping, ".", "yyyy-MM-dd", lines, errors, c.errorCount(),
                List.of(), 0, List.of(), 0, 0);
    }

    /** A preview lists at most this many errors (reading and validation together); {@code errorCount} counts all. */
    static final int PREVIEW_ERRORS = ExportReader.MAX_LISTED_ERRORS;

    private static ImportPreview preview(String format, boolean detected, Map<String, String> mapping, String decimal,
                                         String dateFormat, MetricIngestService.Checked c,
                                         List<ImportPreview.Error> errors, long errorCount, List<String> unmapped,
                                         long unmappedCount, List<String> ignored, long ignoredCount, int skipped) {
        List<ImportPreview.Error> listed = errors.size() > PREVIEW_ERRORS ? List.copyOf(errors.subList(0, PREVIEW_ERRORS))
                : errors;
        return new ImportPreview(format, detected, new ImportPreview.Mapping(mapping), decimal, dateFormat,
                c.rowCount(), c.channels(), c.firstRows(), listed, errorCount, c.warnings(), c.warningCount(), unmapped,
                ignored, skipped, unmappedCount, ignoredCount);
    }

    /** Whether the first line of the body (a byte-order mark aside) has a {@code channel} column. */
    private static boolean firstLineNamesChannel(BufferedInputStream in) {
        try {
            in.mark(PEEK_BYTES);
            byte[] buf = in.readNBytes(PEEK_BYTES);
            in.reset();
            String text = TextDecoding.readAll(new java.io.ByteArrayInputStream(buf));
            int nl = text.indexOf('\n');
            String first = nl < 0 ? text : text.substring(0, nl);
            for (String cell : first.split(",")) {
                if (ExportFormat.normal(cell.replace("\"", "")).equals("channel")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The portfolio's channels by key, by campaign id ({@code target.campaigns}) and by alias. */
    static ExportReader.Channels channels(Portfolio p) {
        Set<String> keys = new TreeSet<>();
        Map<String, String> byId = new HashMap<>();
        Map<String, String> byAlias = new HashMap<>();
        for (Channel c : Channel.ofPortfolio(p)) {
            keys.add(c.key);
            c.targetValue().ifPresent(t -> {
                if (t.campaigns() != null) {
                    t.campaigns().forEach(id -> byId.put(id.trim(), c.key));
                }
            });
            c.aliasList().forEach(a -> byAlias.put(ExportFormat.normal(a), c.key));
        }
        return new ExportReader.Channels(keys, byId, byAlias);
    }
}
