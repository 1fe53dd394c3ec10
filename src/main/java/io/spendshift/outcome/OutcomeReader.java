package io.spendshift.outcome;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spendshift.common.FieldError;
import io.spendshift.common.InvalidInput;
import io.spendshift.common.MalformedBody;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Streams the rows of an outcomes post (a JSON array of objects, or CSV with a header line) or of a warehouse
 * query's result set as maps of field to text, one at a time, so a large file is never held whole. Which fields a row has is the validator's business;
 * a body that cannot be read at all is a {@link MalformedBody}, a header with an unknown column a 400.
 */
abstract class OutcomeReader implements Iterator<OutcomeReader.Raw>, AutoCloseable {

    static final List<String> FIELDS = List.of("channel", "campaign", "date", "newCustomers", "ltv", "value");

    /** One row as read: its 1-based number, its values as text (absent or empty cells left out). */
    record Raw(int row, Map<String, String> values, String problem) {
    }

    static OutcomeReader json(ObjectMapper mapper, InputStream in) {
        return new Json(mapper, in);
    }

    static OutcomeReader csv(InputStream in) {
        return new Csv(in);
    }

    /**
     * The rows of a warehouse query: columns {@code channel|campaign, date, new_customers, ltv|value} (any case;
     * {@code newCustomers} too), SQL NULL as an absent cell; more than {@code maxRows} rows refuse the pull.
     * Closing the reader closes {@code resources} (the statement and its connection).
     */
    static OutcomeReader resultSet(ResultSet rs, int maxRows, AutoCloseable resources) {
        return new Rows(rs, maxRows, resources);
    }

    /** The row source itself failed (a warehouse error, not a bad row): passed through as it is. */
    static final class SourceFailure extends RuntimeException {
        SourceFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public abstract void close() throws IOException;

    private static final class Rows extends OutcomeReader {
        private static final Map<String, String> COLUMNS = Map.of("channel", "channel", "campaign", "campaign",
                "date", "date", "new_customers", "newCustomers", "newcustomers", "newCustomers", "ltv", "ltv",
                "value", "value");
        private final ResultSet rs;
        private final int maxRows;
        private final AutoCloseable resources;
        private final List<String> fields = new ArrayList<>();
        private Boolean ahead;
        private int row;

        Rows(ResultSet rs, int maxRows, AutoCloseable resources) {
            this.rs = rs;
            this.maxRows = maxRows;
            this.resources = resources;
            List<FieldError> errors = new ArrayList<>();
            try {
                ResultSetMetaData meta = rs.getMetaData();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    String label = meta.getColumnLabel(i);
                    String field = COLUMNS.get(label.toLowerCase(java.util.Locale.ROOT));
                    if (field == null) {
                        errors.add(FieldError.of(label, "unknown column; columns are channel|campaign, date,"
                                + " new_customers, ltv|value"));
                    }
                    fields.add(field);
                }
            } catch (SQLException e) {
                throw new SourceFailure(e.getMessage(), e);
            }
            if (!errors.isEmpty()) {
                throw InvalidInput.of("The query's columns are not usable", errors);
            }
        }

        @Override
        public boolean hasNext() {
            if (ahead == null) {
                try {
                    ahead = rs.next();
                } catch (SQLException e) {
                    throw new SourceFailure(e.getMessage(), e);
                }
            }
            return ahead;
        }

        @Override
        public Raw next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ahead = null;
            row++;
            if (row > maxRows) {
                throw InvalidInput.of("query", "returned more than " + maxRows + " rows (the datasource's max-rows);"
                        + " nothing was stored");
            }
            Map<String, String> values = new LinkedHashMap<>();
            try {
                for (int i = 0; i < fields.size(); i++) {
                    Object v = rs.getObject(i + 1);
                    if (v == null) {
                        continue;
                    }
                    String text;
                    if (v instanceof java.sql.Date d) {
                        text = d.toLocalDate().toString();
                    } else if (v instanceof java.math.BigDecimal b) {
                        text = b.toPlainString();
                    } else {
                        text = v.toString();
                    }
                    values.put(fields.get(i), text);
                }
            } catch (SQLException e) {
                throw new SourceFailure(e.getMessage(), e);
            }
            return new Raw(row, values, null);
        }

        @Override
        public void close() throws IOException {
            try {
                resources.close();
            } catch (Exception e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    private static final class Json extends OutcomeReader {
        private final JsonParser parser;
        private final com.fasterxml.jackson.databind.ObjectReader rows;
        private JsonToken next;
        private int row;

        Json(ObjectMapper mapper, InputStream in) {
            // rows are read one by one from inside the array: what follows a row is the next row, not garbage
            this.rows = mapper.reader()
                    .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
            try {
                parser = mapper.createParser(in);
                if (parser.nextToken() != JsonToken.START_ARRAY) {
                    throw InvalidInput.of("body", "must be a JSON array of outcome rows");
                }
                next = parser.nextToken();
            } catch (IOException e) {
                throw malformed("JSON", e, 0);
            }
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                throw malformed("JSON", new IOException("the JSON array is not closed"), row + 1);
            }
            return next != JsonToken.END_ARRAY;
        }

        @Override
        public Raw next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            row++;
            try {
                JsonNode node = rows.readTree(parser);
                next = parser.nextToken();
                if (node == null || !node.isObject()) {
                    return new Raw(row, Map.of(), "must be an object with the fields " + FIELDS);
                }
                Map<String, String> values = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> f = it.next();
                    JsonNode v = f.getValue();
                    if (v.isNull()) {
                        continue;
                    }
                    if (!v.isValueNode()) {
                        return new Raw(row, Map.of(), "field '" + f.getKey() + "' must be a number or a string");
                    }
                    values.put(f.getKey(), v.isNumber() ? v.decimalValue().toString() : v.asText());
                }
                return new Raw(row, values, null);
            } catch (IOException e) {
                throw malformed("JSON", e, row);
            }
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    private static final class Csv extends OutcomeReader {
        private final CSVParser parser;
        private final Iterator<CSVRecord> records;
        private final List<String> header;
        private int row;

        Csv(InputStream in) {
            try {
                parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                        .setIgnoreEmptyLines(true).setIgnoreSurroundingSpaces(true).get()
                        .parse(new InputStreamReader(in, StandardCharsets.UTF_8));
            } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
                throw malformed("CSV", e, 0);
            }
            header = new ArrayList<>(parser.getHeaderNames());
            if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
                header.set(0, header.get(0).substring(1));
            }
            if (header.isEmpty()) {
                throw InvalidInput.of("header", "the CSV body is empty; a header line is required");
            }
            List<FieldError> errors = new ArrayList<>();
            header.stream().filter(h -> !FIELDS.contains(h))
                    .forEach(h -> errors.add(FieldError.of(h, "unknown column; columns are " + FIELDS)));
            if (!errors.isEmpty()) {
                throw InvalidInput.of("The CSV header is not usable", errors);
            }
            records = parser.iterator();
        }

        @Override
        public boolean hasNext() {
            try {
                return records.hasNext();
            } catch (UncheckedIOException | IllegalStateException e) {
                throw malformed("CSV", e, row + 1);
            }
        }

        @Override
        public Raw next() {
            CSVRecord r;
            try {
                r = records.next();
            } catch (UncheckedIOException | IllegalStateException e) {
                throw malformed("CSV", e, row + 1);
            }
            row++;
            if (r.size() != header.size()) {
                return new Raw(row, Map.of(), "has " + r.size() + " fields, the header has " + header.size());
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                String v = r.get(i);
                if (v != null && !v.isEmpty()) {
                    values.put(header.get(i), v);
                }
            }
            return new Raw(row, values, null);
        }

        @Override
        public void close() throws IOException {
            parser.close();
        }
    }

    private static MalformedBody malformed(String kind, Exception e, int row) {
        String where = row > 0 ? " at row " + row : "";
        String msg = e.getMessage() == null ? "unreadable" : e.getMessage().split("\n")[0]
                .replaceAll("([a-z]+\\.)+[A-Z]\\w*(Exception|Error): ", "");
        return new MalformedBody(kind, "The body is not valid " + kind + where + ": " + msg,
                List.of(new FieldError("body", "malformed " + kind + ": " + msg, row > 0 ? row : null)));
    }
}
