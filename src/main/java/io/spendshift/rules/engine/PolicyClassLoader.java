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
 * rule engine itself). A construct the checker missed still cannot link to files, processes, the network,
 * reflection, threads or the service's own beans: the compiler does not find them, and generated code that
 * names them fails with {@link NoClassDefFoundError}.
 */
final class PolicyClassLoader extends ClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private static final Set<String> PACKAGES = Set.of("java.lang", "java.util", "java.math", "java.time",
            "java.time.temporal", "java.time.format", "java.time.chrono");
    private static final Set<String> PREFIXES = Set.of("io.spendshift.policy.", "org.drools.", "org.kie.", "org.mvel2.");
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
        return PACKAGES.contains(pkg) || PREFIXES.stream().anyMatch(className::startsWith);
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
     * but rule code cannot load those classes.
     */
    private static boolean resourceAllowed(String name) {
        if (!name.endsWith(".class")) {
            return true;
        }
        String cls = name.substring(0, name.length() - ".class".length()).replace('/', '.');
        return allowed(cls) || cls.startsWith("java.lang.invoke.");
    }
}
