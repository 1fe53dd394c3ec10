package io.spendshift.rules.engine;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.stmt.BlockStmt;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static io.spendshift.rules.engine.PolicyChecker.abbreviate;
import static io.spendshift.rules.engine.PolicyChecker.describe;
import static io.spendshift.rules.engine.PolicyChecker.firstLine;
import static io.spendshift.rules.engine.PolicyChecker.javaParser;

/** The checks of one DRL file against the policy language: package, imports, declarations, attributes, rules. */
final class FileCheck {

    private static final Pattern INT = Pattern.compile("-?\\d{1,9}");
    private static final Pattern BOOL = Pattern.compile("true|false");
    private static final Pattern RULE_NAME_CALL = Pattern.compile("drools\\s*\\.\\s*getRule\\s*\\(\\s*\\)\\s*\\.\\s*getName\\s*\\(\\s*\\)");
    private static final Pattern PACKAGE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*");
    private static final Set<String> RESERVED_PACKAGES = Set.of("java", "javax", "jdk", "sun", "com.sun", "org.drools",
            "org.kie", "org.mvel2", "io.quarkus", "io.spendshift");
    /** A constraint that is one equality of two names or paths ({@code channel == $channel}). */
    private static final Pattern EQUALITY = Pattern.compile(
            "([\\w$]+(?:\\.[\\w$]+)*)\\s*==\\s*([\\w$]+(?:\\.[\\w$]+)*)");
    /** A binding inside a constraint ({@code $m : marginal}). */
    private static final Pattern BINDING = Pattern.compile("([\\w$]+)\\s*:(?!=)");

    final String file;
    final PackageDescr pkg;
    final Set<String> declared;
    final List<CompileError> errors;
    final Set<String> functions = new HashSet<>();
    final Set<String> declaredFields = new HashSet<>();
    final JavaParser java = javaParser();

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

    void declaration(TypeDeclarationDescr t) {
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

    void annotations(BaseDescr at, java.util.Collection<AnnotationDescr> annotations) {
        for (AnnotationDescr a : annotations) {
            if (!PolicyLanguage.ANNOTATIONS.contains(a.getName())) {
                refuse(at, "annotation @" + a.getName());
            }
        }
    }

    boolean typeAllowed(String type) {
        String t = type == null ? "" : type.trim();
        int generic = t.indexOf('<');
        if (generic > 0) {
            t = t.substring(0, generic);
        }
        return PolicyLanguage.isPrimitive(t) || PolicyLanguage.type(t) != null || declared.contains(t);
    }

    void attribute(AttributeDescr a) {
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

    void rule(RuleDescr r) {
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

    void lhs(BaseDescr d, Scope scope, RuleDescr r) {
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
    void joins(RuleDescr r) {
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

    void count(BaseDescr d, boolean joined, int[] counts, Set<String> bound) {
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
    static boolean tiedByEquality(PatternDescr p, Set<String> bound) {
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

    static String root(String path) {
        int dot = path.indexOf('.');
        return dot < 0 ? path : path.substring(0, dot);
    }

    static void bind(PatternDescr p, Set<String> bound) {
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

    static boolean isPortfolioFacts(String type) {
        String t = type == null ? "" : type.trim();
        return t.equals("PortfolioFacts") || t.equals(io.spendshift.policy.PortfolioFacts.class.getName());
    }

    static boolean isPlainConditional(BaseDescr d) {
        return d instanceof org.drools.drl.ast.descr.AndDescr || d instanceof org.drools.drl.ast.descr.OrDescr
                || d instanceof org.drools.drl.ast.descr.NotDescr || d instanceof org.drools.drl.ast.descr.ExistsDescr
                || d instanceof org.drools.drl.ast.descr.ForallDescr;
    }

    void pattern(PatternDescr p, Scope scope, RuleDescr r) {
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

    void accumulate(AccumulateDescr acc, Scope scope, RuleDescr r) {
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
    void constraint(String text, BaseDescr at, Scope scope) {
        DrlExprParser parser = DrlExprParserFactory.getDrlExprParser(DrlParser.DEFAULT_LANGUAGE_LEVEL);
        ConstraintConnectiveDescr tree = parser.parse(text);
        if (parser.hasErrors() || tree == null) {
            refuse(at, "the constraint '" + text + "' cannot be read");
            return;
        }
        constraintTree(tree, at, scope);
    }

    void constraintTree(BaseDescr d, BaseDescr at, Scope scope) {
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

    void expression(String text, BaseDescr at, Scope scope, boolean consequence) {
        // null-safe navigation (a!.b) reads the same properties as a.b
        String src = text == null ? "" : text.replace("!.", ".");
        ParseResult<Expression> parsed = java.parseExpression(src);
        if (!parsed.isSuccessful() || parsed.getResult().isEmpty()) {
            refuse(at, "the expression '" + abbreviate(text) + "' is not part of the policy language");
            return;
        }
        new ExpressionCheck(this, scope, at.getLine(), at.getColumn(), consequence).expr(parsed.getResult().get());
    }

    void consequence(RuleDescr r, String text, Scope scope) {
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
