package io.spendshift.rules.engine;

import io.spendshift.policy.Boost;
import io.spendshift.policy.Cap;
import io.spendshift.policy.Candidate;
import io.spendshift.policy.Flag;
import io.spendshift.policy.Floor;
import io.spendshift.policy.SetBudget;
import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.Hold;
import io.spendshift.policy.KindThreshold;
import io.spendshift.policy.MarginalRange;
import io.spendshift.policy.NoChange;
import io.spendshift.policy.PolicyFunctions;
import io.spendshift.policy.PortfolioFacts;
import io.spendshift.policy.ShiftProposal;
import io.spendshift.policy.Trim;

import java.beans.Introspector;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.Period;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The vocabulary of the policy language: which types a rule file may name, which methods and properties it may
 * use, which functions it may import. Everything not listed here is refused by {@link PolicyChecker} (an
 * allow-list: a construct nobody thought of is refused, not let through). The lists are derived by reflection
 * from the allowed types, so a getter added to a fact type is usable at once.
 */
public final class PolicyLanguage {

    /** The fact model: what the service inserts and what rules insert. */
    public static final List<Class<?>> FACT_TYPES = List.of(ChannelFacts.class, PortfolioFacts.class, Hold.class,
            Trim.class, Boost.class, ShiftProposal.class, KindThreshold.class, Candidate.class, MarginalRange.class,
            NoChange.class, Flag.class, SetBudget.class, Cap.class, Floor.class);

    /** Facts a rule may create with {@code new} (the inputs are the service's, never a rule's). */
    public static final List<Class<?>> OUTPUT_TYPES = List.of(Hold.class, Trim.class, Boost.class,
            ShiftProposal.class, KindThreshold.class, Candidate.class, MarginalRange.class, NoChange.class,
            Flag.class, SetBudget.class, Cap.class, Floor.class);

    /** Classes whose static functions rule files may import with {@code import function}. */
    public static final List<Class<?>> FUNCTION_CLASSES = List.of(PolicyFunctions.class);

    /** Value types: usable in expressions, their instance methods callable (see {@link #DENIED_METHODS}). */
    static final List<Class<?>> VALUE_TYPES = List.of(BigDecimal.class, RoundingMode.class, MathContext.class,
            String.class, Number.class, Integer.class, Long.class, Double.class, Boolean.class, LocalDate.class,
            LocalDateTime.class, DayOfWeek.class, Month.class, YearMonth.class, Duration.class, Period.class,
            ChronoUnit.class, Collection.class, List.class, Map.class, Set.class);

    /** Static methods callable per class; {@code *} allows all public static methods of the class. */
    static final Map<Class<?>, Set<String>> STATIC_METHODS = staticMethods();

    /**
     * Instance methods refused even on allowed types: reflection, threads, collection mutators, unbounded
     * work ({@code repeat}, {@code pow}, formatting widths) and streams (they need lambdas, refused anyway).
     */
    static final Set<String> DENIED_METHODS = Set.of("getClass", "wait", "notify", "notifyAll", "repeat", "pow",
            "format", "formatted", "describeConstable", "resolveConstantDesc", "toArray", "iterator", "listIterator",
            "stream", "parallelStream", "forEach", "spliterator", "removeIf", "add", "addAll", "remove", "removeAll",
            "retainAll", "clear", "set", "put", "putAll", "putIfAbsent", "compute", "computeIfAbsent",
            "computeIfPresent", "merge", "sort", "chars", "codePoints", "lines", "transform", "intern", "addFirst",
            "addLast", "removeFirst", "removeLast", "reversed", "subList", "keySet", "values", "entrySet",
            "replaceAll", "snapshot", "toPlainString", "toBigInteger", "toBigIntegerExact", "unscaledValue");

    /** Largest scale (digits after the point, or a move of the point) a rule may write out. */
    public static final int MAX_SCALE = 32;
    /** Most digits of a number written out in {@code new BigDecimal("...")}. */
    public static final int MAX_PRECISION = 40;
    /** Calls whose first argument sets a scale or moves the decimal point: bounded by {@link #MAX_SCALE}. */
    static final Set<String> SCALE_METHODS = Set.of("setScale", "movePointLeft", "movePointRight", "scaleByPowerOfTen");
    /** Patterns on facts other than PortfolioFacts that one rule may join (their matches multiply). */
    public static final int MAX_JOINED_PATTERNS = 2;
    /** Patterns on facts other than PortfolioFacts in one rule, with those under not, exists, forall, accumulate. */
    public static final int MAX_FACT_PATTERNS = 6;
    /** Channels of one scenario. */
    public static final int MAX_SCENARIO_CHANNELS = 500;

    /** Why a method of the allowed types is refused anyway, for the error (empty when there is nothing to add). */
    static String whyDenied(String method) {
        return switch (method) {
            case "repeat", "pow", "format", "formatted" -> " (its work and memory grow with an argument without bound)";
            case "toPlainString", "toBigInteger", "toBigIntegerExact", "unscaledValue" ->
                    " (its length grows with the number's scale without bound: use toString() or setScale(2, ...))";
            default -> "";
        };
    }

    /** Unqualified calls a consequence may make: the working-memory operations on output facts. */
    static final Set<String> CONSEQUENCE_CALLS = Set.of("insert", "insertLogical", "delete", "retract");

    /** Built-in accumulate functions; inline accumulate code ({@code init/action/result}) is refused. */
    static final Set<String> ACCUMULATE_FUNCTIONS = Set.of("sum", "min", "max", "average", "count", "collectList",
            "collectSet", "variance", "standardDeviation");

    /** Rule attributes and the form of their values. */
    static final Set<String> LITERAL_INT_ATTRIBUTES = Set.of("salience");
    static final Set<String> LITERAL_BOOLEAN_ATTRIBUTES = Set.of("no-loop", "lock-on-active", "auto-focus", "enabled");
    static final Set<String> NAME_ATTRIBUTES = Set.of("agenda-group", "activation-group", "ruleflow-group");

    /** Annotations allowed on declared types and their fields. */
    static final Set<String> ANNOTATIONS = Set.of("role", "key", "position", "propertyReactive", "classReactive");

    /** Simple and qualified names of every type a rule may name, to the class. */
    static final Map<String, Class<?>> TYPES = types();

    /** Methods callable on a value of an allowed type. */
    static final Set<String> INSTANCE_METHODS = instanceMethods();

    /** Property names readable on an allowed type (from getters, record components and public fields). */
    static final Set<String> PROPERTIES = properties();

    private PolicyLanguage() {
    }

    /** The class a type name in a rule file stands for, if the language allows it. */
    static Class<?> type(String name) {
        return TYPES.get(name.trim());
    }

    static boolean isPrimitive(String name) {
        return Set.of("int", "long", "double", "float", "short", "byte", "boolean", "char", "var").contains(name);
    }

    /** An import the language allows: a fact type, a value type of java.math or java.time, or a helper class. */
    static boolean importAllowed(String target) {
        String t = target.trim();
        if (t.endsWith(".*")) {
            return false;
        }
        Class<?> c = TYPES.get(t);
        return c != null && t.contains(".") && (FACT_TYPES.contains(c) || FUNCTION_CLASSES.contains(c)
                || c.getPackageName().equals("java.math") || c.getPackageName().startsWith("java.time"));
    }

    /** {@code import function C.f} or {@code C.*}: C must be a helper class and f one of its public statics. */
    static boolean functionImportAllowed(String target) {
        String t = target.trim();
        int dot = t.lastIndexOf('.');
        if (dot < 0) {
            return false;
        }
        String cls = t.substring(0, dot);
        String fn = t.substring(dot + 1);
        return FUNCTION_CLASSES.stream().anyMatch(c -> c.getName().equals(cls)
                && (fn.equals("*") || publicStatics(c).contains(fn)));
    }

    /** The functions an import makes callable unqualified. */
    static Set<String> importedFunctions(String target) {
        String t = target.trim();
        int dot = t.lastIndexOf('.');
        String cls = t.substring(0, dot);
        String fn = t.substring(dot + 1);
        if (!fn.equals("*")) {
            return Set.of(fn);
        }
        return FUNCTION_CLASSES.stream().filter(c -> c.getName().equals(cls)).findFirst()
                .map(PolicyLanguage::publicStatics).orElse(Set.of());
    }

    static boolean staticMethodAllowed(Class<?> c, String method) {
        Set<String> allowed = STATIC_METHODS.getOrDefault(c, Set.of());
        return allowed.contains(method) || (allowed.contains("*") && publicStatics(c).contains(method));
    }

    static boolean staticFieldAllowed(Class<?> c, String field) {
        if (!STATIC_METHODS.containsKey(c)) {
            return false;
        }
        try {
            Field f = c.getField(field);
            return Modifier.isStatic(f.getModifiers()) && Modifier.isFinal(f.getModifiers());
        } catch (NoSuchFieldException e) {
            return false;
        }
    }

    private static Map<Class<?>, Set<String>> staticMethods() {
        Map<Class<?>, Set<String>> m = new LinkedHashMap<>();
        m.put(Math.class, Set.of("*"));
        m.put(PolicyFunctions.class, Set.of("*"));
        m.put(BigDecimal.class, Set.of("valueOf"));
        m.put(RoundingMode.class, Set.of("valueOf"));
        m.put(MathContext.class, Set.of());
        m.put(String.class, Set.of("valueOf", "join"));
        m.put(Integer.class, Set.of("valueOf", "parseInt", "compare", "max", "min", "sum", "toString", "signum"));
        m.put(Long.class, Set.of("valueOf", "parseLong", "compare", "max", "min", "sum", "toString", "signum"));
        m.put(Double.class, Set.of("valueOf", "parseDouble", "compare", "max", "min", "sum", "toString", "isNaN",
                "isFinite", "isInfinite"));
        m.put(Boolean.class, Set.of("valueOf", "parseBoolean", "toString"));
        // no now(): rules decide for PortfolioFacts.asOf, never for the wall clock (replays must give the same plan)
        m.put(LocalDate.class, Set.of("of", "parse", "ofEpochDay", "ofYearDay"));
        m.put(LocalDateTime.class, Set.of("of", "parse"));
        m.put(DayOfWeek.class, Set.of("of", "valueOf"));
        m.put(Month.class, Set.of("of", "valueOf"));
        m.put(YearMonth.class, Set.of("of", "from", "parse"));
        m.put(Duration.class, Set.of("ofDays", "ofHours", "ofMinutes", "between"));
        m.put(Period.class, Set.of("of", "ofDays", "ofWeeks", "ofMonths", "between"));
        m.put(ChronoUnit.class, Set.of("valueOf"));
        return Map.copyOf(m);
    }

    private static Map<String, Class<?>> types() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        Stream.of(FACT_TYPES, FUNCTION_CLASSES, VALUE_TYPES, List.<Class<?>>of(Math.class, Object.class))
                .flatMap(List::stream).forEach(c -> {
                    m.put(c.getSimpleName(), c);
                    m.put(c.getName(), c);
                });
        return Map.copyOf(m);
    }

    private static Set<String> publicStatics(Class<?> c) {
        return Stream.of(c.getMethods()).filter(mt -> Modifier.isStatic(mt.getModifiers()))
                .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Stream<Class<?>> readableTypes() {
        return Stream.concat(FACT_TYPES.stream(), VALUE_TYPES.stream());
    }

    private static Set<String> instanceMethods() {
        Set<String> out = new TreeSet<>();
        readableTypes().forEach(c -> {
            for (Method mt : c.getMethods()) {
                if (Modifier.isStatic(mt.getModifiers()) || DENIED_METHODS.contains(mt.getName())) {
                    continue;
                }
                // fact types are read-only to rules: getters and record accessors, never setters
                if (FACT_TYPES.contains(c) && mt.getName().startsWith("set")) {
                    continue;
                }
                out.add(mt.getName());
            }
        });
        return Set.copyOf(out);
    }

    private static Set<String> properties() {
        Set<String> out = new TreeSet<>();
        readableTypes().forEach(c -> {
            for (Method mt : c.getMethods()) {
                if (Modifier.isStatic(mt.getModifiers()) || mt.getParameterCount() != 0
                        || DENIED_METHODS.contains(mt.getName())) {
                    continue;
                }
                String n = mt.getName();
                if (n.startsWith("get") && n.length() > 3) {
                    out.add(Introspector.decapitalize(n.substring(3)));
                } else if (n.startsWith("is") && n.length() > 2) {
                    out.add(Introspector.decapitalize(n.substring(2)));
                } else if (c.isRecord()) {
                    out.add(n);
                }
            }
            for (Field f : c.getFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    out.add(f.getName());
                }
            }
        });
        out.remove("class");
        return Set.copyOf(out);
    }
}
