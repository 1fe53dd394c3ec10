package io.spendshift.metrics;

import io.spendshift.common.InvalidInput;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Streams raw metric rows out of a request body, one at a time, so that a large post is never held in
 * memory as a whole. A body that cannot be read at all (not an array, broken JSON or CSV syntax, a CSV
 * header without the required columns) is a {@link io.spendshift.common.MalformedBody}; a row that is readable but wrong is
 * passed on for validation.
 */
public abstract class RawRowReader implements Iterator<RawRow>, AutoCloseable {

    public static final List<String> FIELDS = List.of("channel", "date", "spend", "impressions", "clicks",
            "conversions", "revenue", "newCustomers", "ltv");
    /**
     * The fields every row must have. New customers and their LTV may be left out, as the ad platforms leave them
     * out: unknown, not zero (the team's customer feed, {@code POST …/outcomes}, brings them).
     */
    static final Set<String> REQUIRED = Set.of("channel", "date", "spend", "impressions", "clicks", "conversions",
            "revenue");

    /** True when numbers arrive as text (CSV), false when they must be JSON numbers. */
    public abstract boolean numbersAsText();

    /** The fields every row must have. */
    public Set<String> requiredFields() {
        return REQUIRED;
    }

    public static RawRowReader json(ObjectMapper mapper, InputStream in) {
        return new Json(mapper, in);
    }

    /** Spendshift's own CSV; a byte-order mark (as spreadsheet programs write) is read as the encoding it names. */
    public static RawRowReader csv(InputStream in) {
        return new Csv(TextDecoding.reader(in));
    }


    /**
     * Rows already in memory (the simulated market, the ad platforms' connectors, tests); numbers given as
     * BigDecimal; a null {@code newCustomers} is unknown, not zero.
     */
    public static RawRowReader of(List<MetricRow> rows) {
        Iterator<MetricRow> it = rows.iterator();
        return new RawRowReader() {
            int n;

            @Override
            public boolean numbersAsText() {
                return false;
            }

            @Override
            public Set<String> requiredFields() {
                return REQUIRED;
            }

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public RawRow next() {
                MetricRow r = it.next();
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("channel", r.channel());
                v.put("date", r.date().toString());
                v.put("spend", r.spend());
                v.put("impressions", java.math.BigDecimal.valueOf(r.impressions()));
                v.put("clicks", java.math.BigDecimal.valueOf(r.clicks()));
                v.put("conversions", r.conversions());
                v.put("revenue", r.revenue());
                if (r.newCustomers() != null) {
                    v.put("newCustomers", r.newCustomers());
                }
                if (r.ltv() != null) {
                    v.put("ltv", r.ltv());
                }
                return new RawRow(++n, v, null);
            }

            @Override
            public void close() {
            }
        };
    }

    private static final class Json extends RawRowReader {
        private final JsonParser parser;
        private final com.fasterxml.jackson.databind.ObjectReader rowReader;
        private int row;
        private JsonToken next;

        Json(ObjectMapper mapper, InputStream in) {
            // rows are read one by one from inside the array: what follows a row is the next row, not garbage
            this.rowReader = mapper.reader()
                    .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
            try {
                this.parser = mapper.createParser(in);
                JsonToken first = parser.nextToken();
                if (first != JsonToken.START_ARRAY) {
                    throw InvalidInput.of("body", "must be a JSON array of metric rows");
                }
                advance();
            } catch (IOException e) {
                throw malformed(e, 0);
            }
        }

        private void advance() {
            try {
                next = parser.nextToken();
                if (next == null) {
                    throw InvalidInput.of("body", "the JSON array is not closed");
                }
            } catch (IOException e) {
                throw malformed(e, row + 1);
            }
        }

        @Override
        public boolean numbersAsText() {
            return false;
        }

        @Override
        public boolean hasNext() {
            if (next == JsonToken.END_ARRAY) {
                try {
                    if (parser.nextToken() != null) {
                        throw InvalidInput.of("body", "unexpected content after the JSON array");
                    }
                } catch (IOException e) {
                    throw malformed(e, row);
                }
                next = null;
            }
            return next != null;
        }

        @Override
        public RawRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            row++;
            try {
                JsonNode node = rowReader.readTree(parser);
                advance();
                if (!node.isObject()) {
                    return RawRow.broken(row, "must be a JSON object");
                }
                Map<String, Object> values = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    JsonNode v = f.getValue();
                    if (v.isNull()) {
                        continue;
                    }
                    values.put(f.getKey(), v.isNumber() ? v.decimalValue() : v.isTextual() ? v.textValue() : RawRow.OTHER);
                }
                return new RawRow(row, values, null);
            } catch (IOException e) {
                throw malformed(e, row);
            }
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }

        private static io.spendshift.common.MalformedBody malformed(IOException e, int row) {
            String msg = io.spendshift.common.ProblemMappers.humanJackson(
                    e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage());
            String where = row > 0 ? " at row " + row : "";
            return new io.spendshift.common.MalformedBody("JSON", "The body is not valid JSON" + where + ": " + msg,
                    List.of(new io.spendshift.common.FieldError("body", "malformed JSON: " + msg, row > 0 ? row : null)));
        }
    }

    private static final class Csv extends RawRowReader {
        private final CSVParser parser;
        private final Iterator<CSVRecord> records;
        private final List<String> header;
        private int row;

        Csv(Reader reader) {
            try {
                this.parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                        .setIgnoreEmptyLines(true).setIgnoreSurroundingSpaces(true).get().parse(reader);
            } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
                throw malformed(e, 0);
            }
            this.header = new ArrayList<>(parser.getHeaderNames());
            List<String> missing = REQUIRED.stream().filter(f -> !header.contains(f)).sorted().toList();
            List<String> unknown = header.stream().filter(h -> !FIELDS.contains(h)).toList();
            if (header.isEmpty()) {
                throw InvalidInput.of("header", "the CSV body is empty; a header row is required");
            }
            List<io.spendshift.common.FieldError> errors = new ArrayList<>();
            missing.forEach(m -> errors.add(io.spendshift.common.FieldError.of(m, "required column is missing")));
            unknown.forEach(u -> errors.add(io.spendshift.common.FieldError.of(u, "unknown column; columns are " + FIELDS)));
            if (!errors.isEmpty()) {
                throw InvalidInput.of("The CSV header is not usable", errors);
            }
            this.records = parser.iterator();
        }

        @Override
        public boolean numbersAsText() {
            return true;
        }

        @Override
        public boolean hasNext() {
            try {
                return records.hasNext();
            } catch (UncheckedIOException | IllegalStateException e) {
                throw malformed(e, row + 1);
            }
        }

        @Override
        public RawRow next() {
            CSVRecord r;
            try {
                r = records.next();
            } catch (UncheckedIOException | IllegalStateException e) {
                throw malformed(e, row + 1);
            }
            row++;
            if (r.size() != header.size()) {
                return RawRow.broken(row, "has " + r.size() + " fields, the header has " + header.size());
            }
            Map<String, Object> values = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                String v = r.get(i);
                if (v != null && !v.isEmpty()) {
                    values.put(header.get(i), v);
                }
            }
            return new RawRow(row, values, null);
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }

        private static io.spendshift.common.MalformedBody malformed(Exception e, int row) {
            String where = row > 0 ? " at row " + row : "";
            String msg = e.getMessage() == null ? "unreadable"
                    : e.getMessage().split("\n")[0].replaceAll("([a-z]+\\.)+[A-Z]\\w*(Exception|Error): ", "");
            return new io.spendshift.common.MalformedBody("CSV", "The body is not valid CSV" + where + ": " + msg,
                    List.of(new io.spendshift.common.FieldError("body", "malformed CSV: " + msg, row > 0 ? row : null)));
        }
    }
}
