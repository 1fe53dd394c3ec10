package io.spendshift.metrics;

import io.spendshift.common.FieldError;
import io.spendshift.common.InvalidInput;
import io.spendshift.common.TooLarge;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads a platform's CSV export (or a file read through a saved mapping) into one row per channel and day:
 * finds the header below any title lines, skips total, summary and footer lines, parses numbers with thousands
 * separators and currency symbols and dates in the format's patterns, maps each campaign to its channel (by
 * {@code target.campaigns} for the campaign id, by {@code aliases} for its name) and sums a channel's campaigns
 * per day. Every problem is counted with its line in the file (the first {@value #MAX_LISTED_ERRORS} are listed);
 * nothing stops at the first, only a limit of {@link Limits} stops reading.
 */
final class ExportReader {

    /** How far down a header may sit below title lines. */
    static final int HEADER_SEARCH_LINES = 30;
    static final int MAX_LISTED_ERRORS = 1_000;
    private static final char[] DELIMITERS = {',', ';', '\t'};

    /** The channels of a portfolio as an export names them. */
    record Channels(Set<String> keys, Map<String, String> byCampaignId, Map<String, String> byAlias) {
    }

    /** What reading found. {@code rows} carry the first line of their channel and day as {@code row}. */
    record Parsed(String format, boolean detected, Map<String, String> mapping, char decimal,
                  String dateFormat, List<RawRow> rows, List<FieldError> errors, long errorCount,
                  List<String> unmapped, long unmappedCount, List<String> ignored, long ignoredCount,
                  int skippedLines, int headerLine) {
    }

    /** The configuration items that bound one upload, named in a refusal. */
    static final String MAX_ROWS = "spendshift.ingest.max-rows";
    static final String MAX_DISTINCT_CAMPAIGNS = "spendshift.ingest.max-distinct-campaigns";
    /** Campaigns listed by name (in {@code unmapped}, {@code ignored} and the errors); all are counted. */
    static final int LISTED_CAMPAIGNS = 50;
    /** Foreign currencies listed in the errors; all are counted. */
    static final int LISTED_CURRENCIES = 10;
    private static final LocalDate EARLIEST = LocalDate.of(1970, 1, 1);
    private static final List<String> NUMBER_FIELDS = List.of("spend", "impressions", "clicks", "conversions",
            "revenue", "newCustomers", "ltv");

    /**
     * What one upload may hold: data lines after the header, distinct campaigns no channel claims, and the
     * portfolio's today (no day after it, nor before 1970, is read into a channel-day; null: no such check).
     */
    record Limits(long maxRows, long maxDistinctCampaigns, LocalDate today) {
        static final Limits NONE = new Limits(Long.MAX_VALUE, Long.MAX_VALUE, null);
    }

    private ExportReader() {
    }

    /** Reads a text in memory, without limits (tests). */
    static Parsed read(String text, List<ExportFormat> candidates, boolean detected, Character decimal,
                       String dateFormat, boolean ignoreUnmapped, Channels channels, String currency) {
        return read(new StringReader(text), candidates, detected, decimal, dateFormat, ignoreUnmapped, channels,
                currency, Limits.NONE);
    }

    /**
     * Reads an export as a stream: only the lines above and of the header are held, then one record at a time.
     * What it keeps grows with the channel-days found, never with the lines: campaigns no channel claims are
     * tallied ({@link DistinctTally}), errors are counted and the first {@value #MAX_LISTED_ERRORS} listed.
     * {@code candidates} is the one format asked for, or the formats to detect among ({@code detected} then
     * true). {@code decimal} and {@code dateFormat} override the format's own when given. Beyond a limit the
     * whole upload is refused ({@link TooLarge}).
     */
    static Parsed read(Reader in, List<ExportFormat> candidates, boolean detected, Character decimal,
                       String dateFormat, boolean ignoreUnmapped, Channels channels, String currency, Limits limits) {
        BufferedReader text = in instanceof BufferedReader b ? b : new BufferedReader(in, 64 * 1024);
        Integer fixed = candidates.size() == 1 ? candidates.get(0).skipLines() : null;
        List<String> lines = new ArrayList<>();
        boolean more = headLines(text, Math.max(HEADER_SEARCH_LINES, fixed == null ? 0 : fixed + 1), lines);
        Header h = findHeader(lines, candidates);
        ExportFormat format = h.format.with(decimal, dateFormat);
        List<DateTimeFormatter> dates = ExportCells.formatters(format.dateFormats());
        int[] used = new int[dates.size()];
        Map<String, String> mapping = new LinkedHashMap<>();
        h.columns.forEach((f, i) -> mapping.put(f, h.cells.get(i)));
        List<FieldError> errors = new ArrayList<>();
        long[] errorCount = {0};
        List<String> missing = ExportFormat.REQUIRED.stream().filter(f -> !h.columns.containsKey(f)).toList();
        if (!missing.isEmpty()) {
            List<FieldError> cols = missing.stream().map(f -> new FieldError(f, "no column for " + f + " in the "
                    + format.name() + " header (line " + h.line + "); expected " + format.expected(f), h.line)).toList();
            throw InvalidInput.of("The " + format.name() + " header lacks required columns", cols);
        }
        Integer spendCol = h.columns.get("spend");
        ExportFormat.bracketCurrency(h.cells.get(spendCol)).filter(c -> !c.equalsIgnoreCase(currency))
                .ifPresent(c -> add(errors, errorCount, new FieldError("currency", "the export's amounts are in " + c
                        + " ('" + h.cells.get(spendCol).trim() + "'), the portfolio's currency is " + currency, h.line)));
        boolean rangeCheck = h.columns.containsKey("date")
                && ExportFormat.normal(h.cells.get(h.columns.get("date"))).equals("reporting starts");
        Integer rangeEnd = rangeCheck ? indexOf(h.cells, "reporting ends") : null;

        Map<String, Day> days = new TreeMap<>();
        DistinctTally unmapped = new DistinctTally(LISTED_CAMPAIGNS, limits.maxDistinctCampaigns(),
                MAX_DISTINCT_CAMPAIGNS, "campaigns that no channel claims");
        DistinctTally ignored = new DistinctTally(LISTED_CAMPAIGNS, limits.maxDistinctCampaigns(),
                MAX_DISTINCT_CAMPAIGNS, "campaigns that no channel claims");
        DistinctTally wrongCurrency = new DistinctTally(LISTED_CURRENCIES);
        int skipped = h.line - 1;
        // the lines read after the header while looking for it (blank ones too: they are lines of the file), then
        // the rest of the stream
        List<String> after = lines.subList(h.line, lines.size());
        String head = String.join("\n", after);
        Reader body = more ? new ConcatenatedReader(new StringReader(after.isEmpty() ? "" : head + "\n"), text)
                : new StringReader(head);
        CSVFormat csv = CSVFormat.DEFAULT.builder().setDelimiter(h.delimiter).setTrim(true)
                .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(false).get();
        try (CSVParser parser = csv.parse(body)) {
            for (CSVRecord rec : parser) {
                if (rec.getRecordNumber() > limits.maxRows()) {
                    throw new TooLarge("The upload has more than " + limits.maxRows() + " rows (lines after the"
                            + " header; " + MAX_ROWS + " = " + limits.maxRows() + "); nothing was stored", MAX_ROWS,
                            limits.maxRows());
                }
                int line = h.line + (int) rec.getRecordNumber();
                List<String> cells = rec.toList();
                if (skippable(cells, h.columns)) {
                    skipped++;
                    continue;
                }
                List<FieldError> rowErrors = new ArrayList<>();
                LocalDate date = ExportCells.date(cell(cells, h.columns.get("date")), dates, used, format, line, rowErrors);
                if (rangeEnd != null && date != null) {
                    LocalDate end = ExportCells.date(cell(cells, rangeEnd), dates, new int[dates.size()], format, line,
                            new ArrayList<>());
                    if (end != null && !end.equals(date)) {
                        rowErrors.add(new FieldError("date", "the row covers " + date + " to " + end
                                + "; export with the daily breakdown (one row per day)", line));
                    }
                }
                // refused here rather than by the ingestion, so that no channel-day is held for them
                if (date != null && limits.today() != null && date.isAfter(limits.today())) {
                    rowErrors.add(new FieldError("date", "is after today (" + limits.today()
                            + ") in the portfolio's time zone", line));
                } else if (date != null && limits.today() != null && date.isBefore(EARLIEST)) {
                    rowErrors.add(new FieldError("date", "is before 1970-01-01", line));
                }
                Integer curCol = h.columns.get("currency");
                String cur = curCol == null ? "" : cell(cells, curCol).trim();
                if (!cur.isEmpty() && !cur.equalsIgnoreCase(currency)) {
                    wrongCurrency.add(abbreviate(cur.toUpperCase(Locale.ROOT)), line);
                    continue;
                }
                String channel = channel(cells, h.columns, channels);
                if (channel == null) {
                    (ignoreUnmapped ? ignored : unmapped).add(campaignLabel(cells, h.columns), line);
                    continue;
                }
                // numbers only now: a row in another currency or of no channel is reported as such, not for them
                Map<String, BigDecimal> n = new LinkedHashMap<>();
                for (String f : NUMBER_FIELDS) {
                    Integer col = h.columns.get(f);
                    if (col != null) {
                        n.put(f, ExportCells.number(cell(cells, col), format.decimal(), f, line, rowErrors));
                    }
                }
                if (!channels.keys().contains(channel)) {
                    // a channel column naming no channel of the portfolio: refused here, so no channel-day is held
                    rowErrors.add(new FieldError("channel", "unknown channel '" + abbreviate(channel)
                            + "' in this portfolio", line));
                }
                if (!rowErrors.isEmpty() || date == null) {
                    rowErrors.forEach(e -> add(errors, errorCount, e));
                    continue;
                }
                days.computeIfAbsent(date + "|" + channel, k -> new Day(channel, date, line)).add(n);
            }
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            String msg = e.getMessage() == null ? "unreadable" : e.getMessage().split("\n")[0];
            throw InvalidInput.of("body", "The body is not valid CSV: " + msg.replaceAll("([a-z]+\\.)+[A-Z]\\w*: ", ""));
        }
        for (DistinctTally.Entry c : wrongCurrency.listed()) {
            add(errors, errorCount, new FieldError("currency", "the export has amounts in " + c.name
                    + " (first on line " + c.firstLine() + "); the portfolio's currency is " + currency, c.firstLine()));
        }
        errorCount[0] += wrongCurrency.count() - wrongCurrency.listed().size();
        for (DistinctTally.Entry c : unmapped.listed()) {
            add(errors, errorCount, new FieldError("campaign", "campaign " + c.name
                    + " is not mapped to a channel (line" + (c.lineCount > 1 ? "s " : " ") + c.lineList()
                    + "): add it to a channel's aliases (by name) or target.campaigns (by id), or post with unmapped=ignore",
                    c.firstLine()));
        }
        // one error per unmapped campaign, as listed ones count
        errorCount[0] += unmapped.count() - unmapped.listed().size();
        List<RawRow> rows = new ArrayList<>(days.size());
        for (Day d : days.values()) {
            rows.add(d.toRow());
        }
        int best = 0;
        for (int i = 1; i < used.length; i++) {
            best = used[i] > used[best] ? i : best;
        }
        return new Parsed(format.name(), detected, mapping, format.decimal(), format.dateFormats().get(best), rows, errors,
                errorCount[0], unmapped.names(), unmapped.count(), ignored.names(), ignored.count(), skipped, h.line);
    }

    /**
     * Reads up to {@code max} lines into {@code lines}; true when the text goes on after them. A header is
     * looked for among these only, so no more of the body is held while looking.
     */
    private static boolean headLines(BufferedReader in, int max, List<String> lines) {
        try {
            for (String l; lines.size() < max && (l = in.readLine()) != null; ) {
                lines.add(l);
            }
            if (lines.size() < max) {
                return false;
            }
            in.mark(1);
            boolean more = in.read() >= 0;
            in.reset();
            return more;
        } catch (IOException e) {
            throw InvalidInput.of("body", "The body could not be read: " + e.getMessage());
        }
    }


    /** The fields a row read from an export must have (new customers and ltv are not in platform exports). */
    static final Set<String> REQUIRED_ROW = Set.of("channel", "date", "spend", "impressions", "clicks", "conversions",
            "revenue");

    /** A reader over the rows found, for the ingestion's checks. */
    static RawRowReader rows(List<RawRow> rows) {
        var it = rows.iterator();
        return new RawRowReader() {
            @Override
            public boolean numbersAsText() {
                return false;
            }

            @Override
            public Set<String> requiredFields() {
                return REQUIRED_ROW;
            }

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public RawRow next() {
                return it.next();
            }

            @Override
            public void close() {
            }
        };
    }

    private record Header(int line, char delimiter, List<String> cells, ExportFormat format, Map<String, Integer> columns) {
    }

    private static Header findHeader(List<String> lines, List<ExportFormat> candidates) {
        int limit = Math.min(lines.size(), HEADER_SEARCH_LINES);
        Integer fixed = candidates.size() == 1 ? candidates.get(0).skipLines() : null;
        int from = fixed == null ? 0 : Math.min(fixed, lines.size());
        int to = fixed == null ? limit : Math.min(fixed + 1, lines.size());
        for (int i = from; i < to; i++) {
            for (char d : DELIMITERS) {
                List<String> cells = split(lines.get(i), d);
                if (cells.size() < 3) {
                    continue;
                }
                for (ExportFormat f : candidates) {
                    Map<String, Integer> cols = f.resolve(cells);
                    if (ExportFormat.usable(cols)) {
                        return new Header(i + 1, d, cells, f, cols);
                    }
                }
            }
        }
        List<FieldError> errors = new ArrayList<>();
        for (ExportFormat f : candidates) {
            errors.add(new FieldError("header", f.name() + ": expects a header line with a date (" + f.expected("date")
                    + "), spend (" + f.expected("spend") + ") and a campaign (" + f.expected("campaign") + ", "
                    + f.expected("campaignId") + ")" + (f.columns().containsKey("channel") ? " or channel" : ""), null));
        }
        String where = fixed != null ? "on line " + (fixed + 1) + " (after skipLines " + fixed + ")"
                : "in the first " + limit + " lines";
        throw InvalidInput.of(lines.isEmpty() ? "The CSV body is empty; a header line is required"
                : "No header line of " + (candidates.size() == 1 ? "format " + candidates.get(0).name()
                : "a known format") + " found " + where, errors);
    }

    private static List<String> split(String line, char delimiter) {
        try (CSVParser p = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setTrim(true).get()
                .parse(new StringReader(line))) {
            List<CSVRecord> recs = p.getRecords();
            return recs.isEmpty() ? List.of() : recs.get(0).toList();
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            return List.of();
        }
    }

    private static final Pattern TOTAL = Pattern.compile("^(total|totals|summary|summe|gesamt|grand total)\\b.*");

    /**
     * Lines that carry no day of one campaign: empty lines, a lone text cell (titles, copyright footers), total
     * and summary lines ({@code Total: Account}, {@code Total of 4 results}), and summary rows that name no
     * campaign or channel (a data row always names its campaign).
     */
    private static boolean skippable(List<String> cells, Map<String, Integer> columns) {
        List<String> filled = cells.stream().map(String::trim).filter(c -> !c.isEmpty() && !c.equals("--")).toList();
        if (filled.size() <= 1) {
            return true;
        }
        String first = filled.get(0).toLowerCase(Locale.ROOT);
        if (TOTAL.matcher(first).matches() || first.startsWith("results from") || first.contains("\u00A9")
                || first.contains("all rights reserved") || first.startsWith("copyright")) {
            return true;
        }
        return ExportFormat.ROW_KEYS.stream().map(columns::get)
                .noneMatch(i -> i != null && !cell(cells, i).trim().isEmpty() && !cell(cells, i).trim().equals("--"));
    }

    private static String cell(List<String> cells, Integer i) {
        return i == null || i >= cells.size() || cells.get(i) == null ? "" : cells.get(i);
    }

    private static Integer indexOf(List<String> cells, String normalName) {
        for (int i = 0; i < cells.size(); i++) {
            if (ExportFormat.normal(cells.get(i)).equals(normalName)) {
                return i;
            }
        }
        return null;
    }

    private static String channel(List<String> cells, Map<String, Integer> columns, Channels channels) {
        String key = cell(cells, columns.get("channel")).trim();
        if (!key.isEmpty()) {
            return key; // a channel column names the channel itself; an unknown key is the validator's error
        }
        String id = cell(cells, columns.get("campaignId")).trim();
        if (!id.isEmpty() && channels.byCampaignId().containsKey(id)) {
            return channels.byCampaignId().get(id);
        }
        String name = ExportFormat.normal(cell(cells, columns.get("campaign")));
        return name.isEmpty() ? null : channels.byAlias().get(name);
    }

    /** How a campaign is named in answers; a name longer than the platforms allow is cut (and so is an id). */
    private static String campaignLabel(List<String> cells, Map<String, Integer> columns) {
        String name = cut(cell(cells, columns.get("campaign")).trim(), 256);
        String id = cut(cell(cells, columns.get("campaignId")).trim(), 40);
        if (name.isEmpty()) {
            return id.isEmpty() ? "(no name)" : "id " + id;
        }
        return "'" + name + "'" + (id.isEmpty() ? "" : " (id " + id + ")");
    }

    private static void add(List<FieldError> errors, long[] count, FieldError e) {
        count[0]++;
        if (errors.size() < MAX_LISTED_ERRORS) {
            errors.add(e);
        }
    }

    private static String abbreviate(String s) {
        return cut(s, 30);
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(0, max) + "…" : s;
    }

    /** One channel's sums on one day. */
    private static final class Day {
        final String channel;
        final LocalDate date;
        final int line;
        final Map<String, BigDecimal> sums = new LinkedHashMap<>();
        BigDecimal ltvWeighted = BigDecimal.ZERO;
        boolean ltvSeen;

        Day(String channel, LocalDate date, int line) {
            this.channel = channel;
            this.date = date;
            this.line = line;
        }

        void add(Map<String, BigDecimal> n) {
            n.forEach((f, v) -> {
                if (f.equals("ltv")) {
                    ltvSeen = true;
                    ltvWeighted = ltvWeighted.add(v.multiply(n.getOrDefault("newCustomers", BigDecimal.ZERO)));
                } else {
                    sums.merge(f, v, BigDecimal::add);
                }
            });
        }

        RawRow toRow() {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("channel", channel);
            v.put("date", date.toString());
            v.putAll(sums);
            BigDecimal customers = sums.get("newCustomers");
            if (ltvSeen && customers != null && customers.signum() > 0) {
                v.put("ltv", ltvWeighted.divide(customers, 2, RoundingMode.HALF_EVEN));
            }
            return new RawRow(line, v, null);
        }
    }
}
