package io.spendshift.metrics;

import java.util.List;
import java.util.Map;

/**
 * The answer of {@code ?dryRun=true}: how the file would be read and what would be stored, with its errors and
 * warnings, and nothing stored. A 200 even when {@code errors} is not empty: the upload screen shows them.
 * {@code rows} counts the channel-and-day rows that would be stored, {@code preview} shows the first ten. Lists
 * are bounded whatever the file: the first 1,000 errors and warnings ({@code errorCount}, {@code warningCount}
 * count all), the first 50 campaigns in {@code unmapped} and {@code ignored} ({@code unmappedCount},
 * {@code ignoredCount} count all).
 */
@org.eclipse.microprofile.openapi.annotations.media.Schema(name = "ImportPreview")
public record ImportPreview(String format, boolean detected, Mapping mapping, String decimal, String dateFormat,
                            long rows, List<String> channels, List<MetricRow> preview, List<Error> errors,
                            long errorCount, List<ImportWarning> warnings, long warningCount, List<String> unmapped,
                            List<String> ignored, int skippedLines, long unmappedCount, long ignoredCount) {

    /** Which header each field was read from. */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "ImportMapping")
    public record Mapping(Map<String, String> columns) {
    }

    /** One problem, with the line of the file it is on (null for the whole file). */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "ImportError")
    public record Error(Integer line, String field, String message) {
    }
}
