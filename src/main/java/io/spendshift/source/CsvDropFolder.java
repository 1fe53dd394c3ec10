package io.spendshift.source;

import io.spendshift.SpendshiftConfig;
import io.spendshift.common.FieldError;
import io.spendshift.common.DomainException;
import io.spendshift.metrics.MetricIngestService;
import io.spendshift.metrics.ExportFormat;
import io.spendshift.metrics.ExportImportService;
import io.spendshift.metrics.MappingService;
import io.spendshift.outcome.OutcomeIngestService;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The CSV drop folder: each {@code *.csv} file in {@code <dropDir>/<portfolio>/} is ingested as one
 * all-or-nothing batch, read like a posted CSV: Spendshift's own, a platform export (named
 * {@code <portfolio>.<format>.csv}, or detected from its header) or a saved mapping ({@code <portfolio>.<mapping>.csv}).
 * A file named {@code <name>.outcomes.csv} (e.g. {@code <portfolio>.outcomes.csv}) is the team's customer value
 * instead, read like a CSV posted to {@code …/outcomes} (origin {@code drop-folder}). A good file moves to
 * {@code processed/}, a bad one to {@code failed/} with
 * {@code <file>.errors.txt} beside it naming each bad row. Files younger than {@code min-age} are left for the
 * next poll, so a file still being copied is not read half-written (writing to a temporary name and renaming
 * is safer still).
 */
@ApplicationScoped
public class CsvDropFolder {

    private static final Logger LOG = Logger.getLogger(CsvDropFolder.class);

    private final Path root;
    private final Duration minAge;
    private final ExportImportService imports;
    private final MappingService mappings;
    private final Clock clock;

    private final io.spendshift.audit.AuditService audit;
    private final OutcomeIngestService outcomes;

    /** The kind a file name ends in ({@code x.outcomes.csv}) to be read as customer value, not metrics. */
    static final String OUTCOMES_SUFFIX = ".outcomes.csv";

    CsvDropFolder(SpendshiftConfig config, ExportImportService imports, MappingService mappings, Clock clock,
                  io.spendshift.audit.AuditService audit, OutcomeIngestService outcomes) {
        this.audit = audit;
        this.outcomes = outcomes;
        this.root = config.sources().dropDir();
        this.minAge = config.sources().dropMinAge();
        this.imports = imports;
        this.mappings = mappings;
        this.clock = clock;
    }

    /**
     * The import options a file's name asks for: {@code <portfolio>.<format>.csv} reads a platform preset,
     * {@code <portfolio>.<mapping>.csv} a saved mapping of the portfolio; any other name is detected from its header.
     */
    ExportImportService.Options options(String portfolio, String fileName) {
        String base = fileName.substring(0, fileName.length() - ".csv".length());
        int dot = base.lastIndexOf('.');
        if (dot < 0) {
            return ExportImportService.Options.none();
        }
        String kind = base.substring(dot + 1).toLowerCase(java.util.Locale.ROOT);
        if (ExportFormat.NAMES.contains(kind)) {
            return new ExportImportService.Options(kind, null, null, null, null, false);
        }
        boolean saved = mappings.list(portfolio).items().stream().anyMatch(m -> m.name().equals(kind));
        return saved ? new ExportImportService.Options(null, kind, null, null, null, false)
                : ExportImportService.Options.none();
    }

    /** What became of one dropped file. */
    public record FileOutcome(String file, boolean ingested, long rows, List<String> errors) {
    }

    /** Whether a dropped file is the outcomes feed ({@code <name>.outcomes.csv}, any case), not metrics. */
    static boolean isOutcomes(String fileName) {
        return fileName.toLowerCase(java.util.Locale.ROOT).endsWith(OUTCOMES_SUFFIX);
    }

    public Path folderOf(String portfolio) {
        return root.resolve(portfolio);
    }

    /** Ingests the portfolio's waiting files; each batch is audited under {@code actor} (who asked for the pull). */
    public List<FileOutcome> scan(String portfolio, String actor) {
        Path dir = folderOf(portfolio);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            Instant cutoff = clock.instant().minus(minAge);
            files = s.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().toLowerCase().endsWith(".csv"))
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(f -> modified(f).compareTo(cutoff) <= 0)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new PerformanceSource.SourceException("drop folder " + dir + " cannot be read: " + e.getMessage(), e);
        }
        List<FileOutcome> outcomes = new ArrayList<>();
        for (Path f : files) {
            outcomes.add(ingestFile(portfolio, f, actor));
        }
        return outcomes;
    }

    private FileOutcome ingestFile(String portfolio, Path file, String actor) {
        String name = file.getFileName().toString();
        try {
            long received;
            try (InputStream in = Files.newInputStream(file)) {
                if (isOutcomes(name)) {
                    // origin without the file name: it tags a meter; the audit entry names the file
                    received = outcomes.ingestCsv(portfolio, in, actor, "drop-folder", name).received();
                } else {
                    received = ((MetricIngestService.Result) imports.importCsv(portfolio, in, options(portfolio, name),
                            actor, "drop-folder:" + name)).received();
                }
            }
            move(file, "processed");
            LOG.infof("Drop folder: %s ingested for %s (%d %s rows)", name, portfolio, received,
                    isOutcomes(name) ? "outcome" : "metric");
            return new FileOutcome(name, true, received, List.of());
        } catch (DomainException e) {
            List<String> lines = new ArrayList<>();
            lines.add(name + ": " + e.getMessage());
            for (Object o : e.errors()) {
                if (o instanceof FieldError fe) {
                    lines.add((fe.row() == null ? "" : "row " + fe.row() + ": ") + fe.field() + " " + fe.message());
                }
            }
            try {
                Path moved = move(file, "failed");
                Files.write(moved.resolveSibling(moved.getFileName() + ".errors.txt"), lines);
            } catch (IOException io) {
                throw new PerformanceSource.SourceException("cannot move " + name + " to failed/: " + io.getMessage(), io);
            }
            LOG.warnf("Drop folder: %s refused for %s: %s", name, portfolio, e.getMessage());
            auditRejected(portfolio, name, actor, e.getMessage(), lines.subList(1, lines.size()));
            return new FileOutcome(name, false, 0, lines.subList(1, lines.size()));
        } catch (IOException e) {
            throw new PerformanceSource.SourceException("cannot read or move " + name + ": " + e.getMessage(), e);
        }
    }

    /** A refused file is audited ({@code DROP_REJECTED}: the file, why, and its first errors). */
    private void auditRejected(String portfolio, String file, String actor, String error, List<String> errors) {
        java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("file", file);
        details.put("error", error);
        details.put("errorCount", errors.size());
        details.put("errors", List.copyOf(errors.subList(0, Math.min(5, errors.size()))));
        try {
            io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> audit.append(
                    new io.spendshift.audit.AuditService.Event(actor, io.spendshift.audit.AuditAction.DROP_REJECTED,
                            "dropFile", entityId(portfolio, file), portfolio, null, details)));
        } catch (RuntimeException ex) {
            LOG.warnf("Could not audit the refused drop file %s of %s: %s", file, portfolio, ex.getClass().getSimpleName());
        }
    }

    private static String entityId(String portfolio, String file) {
        String id = portfolio + "/" + file;
        return id.length() > 200 ? id.substring(0, 200) : id;
    }

    private Path move(Path file, String sub) throws IOException {
        Path target = file.resolveSibling(sub);
        Files.createDirectories(target);
        Path dest = target.resolve(file.getFileName());
        if (Files.exists(dest)) {
            dest = target.resolve(clock.instant().toEpochMilli() + "-" + file.getFileName());
        }
        return Files.move(file, dest, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Instant modified(Path f) {
        try {
            return Files.getLastModifiedTime(f).toInstant();
        } catch (IOException e) {
            return Instant.MAX;
        }
    }
}
