package io.spendshift.rules.engine;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes compile errors point at their cause:
 * <ul>
 * <li>a parser message's own position ({@code Line 15:7}, 0-based column) becomes its 1-based column where the
 * build message had none;</li>
 * <li>a "mismatched input 'then'" after a condition whose parentheses do not close moves to the end of that
 * condition and says a ')' is missing;</li>
 * <li>decision-table errors are given by table row and column (CSV: {@code (at row 11, column D, ACTION)}; xlsx:
 * the sheet and cell) instead of lines of the DRL the table turns into, and one bad cell gives one error;</li>
 * <li>root errors come first: when a file does not parse, errors in other files on lines that use a type it
 * declares are consequences, not causes, and are dropped (the root error says how many).</li>
 * </ul>
 */
final class CompileErrors {

    private static final Pattern PARSER_POSITION = Pattern.compile("\\bLine (\\d+):(\\d+)\\b");
    private static final Pattern RULE_VALUES = Pattern.compile("^\\s*// rule values at ([A-Z]+)(\\d+)");
    private static final Pattern DECLARE = Pattern.compile("(?m)^\\s*declare\\s+(?:trait\\s+)?(\\w+)");

    private CompileErrors() {
    }

    static List<CompileError> tidy(List<CompileError> errors, List<RuleFile> files, Map<String, String> drlByFile) {
        Map<String, RuleFile> byPath = new LinkedHashMap<>();
        files.forEach(f -> byPath.put(f.path(), f));
        List<CompileError> out = new ArrayList<>();
        for (CompileError e : errors) {
            String drl = drlByFile.get(e.file());
            CompileError t = withParserColumn(e);
            out.add(drl == null ? t : missingParenthesis(t, drl));
        }
        // cascades are found on lines of the DRL, so before decision-table errors move to table rows
        out = rootFirst(out, drlByFile);
        List<CompileError> located = new ArrayList<>();
        for (CompileError e : out) {
            RuleFile f = byPath.get(e.file());
            String drl = drlByFile.get(e.file());
            located.add(f != null && f.isDecisionTable() && drl != null ? DecisionTables.locate(e, f, drl) : e);
        }
        return dedupe(located);
    }

    private static CompileError withParserColumn(CompileError e) {
        Matcher m = PARSER_POSITION.matcher(e.message());
        if (e.column() == 0 && m.find() && Integer.parseInt(m.group(1)) == e.line()) {
            return new CompileError(e.file(), e.line(), Integer.parseInt(m.group(2)) + 1, e.message());
        }
        return e;
    }

    /** "mismatched input 'then'" (or 'end') right after a condition whose '(' is not closed: point at the condition. */
    private static CompileError missingParenthesis(CompileError e, String drl) {
        if (!e.message().matches("(?s).*mismatched input '(then|end)'.*") || e.line() < 2) {
            return e;
        }
        String[] lines = drl.split("\n", -1);
        int whenLine = -1;
        for (int i = Math.min(e.line() - 2, lines.length - 1); i >= 0; i--) {
            String t = lines[i].trim();
            if (t.equals("when") || t.startsWith("when ") || t.startsWith("rule ")) {
                whenLine = i;
                break;
            }
        }
        if (whenLine < 0) {
            return e;
        }
        int open = 0;
        int last = -1;
        for (int i = whenLine + 1; i < e.line() - 1 && i < lines.length; i++) {
            String code = lines[i].replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"").replaceAll("//.*$", "");
            for (char c : code.toCharArray()) {
                open += c == '(' ? 1 : c == ')' ? -1 : 0;
            }
            if (!code.isBlank()) {
                last = i;
            }
        }
        if (open <= 0 || last < 0) {
            return e;
        }
        String text = lines[last].replaceAll("\\s+$", "");
        return new CompileError(e.file(), last + 1, text.length() + 1, open + " ')' missing at the end of this condition ("
                + open + " '(' not closed before '" + (e.message().contains("'end'") ? "end" : "then") + "' on line "
                + e.line() + "); " + e.message());
    }

    private static List<CompileError> dedupe(List<CompileError> errors) {
        Set<String> seen = new LinkedHashSet<>();
        List<CompileError> out = new ArrayList<>();
        for (CompileError e : errors) {
            // one place, one error: a decision-table cell that breaks its rule gives several Drools messages
            String k = e.line() > 0 ? e.file() + ':' + e.line() + ':' + e.column() : e.file() + ':' + e.message();
            if (seen.add(k)) {
                out.add(e);
            }
        }
        return out;
    }

    static boolean isSyntaxError(CompileError e) {
        String m = e.message();
        return m.contains("[ERR 1") || m.contains("mismatched input") || m.contains("no viable alternative")
                || m.contains("Parse error") || m.contains("missing ')'") || m.contains("extraneous input");
    }

    private static List<CompileError> rootFirst(List<CompileError> errors, Map<String, String> drlByFile) {
        Set<String> broken = new LinkedHashSet<>();
        errors.stream().filter(CompileErrors::isSyntaxError).forEach(e -> broken.add(e.file()));
        if (broken.isEmpty()) {
            return errors;
        }
        Set<String> declared = new LinkedHashSet<>();
        for (String file : broken) {
            Matcher m = DECLARE.matcher(drlByFile.getOrDefault(file, ""));
            while (m.find()) {
                declared.add(m.group(1));
            }
        }
        List<CompileError> kept = new ArrayList<>();
        Map<String, Integer> dropped = new LinkedHashMap<>();
        for (CompileError e : errors) {
            if (!broken.contains(e.file()) && usesAny(e, drlByFile.get(e.file()), declared)) {
                dropped.merge(e.file(), 1, Integer::sum);
            } else {
                kept.add(e);
            }
        }
        kept.sort(Comparator.comparing((CompileError e) -> isSyntaxError(e) ? 0 : 1));
        if (!dropped.isEmpty()) {
            int n = dropped.values().stream().mapToInt(Integer::intValue).sum();
            CompileError root = kept.get(0);
            kept.set(0, new CompileError(root.file(), root.line(), root.column(), root.message() + " (" + n
                    + " error" + (n == 1 ? "" : "s") + " in " + String.join(", ", dropped.keySet())
                    + " follow from it: types declared in " + String.join(", ", broken)
                    + " are unknown until it parses; not listed)"));
        }
        return kept;
    }

    private static boolean usesAny(CompileError e, String drl, Set<String> names) {
        if (names.isEmpty()) {
            return false;
        }
        // the error's own line of DRL when known, else its message without quoted rule names
        String text;
        if (drl != null && e.line() > 0) {
            String[] lines = drl.split("\n", -1);
            text = e.line() <= lines.length ? lines[e.line() - 1] : "";
        } else {
            text = e.message().replaceAll("rule \"[^\"]*\"", "");
        }
        text = text.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
        for (String n : names) {
            if (Pattern.compile("\\b" + Pattern.quote(n) + "\\b").matcher(text).find()) {
                return true;
            }
        }
        return false;
    }

    /** Decision tables: from a line of the generated DRL to the table's row and column. */
    static final class DecisionTables {

        private DecisionTables() {
        }

        static CompileError locate(CompileError e, RuleFile f, String drl) {
            if (e.line() <= 0) {
                return e;
            }
            String[] lines = drl.split("\n", -1);
            int row = -1;
            String part = null;
            for (int i = Math.min(e.line() - 1, lines.length - 1); i >= 0; i--) {
                String t = lines[i].trim();
                if (part == null && (t.equals("then") || t.equals("when"))) {
                    part = t;
                }
                Matcher m = RULE_VALUES.matcher(lines[i]);
                if (m.find()) {
                    row = Integer.parseInt(m.group(2));
                    break;
                }
            }
            if (row < 0) {
                // the table's header (RuleSet, Import, ...): no row to name beyond the file
                return new CompileError(e.file(), 0, 0, "in the table's header (RuleSet, Import, Variables): "
                        + stripGenerated(e.message()));
            }
            String errorLine = e.line() <= lines.length ? lines[e.line() - 1] : "";
            Grid g = Grid.of(f);
            // Drools reports a consequence that does not compile ("Rule Compilation error") on the rule's first line
            String kind = part != null ? (part.equals("then") ? "ACTION" : "CONDITION")
                    : e.message().contains("Rule Compilation error") ? "ACTION" : null;
            int col = g.column(row, errorLine, kind);
            String where = g.sheet() == null
                    ? "row " + row + (col > 0 ? ", column " + letters(col) + g.header(col) : "")
                    : "sheet '" + g.sheet() + "', cell " + (col > 0 ? letters(col) : "A") + row + (col > 0 ? g.header(col) : "");
            // the location goes last: messages keep their own beginning ("refused by the policy language: ...")
            return new CompileError(e.file(), row, Math.max(col, 0), stripGenerated(e.message()) + " (at " + where + ")");
        }

        /** Drools quotes positions in the generated DRL; they mean nothing to the table's author. */
        private static String stripGenerated(String m) {
            return m.replaceAll("\\[ERR \\d+\\] Line \\d+:\\d+\\s*", "").replaceAll("\\bLine \\d+:\\d+\\s*", "").trim();
        }

        static String letters(int col) {
            StringBuilder sb = new StringBuilder();
            for (int c = col; c > 0; c = (c - 1) / 26) {
                sb.insert(0, (char) ('A' + (c - 1) % 26));
            }
            return sb.toString();
        }
    }

    /** The cells of a decision table (the first sheet with a RuleTable, for xlsx). */
    record Grid(String sheet, List<List<String>> rows) {

        static Grid of(RuleFile f) {
            try {
                return f.path().toLowerCase().endsWith(".csv") ? new Grid(null, csv(new String(f.content(), StandardCharsets.UTF_8)))
                        : xlsx(f.content());
            } catch (Exception | LinkageError e) {
                return new Grid(null, List.of());
            }
        }

        String cell(int row, int col) {
            if (row < 1 || row > rows.size() || col < 1 || col > rows.get(row - 1).size()) {
                return "";
            }
            return rows.get(row - 1).get(col - 1);
        }

        /** The type row (CONDITION, ACTION, ...) is the one after "RuleTable ...". */
        private int typeRow() {
            for (int r = 0; r < rows.size(); r++) {
                if (rows.get(r).stream().anyMatch(c -> c.trim().startsWith("RuleTable"))) {
                    return r + 2;
                }
            }
            return -1;
        }

        String header(int col) {
            int t = typeRow();
            String type = t > 0 ? cell(t, col).trim() : "";
            return type.isEmpty() ? "" : ", " + type;
        }

        /** The column of {@code row} whose cell text is in the failing DRL line, preferring the given kind. */
        int column(int row, String drlLine, String kind) {
            int t = typeRow();
            int best = -1;
            int bestLen = -1;
            List<String> cells = row >= 1 && row <= rows.size() ? rows.get(row - 1) : List.of();
            for (int c = 1; c <= cells.size(); c++) {
                String v = cells.get(c - 1).trim();
                String type = t > 0 ? cell(t, c).trim().toUpperCase() : "";
                if (v.isEmpty() || kind != null && !type.startsWith(kind)) {
                    continue;
                }
                if (drlLine.contains(v) && v.length() > bestLen) {
                    best = c;
                    bestLen = v.length();
                }
            }
            if (best < 0 && kind != null) {
                // nothing quoted: the only filled cell of that kind in the row is the one
                List<Integer> filled = new ArrayList<>();
                for (int c = 1; c <= cells.size(); c++) {
                    if (!cells.get(c - 1).isBlank() && t > 0 && cell(t, c).trim().toUpperCase().startsWith(kind)) {
                        filled.add(c);
                    }
                }
                best = filled.size() == 1 ? filled.get(0) : -1;
            }
            return best;
        }

        static List<List<String>> csv(String text) {
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                if (quoted) {
                    if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (ch == '"') {
                        quoted = false;
                    } else {
                        cell.append(ch);
                    }
                } else if (ch == '"') {
                    quoted = true;
                } else if (ch == ',') {
                    row.add(cell.toString());
                    cell.setLength(0);
                } else if (ch == '\n') {
                    row.add(cell.toString().replaceAll("\r$", ""));
                    cell.setLength(0);
                    rows.add(row);
                    row = new ArrayList<>();
                } else {
                    cell.append(ch);
                }
            }
            if (cell.length() > 0 || !row.isEmpty()) {
                row.add(cell.toString());
                rows.add(row);
            }
            return rows;
        }

        static Grid xlsx(byte[] content) throws Exception {
            try (org.apache.poi.ss.usermodel.Workbook wb = org.apache.poi.ss.usermodel.WorkbookFactory
                    .create(new ByteArrayInputStream(content))) {
                org.apache.poi.ss.usermodel.DataFormatter fmt = new org.apache.poi.ss.usermodel.DataFormatter();
                for (org.apache.poi.ss.usermodel.Sheet s : wb) {
                    List<List<String>> rows = new ArrayList<>();
                    boolean table = false;
                    for (int r = 0; r <= s.getLastRowNum(); r++) {
                        List<String> cells = new ArrayList<>();
                        org.apache.poi.ss.usermodel.Row row = s.getRow(r);
                        for (int c = 0; row != null && c < row.getLastCellNum(); c++) {
                            String v = row.getCell(c) == null ? "" : fmt.formatCellValue(row.getCell(c));
                            table |= v.trim().startsWith("RuleTable");
                            cells.add(v);
                        }
                        rows.add(cells);
                    }
                    if (table) {
                        return new Grid(s.getSheetName(), rows);
                    }
                }
            }
            return new Grid("?", List.of());
        }
    }
}
