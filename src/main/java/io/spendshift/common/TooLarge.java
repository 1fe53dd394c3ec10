package io.spendshift.common;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An upload that holds more than a configured limit allows (rows, distinct campaigns): refused as a whole with
 * a 413 naming the limit ({@code limit}, the configuration item) and its configured value ({@code maximum}).
 */
public class TooLarge extends DomainException {

    private final String limit;
    private final long maximum;

    public TooLarge(String detail, String limit, long maximum) {
        super(detail);
        this.limit = limit;
        this.maximum = maximum;
    }

    /** The configuration item whose value was exceeded, e.g. {@code spendshift.ingest.max-rows}. */
    public String limit() {
        return limit;
    }

    /** Its configured value. */
    public long maximum() {
        return maximum;
    }

    @Override
    public Map<String, Object> extensions() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("limit", limit);
        out.put("maximum", maximum);
        return out;
    }
}
