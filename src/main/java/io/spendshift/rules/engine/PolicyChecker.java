package io.spendshift.rules.engine;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParserConfiguration;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsError;
import org.drools.drl.parser.DroolsParserException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The boundary of the policy language. Every rule file (the folder, validate, scenarios, simulations, and the
 * DRL generated from decision tables) is read here before Drools compiles it, and anything that is not on the
 * language's allow-list ({@link PolicyLanguage}) is refused with its file, line, column and what was refused.
 * Rule text is untrusted input: a strategist's policy says which facts move budget, never which code runs.
 *
 * <p>What is allowed, in short: imports of the fact model, {@code java.math} and {@code java.time} types;
 * {@code import function} of the helper classes; declared types without initializers; literal attributes;
 * patterns on allowed types with constraints made of properties, bound variables, literals, arithmetic and
 * the allowed methods; built-in accumulate functions; consequences of local variables, {@code if}, arithmetic,
 * string concatenation, allowed method calls, {@code new} of output types and {@code BigDecimal}, and
 * {@code insert}/{@code insertLogical}/{@code delete} of facts, plus {@code drools.getRule().getName()}.
 */
public final class PolicyChecker {

    private PolicyChecker() {
    }

    /** The refusals for a set of files, given as DRL text (decision tables already turned into DRL). */
    public static List<CompileError> check(Map<String, String> drlByFile) {
        List<CompileError> errors = new ArrayList<>();
        Set<String> declared = new HashSet<>();
        Map<String, PackageDescr> parsed = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> e : drlByFile.entrySet()) {
            // what the Java compiler would see differently from the checker: judged on the raw text, before parsing
            if (RawTextCheck.refuseRawText(e.getKey(), e.getValue(), errors)) {
                continue;
            }
            DrlParser parser = new DrlParser();
            PackageDescr pkg;
            try {
                pkg = parser.parse(false, e.getValue());
            } catch (DroolsParserException ex) {
                errors.add(new CompileError(e.getKey(), 0, 0, "cannot be read: " + ex.getMessage()));
                continue;
            }
            if (parser.hasErrors() || pkg == null) {
                for (DroolsError d : parser.getErrors()) {
                    int[] lines = d.getLines();
                    errors.add(new CompileError(e.getKey(), lines != null && lines.length > 0 ? Math.max(0, lines[0]) : 0,
                            0, clean(d.getMessage())));
                }
                continue;
            }
            pkg.getTypeDeclarations().forEach(t -> declared.add(t.getTypeName()));
            parsed.put(e.getKey(), pkg);
        }
        for (Map.Entry<String, PackageDescr> e : parsed.entrySet()) {
            new FileCheck(e.getKey(), e.getValue(), declared, errors).run();
        }
        return errors;
    }

    static JavaParser javaParser() {
        return new JavaParser(new ParserConfiguration()
                .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17)
                .setAttributeComments(false));
    }

    static String describe(Object d) {
        return d == null ? "?" : d.getClass().getSimpleName().replace("Descr", "");
    }

    static String abbreviate(String s) {
        String t = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return t.length() > 80 ? t.substring(0, 77) + "..." : t;
    }

    static String firstLine(String s) {
        return s == null ? "" : s.split("\n")[0];
    }

    static String clean(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
