package io.spendshift.warehouse;

import java.util.Locale;

/**
 * Checks an outcomes query before it is stored: one statement, starting with {@code SELECT} or {@code WITH}.
 * This is a guard against mistakes, not the security boundary: the connection is read-only
 * ({@link Warehouses#open}) and the warehouse user should be too.
 */
public final class WarehouseQuery {

    /** The longest query stored. */
    public static final int MAX_LENGTH = 20_000;

    private WarehouseQuery() {
    }

    /** What is wrong with a query, or null when it is usable. */
    public static String problem(String query) {
        if (query == null || query.isBlank()) {
            return "is required: a SELECT or WITH statement";
        }
        if (query.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        StringBuilder code = new StringBuilder();
        int n = query.length();
        for (int i = 0; i < n; i++) {
            char c = query.charAt(i);
            if (c == '\'' || c == '"') {
                int end = query.indexOf(c, i + 1);
                while (end > 0 && end + 1 < n && query.charAt(end + 1) == c) {
                    end = query.indexOf(c, end + 2);
                }
                if (end < 0) {
                    return "has an unterminated " + (c == '\'' ? "string literal" : "quoted identifier");
                }
                code.append(' ');
                i = end;
            } else if (c == '-' && i + 1 < n && query.charAt(i + 1) == '-') {
                int end = query.indexOf('\n', i);
                i = end < 0 ? n : end;
                code.append(' ');
            } else if (c == '/' && i + 1 < n && query.charAt(i + 1) == '*') {
                int end = query.indexOf("*/", i + 2);
                if (end < 0) {
                    return "has an unterminated comment";
                }
                i = end + 1;
                code.append(' ');
            } else if (c == ';') {
                return "must be a single statement: ';' is not allowed (outside quotes)";
            } else {
                code.append(c);
            }
        }
        String first = code.toString().replace('(', ' ').strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        if (!first.equals("SELECT") && !first.equals("WITH")) {
            return "must be a SELECT or WITH statement";
        }
        return null;
    }
}
