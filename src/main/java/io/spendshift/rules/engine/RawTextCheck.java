package io.spendshift.rules.engine;

import java.util.List;
import java.util.regex.Pattern;

import static io.spendshift.rules.engine.PolicyChecker.abbreviate;

/** Refusals read off a rule file's raw text, before it is parsed (see {@link #refuseRawText}). */
final class RawTextCheck {

    /** The engine's packages named in rule text, also with spaces or comments between the parts. */
    private static final Pattern ENGINE_PACKAGES = Pattern.compile(
            "(?<![\\w$])(org\\s*\\.\\s*(?:mvel2|drools|kie))(?![\\w$])");

    private RawTextCheck() {
    }

    /**
     * Refusals read off the raw text, before anything is parsed. Java translates {@code \\uXXXX} escapes before it
     * parses, anywhere in a file (inside strings and comments too), so {@code "\\u0022; <statement> //\\u0022"}
     * is a harmless string to a checker that reads the text as written and a statement to the compiler that turns
     * the consequence into Java. Rather than translating escapes and hoping every reader agrees, rule text may not
     * contain them: the character itself is always allowed. Names of the engine's own packages
     * ({@code org.drools}, {@code org.kie}, {@code org.mvel2}) are refused wherever they appear, so that no rule
     * can name the engine's internals, whatever construct it hides them in.
     */
    static boolean refuseRawText(String file, String text, List<CompileError> errors) {
        boolean refused = false;
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '\n') {
                line++;
                lineStart = i + 1;
            } else if (ch == '\\') {
                int run = 1;
                while (i + run < text.length() && text.charAt(i + run) == '\\') {
                    run++;
                }
                // an odd run of backslashes followed by 'u' is an escape to Java; an even run is escaped backslashes
                if (i + run < text.length() && text.charAt(i + run) == 'u' && run % 2 == 1) {
                    errors.add(new CompileError(file, line, i + run - 1 - lineStart + 1,
                            "refused by the policy language: the unicode escape \\u"
                                    + abbreviate(text.substring(i + run + 1, Math.min(text.length(), i + run + 5)))
                                    + " (Java translates \\uXXXX escapes before it parses, so an escape could hide"
                                    + " code from this check; write the character itself)"));
                    refused = true;
                }
                i += run - 1;
            }
        }
        java.util.regex.Matcher m = ENGINE_PACKAGES.matcher(text);
        while (m.find()) {
            int at = m.start();
            int ln = 1 + (int) text.substring(0, at).chars().filter(c -> c == '\n').count();
            int col = at - text.lastIndexOf('\n', at - 1);
            errors.add(new CompileError(file, ln, col, "refused by the policy language: the engine package "
                    + m.group(1).replaceAll("\\s+", "") + " (rules use the fact model and PolicyFunctions; the rule"
                    + " engine's own classes are not part of the policy language)"));
            refused = true;
        }
        return refused;
    }
}
