package io.spendshift.rules.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;

/**
 * The second wall behind {@link PolicyChecker}: rules are compiled and run with this class loader as the
 * parent of the classes Drools generates, and it exposes only the packages the policy language needs (the
 * fact model, {@code java.math}, {@code java.time}, plain {@code java.lang} and {@code java.util} types, and the
 * few classes of the rule engine that compiled rules link to). A construct the checker missed still cannot link to
 * files, processes, the network, reflection, threads, the service's own beans or the engine's evaluators and
 * compilers: the compiler does not find them, and generated code that names them fails with
 * {@link NoClassDefFoundError}.
 *
 * <p>Of the engine ({@code org.drools}, {@code org.kie}, {@code org.mvel2}) only {@link #ENGINE_CLASSES} and
 * {@link #ENGINE_PACKAGES} are visible: the interfaces generated consequences and evals implement and call
 * ({@code Consequence}, {@code KnowledgeHelper}, {@code Tuple}, {@code Declaration}...), the field readers and
 * writers generated for fact properties, the built-in accumulate functions, the operator definitions and the
 * annotations of declared types. Everything else of the engine is denied by default, MVEL entirely:
 * {@code org.mvel2.MVEL.eval} evaluates any Java with the application's class loader. The list was read off
 * every rule the test suite compiles and runs (the default pack, the examples, the strategist corpus, scenarios
 * and simulations) with a recording loader.
 */
final class PolicyClassLoader extends ClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private static final Set<String> PACKAGES = Set.of("java.lang", "java.util", "java.math", "java.time",
            "java.time.temporal", "java.time.format", "java.time.chrono");
    private static final Set<String> PREFIXES = Set.of("io.spendshift.policy.");
    /** Engine classes that compiled rules link to (besides {@link #ENGINE_PACKAGES}). */
    static final Set<String> ENGINE_CLASSES = Set.of(
            // what generated consequences, evals and predicates implement, receive and call
            "org.drools.base.rule.consequence.Consequence", "org.drools.base.rule.consequence.ConsequenceContext",
            "org.drools.core.rule.consequence.KnowledgeHelper", "org.drools.core.WorkingMemory",
            "org.drools.base.rule.accessor.CompiledInvoker", "org.drools.base.rule.accessor.EvalExpression",
            "org.drools.base.rule.accessor.ReturnValueExpression", "org.drools.base.rule.accessor.PredicateExpression",
            "org.drools.base.rule.Declaration", "org.drools.base.reteoo.BaseTuple", "org.drools.core.reteoo.Tuple",
            "org.drools.core.reteoo.LeftTuple", "org.drools.core.common.InternalFactHandle",
            "org.drools.base.base.ValueResolver", "org.drools.base.base.ValueType",
            "org.drools.compiler.rule.builder.EvaluatorWrapper", "org.drools.mvel.field.FieldFactory",
            "org.drools.base.factmodel.GeneratedFact", "org.kie.api.runtime.rule.FactHandle",
            "org.kie.api.definition.rule.Rule", "org.kie.api.runtime.rule.RuleContext",
            "org.drools.base.beliefsystem.Mode", "org.drools.base.rule.accessor.FieldValue",
            "org.drools.base.rule.accessor.Invoker", "org.drools.mvel.field.FieldDataFactory",
            "org.drools.mvel.asm.MethodComparator",
            // the stubs the engine turns into invokers of a rule's consequence and evals
            "org.drools.mvel.asm.ConsequenceStub", "org.drools.mvel.asm.ConsequenceGenerator",
            "org.drools.mvel.asm.EvalStub", "org.drools.mvel.asm.EvalGenerator",
            "org.drools.mvel.asm.PredicateStub", "org.drools.mvel.asm.PredicateGenerator",
            "org.drools.mvel.asm.ReturnValueStub", "org.drools.mvel.asm.ReturnValueGenerator",
            "org.drools.mvel.asm.InvokerStub", "org.drools.mvel.asm.InvokerGenerator",
            // the rule builder loads its Java compiler through the rules' class loader; rule text cannot name it
            // (the checker refuses the engine's packages), and it compiles only what the builder hands it
            "org.drools.ecj.EclipseJavaCompiler");
    /** Engine packages visible whole: generated field accessors, accumulate functions, operators, annotations. */
    static final Set<String> ENGINE_PACKAGES = Set.of("org.drools.mvel.accessors", "org.drools.base.base.extractors",
            "org.drools.core.base.accumulators", "org.drools.mvel.evaluators", "org.kie.api.definition.type");
    /** java.lang and java.util types that reach outside the rule: processes, the JVM, threads, class loading. */
    private static final Set<String> DENIED = Set.of("java.lang.Runtime", "java.lang.ProcessBuilder",
            "java.lang.Process", "java.lang.ProcessHandle", "java.lang.System", "java.lang.Thread",
            "java.lang.ThreadGroup", "java.lang.ThreadLocal", "java.lang.InheritableThreadLocal",
            "java.lang.ClassLoader", "java.lang.Module", "java.lang.ModuleLayer", "java.lang.SecurityManager",
            "java.lang.StackWalker", "java.lang.Shutdown", "java.lang.Package", "java.lang.ClassValue",
            "java.lang.ScopedValue", "java.lang.Compiler", "java.util.ServiceLoader", "java.util.Timer",
            "java.util.Scanner", "java.util.Properties", "java.util.ResourceBundle", "java.util.prefs.Preferences");
    /**
     * Interfaces the engine's own generated classes implement, and the bootstrap of string concatenation that
     * compiled consequences link to (the checker refuses any rule that names these types itself).
     */
    private static final Set<String> EXTRA = Set.of("java.io.Serializable", "java.io.Externalizable",
            "java.io.ObjectInput", "java.io.ObjectOutput", "java.io.IOException",
            "java.lang.invoke.StringConcatFactory", "java.lang.invoke.MethodHandles", "java.lang.invoke.MethodType",
            "java.lang.invoke.MethodHandle", "java.lang.invoke.CallSite", "java.lang.invoke.ConstantCallSite");

    PolicyClassLoader(ClassLoader parent) {
        super("spendshift-policy", parent);
    }

    /** Whether rule code may link to the class of that binary name. */
    static boolean allowed(String className) {
        if (EXTRA.contains(className)) {
            return true;
        }
        if (EXTRA.contains(className.replaceFirst("\\$.*", ""))) {
            return true;
        }
        String outer = className;
        int inner = outer.indexOf('$');
        if (inner > 0) {
            outer = outer.substring(0, inner);
        }
        if (DENIED.contains(outer)) {
            return false;
        }
        int dot = outer.lastIndexOf('.');
        String pkg = dot < 0 ? "" : outer.substring(0, dot);
        return PACKAGES.contains(pkg) || PREFIXES.stream().anyMatch(className::startsWith)
                || ENGINE_CLASSES.contains(outer) || ENGINE_PACKAGES.contains(pkg);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!allowed(name)) {
            throw new ClassNotFoundException(name + " is not available to rules");
        }
        return super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
        return resourceAllowed(name) ? super.getResource(name) : null;
    }

    @Override
    public InputStream getResourceAsStream(String name) {
        return resourceAllowed(name) ? super.getResourceAsStream(name) : null;
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return resourceAllowed(name) ? super.getResources(name) : Collections.emptyEnumeration();
    }

    /**
     * Class files only for allowed classes (the compiler reads them to resolve names); other resources as usual.
     * The compiler may read {@code java.lang.invoke} signatures, which records and string concatenation refer to,
     * and the engine's class files, to resolve the supertypes of the engine interfaces generated code implements;
     * reading a class file links nothing: rule code still cannot load those classes.
     */
    private static boolean resourceAllowed(String name) {
        if (!name.endsWith(".class")) {
            return true;
        }
        String cls = name.substring(0, name.length() - ".class".length()).replace('/', '.');
        return allowed(cls) || cls.startsWith("java.lang.invoke.") || cls.startsWith("org.drools.")
                || cls.startsWith("org.kie.") || cls.startsWith("org.mvel2.");
    }
}
