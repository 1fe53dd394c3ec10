package io.spendshift.rules.engine;

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

import static io.spendshift.rules.engine.PolicyChecker.abbreviate;

/** Checks one parsed expression or consequence block against the allow-list. */
final class ExpressionCheck {
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
