package io.spendshift.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How to read one kind of CSV: which header names hold which metric field, the decimal separator and the date
 * formats. The presets follow the platforms' documented default English column names of their UI and report
 * exports; a saved custom mapping is a format too. A header name ending in {@code (*)} matches any bracketed
 * suffix ({@code Amount spent (USD)}), and the bracket then names the currency of the money columns.
 */
public record ExportFormat(String name, Map<String, List<String>> columns, char decimal, List<String> dateFormats,
                           Integer skipLines) {

    /** Metric fields a column can be mapped to. */
    public static final List<String> FIELDS = List.of("date", "channel", "campaign", "campaignId", "spend",
            "impressions", "clicks", "conversions", "revenue", "newCustomers", "ltv", "currency");
    /** Fields every format must map; in addition one of {@link #ROW_KEYS}. */
    public static final List<String> REQUIRED = List.of("date", "spend", "impressions", "clicks", "conversions",
            "revenue");
    /** What says which channel a row is for: the channel key itself, or the campaign's name or id. */
    public static final List<String> ROW_KEYS = List.of("channel", "campaignId", "campaign");

    public static final String SPENDSHIFT = "spendshift";
    public static final String GOOGLE_ADS = "google-ads";
    public static final String META_ADS = "meta-ads";
    public static final String MICROSOFT_ADS = "microsoft-ads";
    public static final String TIKTOK_ADS = "tiktok-ads";

    /** The built-in presets, in the order detection tries them. */
    public static final List<ExportFormat> PRESETS = List.of(
            preset(SPENDSHIFT, List.of("yyyy-MM-dd"),
                    "channel", "channel", "date", "date", "spend", "spend", "impressions", "impressions",
                    "clicks", "clicks", "conversions", "conversions", "revenue", "revenue",
                    "newCustomers", "newCustomers", "ltv", "ltv"),
            preset(GOOGLE_ADS, List.of("yyyy-MM-dd", "MM/dd/yyyy", "MMM d, yyyy", "EEE, MMM d, yyyy"),
                    "date", "Day|Date", "campaign", "Campaign", "campaignId", "Campaign ID",
                    "spend", "Cost", "impressions", "Impr.|Impressions", "clicks", "Clicks",
                    "conversions", "Conversions", "revenue", "Conv. value|Conversion value|Total conv. value",
                    "currency", "Currency code|Currency"),
            preset(META_ADS, List.of("yyyy-MM-dd", "MM/dd/yyyy"),
                    "date", "Day|Reporting starts", "campaign", "Campaign name", "campaignId", "Campaign ID",
                    "spend", "Amount spent (*)|Amount spent", "impressions", "Impressions",
                    "clicks", "Link clicks|Clicks (all)", "conversions", "Purchases|Website purchases",
                    "revenue", "Purchases conversion value|Purchase conversion value|Website purchases conversion value",
                    "currency", "Currency"),
            preset(MICROSOFT_ADS, List.of("yyyy-MM-dd", "M/d/yyyy", "MM/dd/yyyy"),
                    "date", "Time period|Date|Day|Gregorian date", "campaign", "Campaign name|Campaign",
                    "campaignId", "Campaign ID", "spend", "Spend", "impressions", "Impressions|Impr.",
                    "clicks", "Clicks", "conversions", "Conversions|Conv.", "revenue", "Revenue",
                    "currency", "Currency code|Currency"),
            preset(TIKTOK_ADS, List.of("yyyy-MM-dd", "MM/dd/yyyy"),
                    "date", "By Day|Date|Day", "campaign", "Campaign name", "campaignId", "Campaign ID",
                    "spend", "Cost", "impressions", "Impressions", "clicks", "Clicks (destination)|Clicks",
                    "conversions", "Conversions", "revenue",
                    "Total purchase value|Complete payment value|Total complete payment value|Purchase value",
                    "currency", "Currency"));

    public static final Set<String> NAMES = Set.of(SPENDSHIFT, GOOGLE_ADS, META_ADS, MICROSOFT_ADS, TIKTOK_ADS);

    public static Optional<ExportFormat> preset(String name) {
        return PRESETS.stream().filter(p -> p.name.equals(name)).findFirst();
    }

    private static ExportFormat preset(String name, List<String> dates, String... pairs) {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            columns.put(pairs[i], List.of(pairs[i + 1].split("\\|")));
        }
        return new ExportFormat(name, columns, '.', dates, null);
    }

    /** The same format read with another decimal separator and, when given, another date format. */
    public ExportFormat with(Character decimal, String dateFormat) {
        return new ExportFormat(name, columns, decimal == null ? this.decimal : decimal,
                dateFormat == null ? dateFormats : List.of(dateFormat), skipLines);
    }

    /** Which column of {@code header} holds each field this format maps (absent when the header has none). */
    public Map<String, Integer> resolve(List<String> header) {
        Map<String, Integer> found = new LinkedHashMap<>();
        columns.forEach((field, names) -> {
            for (String n : names) {
                int i = indexOf(header, n);
                if (i >= 0) {
                    found.put(field, i);
                    return;
                }
            }
        });
        return found;
    }

    /** Whether a resolved header can say which row is which: a date, spend and a channel or campaign. */
    static boolean usable(Map<String, Integer> resolved) {
        return resolved.containsKey("date") && resolved.containsKey("spend")
                && ROW_KEYS.stream().anyMatch(resolved::containsKey);
    }

    /** The currency a bracketed header names ({@code Amount spent (USD)}), if any. */
    static Optional<String> bracketCurrency(String header) {
        String h = header.trim();
        int open = h.lastIndexOf('(');
        if (open > 0 && h.endsWith(")")) {
            String inside = h.substring(open + 1, h.length() - 1).trim();
            if (inside.matches("[A-Za-z]{3}")) {
                return Optional.of(inside.toUpperCase(Locale.ROOT));
            }
        }
        return Optional.empty();
    }

    private static int indexOf(List<String> header, String name) {
        String want = normal(name);
        boolean anySuffix = want.endsWith(" (*)");
        String prefix = anySuffix ? want.substring(0, want.length() - 4) : want;
        for (int i = 0; i < header.size(); i++) {
            String h = normal(header.get(i));
            if (anySuffix ? h.startsWith(prefix + " (") && h.endsWith(")") : h.equals(want)) {
                return i;
            }
        }
        return -1;
    }

    /** Header names compare without case, surrounding blanks, doubled blanks and a byte-order mark. */
    public static String normal(String s) {
        return s == null ? "" : s.replace("\uFEFF", "").trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    /** The header names that would satisfy {@code field}, for error messages. */
    String expected(String field) {
        List<String> names = columns.get(field);
        return names == null ? "(not mapped)" : String.join(" or ", names.stream().map(n -> "'" + n + "'").toList());
    }
}
