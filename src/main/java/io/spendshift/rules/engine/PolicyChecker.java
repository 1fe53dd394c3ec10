package io.spendshift.rules.engine;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.ast.Node;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.expr.AssignExpr;
import com.github.javaparser.ast.expr.BinaryExpr;
import com.github.javaparser.ast.expr.CastExpr;
import com.github.javaparser.ast.expr.ConditionalExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.InstanceOfExpr;
import com.github.javaparser.ast.expr.LiteralExpr;
import com.github.javaparser.ast.expr.MethodCallExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.ObjectCreationExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.github.javaparser.ast.expr.VariableDeclarationExpr;
import com.github.javaparser.ast.stmt.BlockStmt;
import com.github.javaparser.ast.stmt.EmptyStmt;
import com.github.javaparser.ast.stmt.ExpressionStmt;
import com.github.javaparser.ast.stmt.IfStmt;
import com.github.javaparser.ast.stmt.Statement;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.PrimitiveType;
import com.github.javaparser.ast.type.Type;
import com.github.javaparser.ast.type.VarType;
import org.drools.drl.ast.descr.AccumulateDescr;
import org.drools.drl.ast.descr.AnnotationDescr;
import org.drools.drl.ast.descr.AtomicExprDescr;
import org.drools.drl.ast.descr.AttributeDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.BindingDescr;
import org.drools.drl.ast.descr.CollectDescr;
import org.drools.drl.ast.descr.ConditionalElementDescr;
import org.drools.drl.ast.descr.ConstraintConnectiveDescr;
import org.drools.drl.ast.descr.EntryPointDescr;
import org.drools.drl.ast.descr.EvalDescr;
import org.drools.drl.ast.descr.ExprConstraintDescr;
import org.drools.drl.ast.descr.FromDescr;
import org.drools.drl.ast.descr.FunctionImportDescr;
import org.drools.drl.ast.descr.ImportDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.RelationalExprDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.ast.descr.TypeDeclarationDescr;
import org.drools.drl.ast.descr.TypeFieldDescr;
import org.drools.drl.parser.DrlExprParser;
import org.drools.drl.parser.DrlExprParserFactory;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsError;
import org.drools.drl.parser.DroolsParserException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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

    private static final Pattern INT = Pattern.compile("-?\\d{1,9}");
    private static final Pattern BOOL = Pattern.compile("true|false");
    private static final Pattern RULE_NAME_CALL = Pattern.compile("drools\\s*\\.\\s*getRule\\s*\\(\\s*\\)\\s*\\.\\s*getName\\s*\\(\\s*\\)");
    private static final Pattern PACKAGE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*");
    /** A constraint that is one equality of two names or paths ({@code channel == $channel}). */
    private static final Pattern EQUALITY = Pattern.compile(
            "([\\w$]+(?:\\.[\\w$]+)*)\\s*==\\s*([\\w$]+(?:\\.[\\w$]+)*)");
    /** A binding inside a constraint ({@code $m : marginal}). */
    private static final Pattern BINDING = Pattern.compile("([\\w$]+)\\s*:(?!=)");
    /** The engine's packages named in rule text, also with spaces or comments between the parts. */
    private static final Pattern ENGINE_PACKAGES = Pattern.compile(
            "(?<![\\w$])(org\\s*\\.\\s*(?:mvel2|drools|kie))(?![\\w$])");
    private static final Set<String> RESERVED_PACKAGES = Set.of("java", "javax", "jdk", "sun", "com.sun", "org.drools",
            "org.kie", "org.mvel2", "io.quarkus", "io.spendshift");

    private PolicyChecker() {
    }

    /** The refusals for a set of files, given as DRL text (decision tables already turned into DRL). */
    public static List<CompileError> check(Map<String, String> drlByFile) {
        List<CompileError> errors = new ArrayList<>();
        Set<String> declared = new HashSet<>();
        Map<String, PackageDescr> parsed = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> e : drlByFile.entrySet()) {
            // what the Java compiler would see differently from the checker: judged on the raw text, before parsing
            if (refuseRawText(e.getKey(), e.getValue(), errors)) {
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

    /** The checks of one file. */
    private static final class FileCheck {
        private final String file;
        private final PackageDescr pkg;
        private final Set<String> declared;
        private final List<CompileError> errors;
        private final Set<String> functions = new HashSet<>();
        private final Set<String> declaredFields = new HashSet<>();
        private final JavaParser java = javaParser();

        FileCheck(String file, PackageDescr pkg, Set<String> declared, List<CompileError> errors) {
            this.file = file;
            this.pkg = pkg;
            this.declared = declared;
            this.errors = errors;
        }

        void refuse(BaseDescr at, String what) {
            refuse(at == null ? 0 : at.getLine(), at == null ? 0 : at.getColumn(), what);
        }

        void refuse(int line, int column, String what) {
            errors.add(new CompileError(file, Math.max(0, line), Math.max(0, column),
                    "refused by the policy language: " + what));
        }

        void run() {
            String name = pkg.getName() == null ? "" : pkg.getName();
            if (!name.isEmpty() && (!PACKAGE.matcher(name).matches()
                    || RESERVED_PACKAGES.stream().anyMatch(r -> name.equals(r) || name.startsWith(r + ".")))
                    && !name.startsWith("io.spendshift.rules")) {
                refuse(pkg, "package '" + name + "': packages are lower-case names outside java, org.drools,"
                        + " io.spendshift (except io.spendshift.rules) and other reserved names");
            }
            for (ImportDescr i : pkg.getImports()) {
                if (!PolicyLanguage.importAllowed(i.getTarget())) {
                    refuse(i, "import " + i.getTarget() + ": only the fact model (io.spendshift.policy), java.math"
                            + " and java.time types can be imported, one by one");
                }
            }
            for (FunctionImportDescr f : pkg.getFunctionImports()) {
                if (PolicyLanguage.functionImportAllowed(f.getTarget())) {
                    functions.addAll(PolicyLanguage.importedFunctions(f.getTarget()));
                } else {
                    refuse(f, "import function " + f.getTarget() + ": functions come from "
                            + "io.spendshift.policy.PolicyFunctions only");
                }
            }
            pkg.getFunctions().forEach(f -> refuse(f, "function " + f.getName()
                    + ": rule files cannot declare functions; use the ones of io.spendshift.policy.PolicyFunctions"));
            pkg.getGlobals().forEach(g -> refuse(g, "global " + g.getIdentifier()));
            pkg.getAccumulateImports().forEach(a -> refuse(a, "import accumulate " + a.getTarget()
                    + ": only the built-in accumulate functions " + PolicyLanguage.ACCUMULATE_FUNCTIONS));
            pkg.getEnumDeclarations().forEach(d -> refuse(d, "declare enum " + d.getTypeName()));
            pkg.getEntryPointDeclarations().forEach(d -> refuse(d, "declare entry-point"));
            pkg.getWindowDeclarations().forEach(d -> refuse(d, "declare window"));
            if (pkg.getUnit() != null) {
                refuse(pkg, "unit " + pkg.getUnit().getTarget());
            }
            for (AttributeDescr a : pkg.getAttributes()) {
                attribute(a);
            }
            for (TypeDeclarationDescr t : pkg.getTypeDeclarations()) {
                declaration(t);
            }
            for (RuleDescr r : pkg.getRules()) {
                rule(r);
            }
        }

        private void declaration(TypeDeclarationDescr t) {
            annotations(t, t.getAnnotations());
            if (t.getSuperTypeName() != null && !t.getSuperTypeName().equals("Object")
                    && !declared.contains(t.getSuperTypeName())) {
                refuse(t, "declare " + t.getTypeName() + " extends " + t.getSuperTypeName()
                        + ": a declared type can only extend another declared type");
            }
            for (TypeFieldDescr f : t.getFields().values()) {
                declaredFields.add(f.getFieldName());
                annotations(f, f.getAnnotations());
                if (f.getInitExpr() != null && !f.getInitExpr().isBlank()) {
                    refuse(f, "initial value of field " + t.getTypeName() + "." + f.getFieldName()
                            + ": declared fields have no initializers (it would run at compile time)");
                }
                String type = f.getPattern() == null ? "" : f.getPattern().getObjectType();
                if (!typeAllowed(type)) {
                    refuse(f, "field type " + type + " of " + t.getTypeName() + "." + f.getFieldName());
                }
            }
        }

        private void annotations(BaseDescr at, java.util.Collection<AnnotationDescr> annotations) {
            for (AnnotationDescr a : annotations) {
                if (!PolicyLanguage.ANNOTATIONS.contains(a.getName())) {
                    refuse(at, "annotation @" + a.getName());
                }
            }
        }

        private boolean typeAllowed(String type) {
            String t = type == null ? "" : type.trim();
            int generic = t.indexOf('<');
            if (generic > 0) {
                t = t.substring(0, generic);
            }
            return PolicyLanguage.isPrimitive(t) || PolicyLanguage.type(t) != null || declared.contains(t);
        }

        private void attribute(AttributeDescr a) {
            String n = a.getName();
            String v = a.getValue() == null ? "" : a.getValue().trim();
            if (PolicyLanguage.LITERAL_INT_ATTRIBUTES.contains(n)) {
                if (!INT.matcher(v).matches()) {
                    refuse(a, n + " (" + v + "): must be a whole number written out, not an expression");
                }
            } else if (PolicyLanguage.LITERAL_BOOLEAN_ATTRIBUTES.contains(n)) {
                if (!v.isEmpty() && !BOOL.matcher(v).matches()) {
                    refuse(a, n + " (" + v + "): must be true or false");
                }
            } else if (n.equals("dialect")) {
                if (!v.replace("\"", "").equals("java")) {
                    refuse(a, "dialect " + v + ": rules are written in the java dialect only");
                }
            } else if (!PolicyLanguage.NAME_ATTRIBUTES.contains(n)) {
                refuse(a, "attribute " + n + ": allowed are salience, agenda-group, activation-group,"
                        + " ruleflow-group, no-loop, lock-on-active, auto-focus, enabled and dialect \"java\"");
            }
        }

        private void rule(RuleDescr r) {
            for (AttributeDescr a : r.getAttributes().values()) {
                attribute(a);
            }
            annotations(r, r.getAnnotations());
            if (r.getNamedConsequences() != null && !r.getNamedConsequences().isEmpty()) {
                refuse(r, "named consequences in rule \"" + r.getName() + "\"");
            }
            Scope scope = new Scope(r.getName());
            if (r.getLhs() != null) {
                lhs(r.getLhs(), scope, r);
                joins(r);
            }
            if (r.isRule() && r.getConsequence() != null) {
                consequence(r, String.valueOf(r.getConsequence()), scope);
            }
        }

        private void lhs(BaseDescr d, Scope scope, RuleDescr r) {
            if (d instanceof PatternDescr p) {
                pattern(p, scope, r);
            } else if (d instanceof EvalDescr e) {
                expression(String.valueOf(e.getContent()), e, scope, false);
            } else if (d instanceof ConditionalElementDescr ce && isPlainConditional(d)) {
                for (BaseDescr c : ce.getDescrs()) {
                    lhs(c, scope, r);
                }
            } else {
                refuse(d.getLine() > 0 ? d : r, "the condition element " + describe(d) + " in rule \"" + r.getName() + "\"");
            }
        }

        /**
         * Bounds the work of one rule's conditions. The matches of joined patterns multiply: four patterns on
         * {@code ChannelFacts} over 60 channels are 13 million combinations, over 150 channels half a billion,
         * which the engine holds in memory. A rule joins at most {@link PolicyLanguage#MAX_JOINED_PATTERNS}
         * patterns on facts other than the one {@code PortfolioFacts} (an accumulate or collect over such facts
         * counts as joined: the engine keeps its matches for each combination before it), and has at most
         * {@link PolicyLanguage#MAX_FACT_PATTERNS} such patterns in all, those under not, exists and forall
         * included.
         */
        private void joins(RuleDescr r) {
            int[] counts = new int[2]; // joined, all
            count(r.getLhs(), true, counts, new HashSet<>());
            if (counts[0] > PolicyLanguage.MAX_JOINED_PATTERNS) {
                refuse(r, "rule \"" + r.getName() + "\" joins " + counts[0] + " patterns on facts other than"
                        + " PortfolioFacts (accumulate and collect included); at most "
                        + PolicyLanguage.MAX_JOINED_PATTERNS + " (their matches multiply: bind a value with"
                        + " accumulate, or test with not/exists, instead of joining a third pattern)");
            } else if (counts[1] > PolicyLanguage.MAX_FACT_PATTERNS) {
                refuse(r, "rule \"" + r.getName() + "\" has " + counts[1] + " patterns on facts other than"
                        + " PortfolioFacts; at most " + PolicyLanguage.MAX_FACT_PATTERNS + " per rule");
            }
        }

        private void count(BaseDescr d, boolean joined, int[] counts, Set<String> bound) {
            if (d instanceof PatternDescr p) {
                if (p.getSource() instanceof AccumulateDescr acc) {
                    if (acc.getInput() != null) {
                        count(acc.getInput(), joined, counts, bound);
                    }
                } else if (p.getSource() instanceof CollectDescr col) {
                    if (col.getInputPattern() != null) {
                        count(col.getInputPattern(), joined, counts, bound);
                    }
                } else if (!isPortfolioFacts(p.getObjectType())) {
                    counts[1]++;
                    if (joined && !tiedByEquality(p, bound)) {
                        counts[0]++;
                    }
                }
                bind(p, bound);
            } else if (d instanceof org.drools.drl.ast.descr.NotDescr || d instanceof org.drools.drl.ast.descr.ExistsDescr
                    || d instanceof org.drools.drl.ast.descr.ForallDescr) {
                for (BaseDescr c : ((ConditionalElementDescr) d).getDescrs()) {
                    count(c, false, counts, new HashSet<>(bound));
                }
            } else if (d instanceof ConditionalElementDescr ce) {
                for (BaseDescr c : ce.getDescrs()) {
                    count(c, joined, counts, bound);
                }
            }
        }

        /**
         * A pattern with a constraint that is only an equality to a variable bound before it
         * ({@code channel == $channel}) is an indexed lookup, not a product: it does not count as joined.
         * Equalities on a property many facts share ({@code kind == $kind}) still multiply; the evaluation's
         * memory budget stops those.
         */
        private static boolean tiedByEquality(PatternDescr p, Set<String> bound) {
            for (BaseDescr c : p.getDescrs()) {
                if (c instanceof ExprConstraintDescr e && e.getExpression() != null) {
                    java.util.regex.Matcher m = EQUALITY.matcher(e.getExpression().trim());
                    if (m.matches() && (bound.contains(root(m.group(1))) || bound.contains(root(m.group(2))))) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static String root(String path) {
            int dot = path.indexOf('.');
            return dot < 0 ? path : path.substring(0, dot);
        }

        private static void bind(PatternDescr p, Set<String> bound) {
            if (p.getIdentifier() != null) {
                bound.add(p.getIdentifier());
            }
            for (BaseDescr c : p.getDescrs()) {
                if (c instanceof BindingDescr b) {
                    bound.add(b.getVariable());
                } else if (c instanceof ExprConstraintDescr e && e.getExpression() != null) {
                    java.util.regex.Matcher m = BINDING.matcher(e.getExpression());
                    while (m.find()) {
                        bound.add(m.group(1));
                    }
                }
            }
            if (p.getSource() instanceof AccumulateDescr acc) {
                for (AccumulateDescr.AccumulateFunctionCallDescr f : acc.getFunctions()) {
                    if (f.getBind() != null) {
                        bound.add(f.getBind());
                    }
                }
            }
        }

        private static boolean isPortfolioFacts(String type) {
            String t = type == null ? "" : type.trim();
            return t.equals("PortfolioFacts") || t.equals(io.spendshift.policy.PortfolioFacts.class.getName());
        }

        private static boolean isPlainConditional(BaseDescr d) {
            return d instanceof org.drools.drl.ast.descr.AndDescr || d instanceof org.drools.drl.ast.descr.OrDescr
                    || d instanceof org.drools.drl.ast.descr.NotDescr || d instanceof org.drools.drl.ast.descr.ExistsDescr
                    || d instanceof org.drools.drl.ast.descr.ForallDescr;
        }

        private void pattern(PatternDescr p, Scope scope, RuleDescr r) {
            if (p.getIdentifier() != null) {
                scope.bound.add(p.getIdentifier());
            }
            if (p.getBehaviors() != null && !p.getBehaviors().isEmpty()) {
                refuse(p, "sliding windows (over window:...)");
            }
            if (p.getSource() instanceof AccumulateDescr acc) {
                accumulate(acc, scope, r);
            } else if (p.getSource() instanceof CollectDescr col) {
                lhs(col.getInputPattern(), scope, r);
            } else if (p.getSource() instanceof FromDescr from) {
                expression(from.getDataSource() == null ? from.getExpression() : from.getDataSource().toString(),
                        p, scope, false);
            } else if (p.getSource() != null && !(p.getSource() instanceof EntryPointDescr)) {
                refuse(p, "the pattern source " + describe(p.getSource()));
            }
            boolean resultPattern = p.getSource() instanceof AccumulateDescr || p.getSource() instanceof CollectDescr;
            String type = p.getObjectType();
            if (!resultPattern && !typeAllowed(type)) {
                refuse(p, "the fact type " + type + ": patterns match the fact model and declared types");
            }
            for (BaseDescr c : p.getDescrs()) {
                if (c instanceof ExprConstraintDescr e) {
                    constraint(e.getExpression(), e.getLine() > 0 ? e : p, scope);
                } else if (c instanceof BindingDescr b) {
                    scope.bound.add(b.getVariable());
                    expression(b.getExpression(), p, scope, false);
                } else {
                    refuse(p, "the constraint " + describe(c));
                }
            }
        }

        private void accumulate(AccumulateDescr acc, Scope scope, RuleDescr r) {
            if (!acc.isExternalFunction() || acc.getInitCode() != null || acc.getActionCode() != null
                    || acc.getResultCode() != null || acc.getReverseCode() != null) {
                refuse(acc, "inline accumulate code (init/action/reverse/result): use the built-in functions "
                        + PolicyLanguage.ACCUMULATE_FUNCTIONS);
                return;
            }
            if (acc.getInput() != null) {
                lhs(acc.getInput(), scope, r);
            }
            for (AccumulateDescr.AccumulateFunctionCallDescr f : acc.getFunctions()) {
                if (!PolicyLanguage.ACCUMULATE_FUNCTIONS.contains(f.getFunction())) {
                    refuse(acc, "accumulate function " + f.getFunction() + ": allowed are "
                            + PolicyLanguage.ACCUMULATE_FUNCTIONS);
                }
                if (f.getBind() != null) {
                    scope.bound.add(f.getBind());
                }
                for (String param : f.getParams()) {
                    expression(param, acc, scope, false);
                }
            }
        }

        /** A DRL constraint: relational operators (==, <, matches, memberOf, str[...]...) over Java-like operands. */
        private void constraint(String text, BaseDescr at, Scope scope) {
            DrlExprParser parser = DrlExprParserFactory.getDrlExprParser(DrlParser.DEFAULT_LANGUAGE_LEVEL);
            ConstraintConnectiveDescr tree = parser.parse(text);
            if (parser.hasErrors() || tree == null) {
                refuse(at, "the constraint '" + text + "' cannot be read");
                return;
            }
            constraintTree(tree, at, scope);
        }

        private void constraintTree(BaseDescr d, BaseDescr at, Scope scope) {
            if (d instanceof ConstraintConnectiveDescr c) {
                for (BaseDescr x : c.getDescrs()) {
                    constraintTree(x, at, scope);
                }
            } else if (d instanceof RelationalExprDescr rel) {
                constraintTree(rel.getLeft(), at, scope);
                constraintTree(rel.getRight(), at, scope);
            } else if (d instanceof AtomicExprDescr a) {
                if (!a.isLiteral()) {
                    expression(a.getExpression(), at, scope, false);
                }
            } else if (d instanceof BindingDescr b) {
                scope.bound.add(b.getVariable());
                expression(b.getExpression(), at, scope, false);
            } else if (d != null) {
                refuse(at, "the constraint part " + describe(d));
            }
        }

        private void expression(String text, BaseDescr at, Scope scope, boolean consequence) {
            // null-safe navigation (a!.b) reads the same properties as a.b
            String src = text == null ? "" : text.replace("!.", ".");
            ParseResult<Expression> parsed = java.parseExpression(src);
            if (!parsed.isSuccessful() || parsed.getResult().isEmpty()) {
                refuse(at, "the expression '" + abbreviate(text) + "' is not part of the policy language");
                return;
            }
            new ExpressionCheck(this, scope, at.getLine(), at.getColumn(), consequence).expr(parsed.getResult().get());
        }

        private void consequence(RuleDescr r, String text, Scope scope) {
            String src = RULE_NAME_CALL.matcher(text).replaceAll("\"\"");
            ParseResult<BlockStmt> parsed = java.parseBlock("{" + src + "\n}");
            int line = r.getConsequenceLine() + 1; // the parser counts the consequence's lines from 0
            if (!parsed.isSuccessful() || parsed.getResult().isEmpty()) {
                String why = parsed.getProblems().isEmpty() ? "" : ": " + firstLine(parsed.getProblems().get(0).getMessage());
                refuse(line, 0, "the consequence of rule \"" + r.getName() + "\" is not plain statements of the policy"
                        + " language (modify/update blocks and other DRL sugar are not allowed)" + why);
                return;
            }
            ExpressionCheck check = new ExpressionCheck(this, scope, line, 0, true);
            check.block(parsed.getResult().get());
        }
    }

    /** The names a rule has bound, and the locals its consequence declares. */
    private static final class Scope {
        final String rule;
        final Set<String> bound = new HashSet<>();
        final Set<String> locals = new HashSet<>();

        Scope(String rule) {
            this.rule = rule;
        }
    }

    /** Checks one parsed expression or consequence block against the allow-list. */
    private static final class ExpressionCheck {
        private final FileCheck file;
        private final Scope scope;
        private final int baseLine;
        private final int baseColumn;
        private final boolean consequence;

        ExpressionCheck(FileCheck file, Scope scope, int baseLine, int baseColumn, boolean consequence) {
            this.file = file;
            this.scope = scope;
            this.baseLine = baseLine;
            this.baseColumn = baseColumn;
            this.consequence = consequence;
        }

        void refuse(Node n, String what) {
            int line = baseLine;
            int column = baseColumn;
            if (n.getBegin().isPresent()) {
                int l = n.getBegin().get().line;
                // a consequence is parsed inside "{", so its first line is the consequence line itself
                line = consequence ? baseLine + l - 1 : baseLine;
                column = consequence ? n.getBegin().get().column : baseColumn;
            }
            file.refuse(line, column, what + " (rule \"" + scope.rule + "\")");
        }

        void block(BlockStmt b) {
            for (Statement s : b.getStatements()) {
                statement(s);
            }
        }

        void statement(Statement s) {
            if (s instanceof BlockStmt b) {
                block(b);
            } else if (s instanceof ExpressionStmt e) {
                expr(e.getExpression());
            } else if (s instanceof IfStmt i) {
                expr(i.getCondition());
                statement(i.getThenStmt());
                i.getElseStmt().ifPresent(this::statement);
            } else if (!(s instanceof EmptyStmt)) {
                String kind = s.getClass().getSimpleName().replace("Stmt", "").toLowerCase();
                refuse(s, "'" + kind + "' statements (consequences are local variables, if, and calls;"
                        + " no loops, try, throw or return)");
            }
        }

        void expr(Expression e) {
            if (e instanceof LiteralExpr) {
                return;
            }
            if (e instanceof NameExpr n) {
                name(n);
            } else if (e instanceof ThisExpr t) {
                if (consequence || t.getTypeName().isPresent()) {
                    refuse(e, "'this'");
                }
            } else if (e instanceof FieldAccessExpr f) {
                field(f);
            } else if (e instanceof MethodCallExpr m) {
                call(m);
            } else if (e instanceof ObjectCreationExpr o) {
                creation(o);
            } else if (e instanceof BinaryExpr b) {
                expr(b.getLeft());
                expr(b.getRight());
            } else if (e instanceof UnaryExpr u) {
                if (u.getOperator().isPrefix() && (u.getOperator() == UnaryExpr.Operator.PREFIX_INCREMENT
                        || u.getOperator() == UnaryExpr.Operator.PREFIX_DECREMENT) || u.getOperator().isPostfix()) {
                    local(u.getExpression());
                } else {
                    expr(u.getExpression());
                }
            } else if (e instanceof EnclosedExpr en) {
                expr(en.getInner());
            } else if (e instanceof ConditionalExpr c) {
                expr(c.getCondition());
                expr(c.getThenExpr());
                expr(c.getElseExpr());
            } else if (e instanceof CastExpr c) {
                type(c.getType(), c);
                expr(c.getExpression());
            } else if (e instanceof InstanceOfExpr i) {
                if (i.getPattern().isPresent()) {
                    refuse(e, "instanceof patterns");
                }
                type(i.getType(), i);
                expr(i.getExpression());
            } else if (e instanceof AssignExpr a && consequence) {
                local(a.getTarget());
                expr(a.getValue());
            } else if (e instanceof VariableDeclarationExpr v && consequence) {
                for (VariableDeclarator d : v.getVariables()) {
                    type(d.getType(), v);
                    d.getInitializer().ifPresent(this::expr);
                    scope.locals.add(d.getNameAsString());
                }
            } else {
                refuse(e, describeNode(e) + " ('" + abbreviate(e.toString()) + "')");
            }
        }

        private void local(Expression target) {
            if (!(target instanceof NameExpr n) || !scope.locals.contains(n.getNameAsString())) {
                refuse(target, "assignment to '" + abbreviate(target.toString())
                        + "': only local variables of the consequence can be assigned");
            }
        }

        /** A bare name the rule may use: bound, local, an allowed or declared type, or (in conditions) a property. */
        private boolean known(String id) {
            return scope.bound.contains(id) || scope.locals.contains(id) || PolicyLanguage.type(id) != null
                    || file.declared.contains(id) || (!consequence && (PolicyLanguage.PROPERTIES.contains(id)
                    || file.declaredFields.contains(id)));
        }

        private void name(NameExpr n) {
            String id = n.getNameAsString();
            if (known(id)) {
                return;
            }
            if (Character.isUpperCase(id.charAt(0))) {
                refuse(n, "the type " + id + " (not part of the policy language)");
            } else {
                refuse(n, "the name '" + id + "' (not a bound variable, a property of the fact model or an allowed type)");
            }
        }

        /** The class a scope expression names ("Math", "java.math.BigDecimal"), or null when it is a value. */
        private Class<?> classOf(Expression scopeExpr) {
            String q = qualified(scopeExpr);
            if (q == null || scope.bound.contains(q) || scope.locals.contains(q)) {
                return null;
            }
            return PolicyLanguage.type(q);
        }

        private static String qualified(Expression e) {
            if (e instanceof NameExpr n) {
                return n.getNameAsString();
            }
            if (e instanceof FieldAccessExpr f) {
                String s = qualified(f.getScope());
                return s == null ? null : s + "." + f.getNameAsString();
            }
            return null;
        }

        /** A package-qualified name the language does not know ("java.nio.file.Files"), refused as a type. */
        private boolean unknownQualifiedType(Expression scopeExpr) {
            String q = qualified(scopeExpr);
            if (q == null || !q.contains(".") || PolicyLanguage.type(q) != null) {
                return false;
            }
            if (known(q.substring(0, q.indexOf('.')))) {
                return false;
            }
            refuse(scopeExpr, "the type " + q + " (not part of the policy language)");
            return true;
        }

        private void field(FieldAccessExpr f) {
            if (unknownQualifiedType(f.getScope())) {
                return;
            }
            Class<?> c = classOf(f.getScope());
            String name = f.getNameAsString();
            if (c != null) {
                if (!PolicyLanguage.staticFieldAllowed(c, name)) {
                    refuse(f, "the static field " + c.getSimpleName() + "." + name);
                }
                return;
            }
            if (PolicyLanguage.type(f.toString()) != null) {
                return; // a qualified type name used as such
            }
            if (refusedIn(() -> expr(f.getScope()))) {
                return;
            }
            if (!PolicyLanguage.PROPERTIES.contains(name) && !file.declaredFields.contains(name)) {
                refuse(f, "the property '" + name + "'");
            }
        }

        private void call(MethodCallExpr m) {
            if (m.getTypeArguments().isPresent()) {
                refuse(m, "type arguments on calls");
            }
            String name = m.getNameAsString();
            if (m.getScope().isEmpty()) {
                boolean ok = file.functions.contains(name) || (consequence && PolicyLanguage.CONSEQUENCE_CALLS.contains(name));
                if (!ok) {
                    refuse(m, "the call " + name + "(...): unqualified calls are the imported functions of"
                            + " PolicyFunctions" + (consequence ? " and insert, insertLogical, delete" : ""));
                }
            } else {
                Expression target = m.getScope().get();
                Class<?> c = classOf(target);
                if (unknownQualifiedType(target)) {
                    return;
                } else if (c != null) {
                    if (!PolicyLanguage.staticMethodAllowed(c, name)) {
                        refuse(m, "the static method " + c.getSimpleName() + "." + name + "(...)");
                    }
                } else if (!refusedIn(() -> expr(target))) {
                    if (!PolicyLanguage.INSTANCE_METHODS.contains(name) && !isDeclaredAccessor(name)) {
                        refuse(m, "the method " + name + "(...)" + PolicyLanguage.whyDenied(name));
                    }
                }
                scaleBounded(m, c);
            }
            m.getArguments().forEach(this::expr);
        }

        /**
         * Calls that set a number's scale or move its decimal point take a whole number written out, within
         * {@link PolicyLanguage#MAX_SCALE}: {@code setScale(40000000)} or {@code movePointRight(n)} would make a
         * number of millions of digits in one step, which no time or memory check could interrupt.
         */
        private void scaleBounded(MethodCallExpr m, Class<?> staticScope) {
            String name = m.getNameAsString();
            int n = m.getArguments().size();
            int at = -1;
            if (staticScope == null && PolicyLanguage.SCALE_METHODS.contains(name) && n >= 1) {
                at = 0;
            } else if (staticScope == null && name.equals("divide") && n == 3) {
                at = 1;
            } else if (staticScope == java.math.BigDecimal.class && name.equals("valueOf") && n == 2) {
                at = 1;
            }
            if (at < 0) {
                return;
            }
            Long v = wholeNumber(m.getArgument(at));
            if (v == null || Math.abs(v) > PolicyLanguage.MAX_SCALE) {
                refuse(m, "the scale '" + abbreviate(m.getArgument(at).toString()) + "' of " + name + "(...): a scale"
                        + " or a move of the decimal point is a whole number from -" + PolicyLanguage.MAX_SCALE + " to "
                        + PolicyLanguage.MAX_SCALE + " written out");
            }
        }

        /** The value of an integer literal (with an optional sign), or null when it is anything else. */
        private static Long wholeNumber(Expression e) {
            Expression x = e;
            boolean negative = false;
            while (x instanceof UnaryExpr u && (u.getOperator() == UnaryExpr.Operator.MINUS
                    || u.getOperator() == UnaryExpr.Operator.PLUS)) {
                negative ^= u.getOperator() == UnaryExpr.Operator.MINUS;
                x = u.getExpression();
            }
            while (x instanceof EnclosedExpr en) {
                x = en.getInner();
            }
            if (x instanceof com.github.javaparser.ast.expr.IntegerLiteralExpr i) {
                try {
                    long v = Long.parseLong(i.getValue().replace("_", ""));
                    return negative ? -v : v;
                } catch (NumberFormatException ex) {
                    return null;
                }
            }
            return null;
        }

        /** Whether checking a part refused something: the enclosing construct then adds no second error. */
        private boolean refusedIn(Runnable check) {
            int before = file.errors.size();
            check.run();
            return file.errors.size() > before;
        }

        private boolean isDeclaredAccessor(String name) {
            for (String f : file.declaredFields) {
                String cap = Character.toUpperCase(f.charAt(0)) + f.substring(1);
                if (name.equals("get" + cap) || name.equals("is" + cap)) {
                    return true;
                }
            }
            return false;
        }

        private void creation(ObjectCreationExpr o) {
            if (o.getAnonymousClassBody().isPresent()) {
                refuse(o, "anonymous classes");
                return;
            }
            if (o.getScope().isPresent()) {
                refuse(o, "qualified 'new'");
                return;
            }
            String t = o.getType().getNameWithScope();
            Class<?> c = PolicyLanguage.type(t);
            boolean ok = (c != null && (PolicyLanguage.OUTPUT_TYPES.contains(c) || c == java.math.BigDecimal.class))
                    || file.declared.contains(t);
            if (!ok) {
                refuse(o, "new " + t + "(...): 'new' creates output facts, declared types and BigDecimal only");
            } else if (c == java.math.BigDecimal.class) {
                decimalLiteral(o);
            }
            o.getArguments().forEach(this::expr);
        }

        /**
         * {@code new BigDecimal(...)} takes a number written out ({@code new BigDecimal("0.15")}): a text made at
         * run time could be {@code "1E600000000"}, a number whose plain form is 600 million digits. A computed
         * value is {@code BigDecimal.valueOf(...)} of a {@code long} or {@code double}, which are bounded.
         */
        private void decimalLiteral(ObjectCreationExpr o) {
            if (o.getArguments().isEmpty()) {
                return;
            }
            Expression a = o.getArgument(0);
            Expression x = a;
            while (x instanceof UnaryExpr u && (u.getOperator() == UnaryExpr.Operator.MINUS
                    || u.getOperator() == UnaryExpr.Operator.PLUS)) {
                x = u.getExpression();
            }
            if (x instanceof com.github.javaparser.ast.expr.IntegerLiteralExpr
                    || x instanceof com.github.javaparser.ast.expr.LongLiteralExpr
                    || x instanceof com.github.javaparser.ast.expr.DoubleLiteralExpr) {
                return;
            }
            if (x instanceof com.github.javaparser.ast.expr.StringLiteralExpr str) {
                try {
                    java.math.BigDecimal v = new java.math.BigDecimal(str.getValue());
                    if (v.precision() <= PolicyLanguage.MAX_PRECISION && Math.abs(v.scale()) <= PolicyLanguage.MAX_SCALE) {
                        return;
                    }
                } catch (NumberFormatException ex) {
                    refuse(o, "new BigDecimal(\"" + abbreviate(str.getValue()) + "\"): not a number");
                    return;
                }
                refuse(o, "new BigDecimal(\"" + abbreviate(str.getValue()) + "\"): a number written out has at most "
                        + PolicyLanguage.MAX_PRECISION + " digits and a scale from -" + PolicyLanguage.MAX_SCALE
                        + " to " + PolicyLanguage.MAX_SCALE);
                return;
            }
            refuse(o, "new BigDecimal(" + abbreviate(a.toString()) + "): new BigDecimal takes a number written out;"
                    + " for a computed value use BigDecimal.valueOf(...)");
        }

        private void type(Type t, Node at) {
            if (t instanceof PrimitiveType || t instanceof VarType) {
                return;
            }
            if (t instanceof ClassOrInterfaceType c) {
                String n = c.getNameWithScope();
                if (PolicyLanguage.type(n) != null || file.declared.contains(n)) {
                    c.getTypeArguments().ifPresent(args -> args.forEach(a -> type(a, at)));
                    return;
                }
            }
            refuse(at, "the type " + t);
        }

        private static String describeNode(Node n) {
            String k = n.getClass().getSimpleName().replace("Expr", "");
            return switch (k) {
                case "Lambda" -> "lambda expressions";
                case "MethodReference" -> "method references";
                case "Class" -> "class literals";
                case "ArrayCreation", "ArrayInitializer" -> "arrays";
                case "Switch" -> "switch expressions";
                case "Super" -> "'super'";
                case "Assign" -> "assignments outside a consequence";
                case "VariableDeclaration" -> "variable declarations outside a consequence";
                default -> "the construct " + k;
            };
        }
    }

    private static JavaParser javaParser() {
        return new JavaParser(new ParserConfiguration()
                .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17)
                .setAttributeComments(false));
    }

    private static String describe(Object d) {
        return d == null ? "?" : d.getClass().getSimpleName().replace("Descr", "");
    }

    private static String abbreviate(String s) {
        String t = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return t.length() > 80 ? t.substring(0, 77) + "..." : t;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.split("\n")[0];
    }

    private static String clean(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
