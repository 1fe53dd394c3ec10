package io.spendshift.metrics;

import io.spendshift.common.FieldError;
import io.spendshift.common.InvalidInput;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** The cells of a platform export read as values: dates by the export's formats, numbers by its decimal separator. */
final class ExportCells {

    private static final Pattern TIME_OF_DAY = Pattern.compile("^(.+?)[ T]00:00(:00)?$");
    private static final Pattern CURRENCY_AFFIX = Pattern.compile("^[A-Za-z]{3}\\s*|\\s*[A-Za-z]{3}$");

    private ExportCells() {
    }

    static List<DateTimeFormatter> formatters(List<String> patterns) {
        List<DateTimeFormatter> out = new ArrayList<>();
        for (String p : patterns) {
            out.add(formatter(p));
        }
        return out;
    }

    /** A strict formatter for a pattern as users write it ({@code dd.MM.yyyy}); a bad pattern is a 400. */
    static DateTimeFormatter formatter(String pattern) {
        try {
            return DateTimeFormatter.ofPattern(pattern.replace("yyyy", "uuuu").replace("yy", "uu"), Locale.ENGLISH)
                    .withResolverStyle(ResolverStyle.STRICT);
        } catch (IllegalArgumentException e) {
            throw InvalidInput.of("dateFormat", "'" + pattern + "' is not a date pattern (such as dd.MM.yyyy): "
                    + e.getMessage());
        }
    }

    static LocalDate date(String cell, List<DateTimeFormatter> formats, int[] used, ExportFormat format,
                                  int line, List<FieldError> errors) {
        String s = cell.trim();
        if (s.isEmpty()) {
            errors.add(new FieldError("date", "is empty", line));
            return null;
        }
        var m = TIME_OF_DAY.matcher(s);
        if (m.matches()) {
            s = m.group(1);
        }
        for (int i = 0; i < formats.size(); i++) {
            try {
                LocalDate d = LocalDate.parse(s, formats.get(i));
                used[i]++;
                return d;
            } catch (DateTimeParseException e) {
                // try the next pattern
            }
        }
        errors.add(new FieldError("date", "'" + abbreviate(s) + "' is not a date in "
                + (formats.size() == 1 ? "the format " : "any of the formats ") + String.join(", ", format.dateFormats())
                + "; give the file's format with dateFormat=", line));
        return null;
    }

    /**
     * A number as exports write it: {@code 1,234.56}, {@code $1,234.56}, {@code 1.234,56 €}, {@code 2,774},
     * {@code USD 12.00}; empty and {@code --} (platforms' "none") are 0. The thousands separator is whichever of
     * {@code ,} and {@code .} is not the decimal separator (blanks and apostrophes too), and must group by three.
     */
    static BigDecimal number(String cell, char decimal, String field, int line, List<FieldError> errors) {
        String s = cell.trim().replace("\u00A0", "").replace("\u202F", "").replace(" ", "").replace("'", "");
        if (s.isEmpty() || s.equals("--") || s.equals("-")) {
            return BigDecimal.ZERO;
        }
        boolean negative = false;
        if (s.startsWith("(") && s.endsWith(")")) {
            negative = true;
            s = s.substring(1, s.length() - 1);
        }
        s = CURRENCY_AFFIX.matcher(s).replaceAll("");
        s = SYMBOL_AROUND.matcher(s).replaceAll("");
        if (s.startsWith("-")) {
            negative = true;
            s = s.substring(1);
        }
        s = SYMBOL_LEADING.matcher(s).replaceAll("");
        char group = decimal == '.' ? ',' : '.';
        NumberSyntax syntax = SYNTAX.computeIfAbsent(decimal, NumberSyntax::of);
        if (syntax.grouped.matcher(s).matches() || syntax.plain.matcher(s).matches()
                || syntax.fraction.matcher(s).matches()) {
            String plain = s.replace(String.valueOf(group), "").replace(decimal, '.');
            BigDecimal b = new BigDecimal(plain.startsWith(".") ? "0" + plain : plain);
            return negative ? b.negate() : b;
        }
        String hint = syntax.otherDecimal.matcher(s).matches() ? "; is the decimal separator '" + group + "'? (decimal="
                + group + ")" : "";
        errors.add(new FieldError(field, "'" + abbreviate(cell.trim()) + "' is not a number with decimal separator '"
                + decimal + "'" + hint, line));
        return null;
    }

    private static final Pattern SYMBOL_AROUND = Pattern.compile("^[$€£¥₹]+|[$€£¥₹]+$");
    private static final Pattern SYMBOL_LEADING = Pattern.compile("^[$€£¥₹]+");
    private static final Map<Character, NumberSyntax> SYNTAX = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The shapes of a number with a decimal separator, compiled once (they were compiled for every cell, most of
     * the time an export took): grouped by thousands, plain, a bare fraction, and one that looks as if the other
     * separator were the decimal one.
     */
    private record NumberSyntax(Pattern grouped, Pattern plain, Pattern fraction, Pattern otherDecimal) {
        static NumberSyntax of(char decimal) {
            String g = Pattern.quote(String.valueOf(decimal == '.' ? ',' : '.'));
            String d = Pattern.quote(String.valueOf(decimal));
            return new NumberSyntax(Pattern.compile("\\d{1,3}(" + g + "\\d{3})+(" + d + "\\d+)?"),
                    Pattern.compile("\\d+(" + d + "\\d+)?"), Pattern.compile(d + "\\d+"),
                    Pattern.compile("\\d+" + g + "\\d{1,2}"));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 30 ? s.substring(0, 30) + "…" : s;
    }
}
