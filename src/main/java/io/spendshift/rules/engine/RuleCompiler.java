package io.spendshift.rules.engine;

import org.drools.decisiontable.InputType;
import org.drools.decisiontable.SpreadsheetCompiler;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.KieContainer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Compiles a rule set (DRL files and decision tables) at run time with the plain Drools libraries: files go
 * into a {@link KieFileSystem}, the build is refused on any {@link Message.Level#ERROR}, and errors come back
 * per file with line and column. Decision tables ({@code .drl.csv}, {@code .drl.xlsx}) are turned into DRL
 * first, so their errors name the table.
 */
public final class RuleCompiler {

    private static final AtomicLong BUILDS = new AtomicLong();
    private static final String ROOT = "src/main/resources/";

    private RuleCompiler() {
    }

    /** Either compiled rules or the errors; never both. */
    public record Result(CompiledRules rules, List<CompileError> errors) {
        public boolean ok() {
            return rules != null;
        }
    }

    /** Reads the rule files of a folder: {@code *.drl}, {@code *.drl.csv}, {@code *.drl.xlsx}, except under
     * {@code examples/}, {@code scenarios/} and hidden paths. Paths use '/' and are relative to the folder,
     * sorted; symbolic links to files (as in a ConfigMap volume) are followed. */
    public static List<RuleFile> readFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("rules folder " + dir.toAbsolutePath() + " does not exist");
        }
        List<RuleFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                // hidden paths are skipped: a Kubernetes ConfigMap volume keeps a second copy of every file under
                // "..<timestamp>/", which would load each rule twice
                if (rel.startsWith("examples/") || rel.startsWith("scenarios/") || !isRuleFile(rel)
                        || java.util.Arrays.stream(rel.split("/")).anyMatch(seg -> seg.startsWith("."))) {
                    continue;
                }
                files.add(new RuleFile(rel, Files.readAllBytes(p)));
            }
        }
        return files;
    }

    public static boolean isRuleFile(String name) {
        String n = name.toLowerCase();
        return n.endsWith(".drl") || n.endsWith(".drl.csv") || n.endsWith(".drl.xlsx");
    }

    /** The version of a rule set: sha-256 over its files' paths and content hashes, in path order. */
    public static String version(List<RuleFile> files) {
        StringBuilder sb = new StringBuilder();
        files.stream().sorted(Comparator.comparing(RuleFile::path))
                .forEach(f -> sb.append(f.path()).append('\u0000').append(f.sha256()).append('\n'));
        return RuleFile.sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Compiles a rule set, or answers from the cache of compiled sets when the same files (names and contents,
     * {@link #version}) were compiled before for the same class loader: validate, scenarios, simulations and the
     * active set all compile the same few sets again and again (0.3 s warm, 1.6-3 s cold; from the cache well under
     * a millisecond). The cached result is the whole verdict, the policy checker's included: it depends only on the
     * files' text. A {@link CompiledRules} is immutable and its {@link KieBase} serves any number of sessions.
     */
    public static Result compile(List<RuleFile> files, ClassLoader appClassLoader) {
        if (files.isEmpty()) {
            return compile(files, appClassLoader, true);
        }
        CacheKey key = new CacheKey(version(files), appClassLoader);
        Result cached;
        synchronized (CACHE) {
            cached = CACHE.get(key);
        }
        if (cached != null) {
            CACHE_HITS.incrementAndGet();
            return cached;
        }
        // compiled outside the lock: two callers may compile the same new set at once, one result is kept
        Result r = compileUncached(files, appClassLoader);
        synchronized (CACHE) {
            CACHE.putIfAbsent(key, r);
        }
        return r;
    }

    /** Compiles without the cache (cold and warm compile benchmarks). */
    public static Result compileUncached(List<RuleFile> files, ClassLoader appClassLoader) {
        COMPILATIONS.incrementAndGet();
        return compile(files, appClassLoader, true);
    }

    /** Compiled sets kept: the active one, a few candidates under validation, scenarios and simulations. */
    static final int CACHE_SIZE = 8;
    private static final AtomicLong COMPILATIONS = new AtomicLong();
    private static final AtomicLong CACHE_HITS = new AtomicLong();

    /** The class loader is compared by identity: a set compiled for one application is not served to another. */
    private record CacheKey(String version, ClassLoader loader) {
        @Override
        public boolean equals(Object o) {
            return o instanceof CacheKey k && k.version.equals(version) && k.loader == loader;
        }

        @Override
        public int hashCode() {
            return version.hashCode() * 31 + System.identityHashCode(loader);
        }
    }

    /** Least recently used first; guarded by itself. */
    private static final Map<CacheKey, Result> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<CacheKey, Result> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /** Rule sets compiled so far (cache misses and uncached compiles), for tests and metrics. */
    public static long compilations() {
        return COMPILATIONS.get();
    }

    /** Compiles answered from the cache so far. */
    public static long cacheHits() {
        return CACHE_HITS.get();
    }

    /** {@code check = false} only for the test that proves the class-loader wall holds on its own. */
    static Result compile(List<RuleFile> files, ClassLoader appClassLoader, boolean check) {
        List<CompileError> errors = new ArrayList<>();
        ClassLoader classLoader = new PolicyClassLoader(appClassLoader);
        if (files.isEmpty()) {
            return new Result(null, List.of(new CompileError("", 0, 0, "the rule set has no rule files")));
        }
        KieServices ks = KieServices.Factory.get();
        KieFileSystem kfs = ks.newKieFileSystem();
        Map<String, String> drlPathToFile = new LinkedHashMap<>();
        Map<String, String> drlByFile = new LinkedHashMap<>();
        for (RuleFile f : files) {
            drlPathToFile.put(ROOT + f.path() + (f.isDecisionTable() ? ".drl" : ""), f.path());
            try {
                drlByFile.put(f.path(), toDrl(f));
            } catch (RuntimeException e) {
                errors.add(new CompileError(f.path(), 0, 0, "decision table cannot be read: " + rootMessage(e)));
            }
        }
        if (!errors.isEmpty()) {
            return new Result(null, errors);
        }
        // rule text is untrusted: nothing reaches the Drools compiler (which runs declared initializers and
        // generates code) before the policy-language checker has accepted every file
        if (check) {
            errors.addAll(PolicyChecker.check(drlByFile));
        }
        if (!errors.isEmpty()) {
            return new Result(null, CompileErrors.tidy(errors, files, drlByFile));
        }
        drlPathToFile.forEach((target, path) -> kfs.write(target, drlByFile.get(path)));
        ReleaseId rid = ks.newReleaseId("io.spendshift.rules", "policy", "1.0." + BUILDS.incrementAndGet());
        kfs.generateAndWritePomXML(rid);
        KieBuilder builder = ks.newKieBuilder(kfs, classLoader).buildAll();
        for (Message m : builder.getResults().getMessages(Message.Level.ERROR)) {
            String file = fileOf(m.getPath());
            errors.add(new CompileError(file, Math.max(0, m.getLine()), Math.max(0, m.getColumn()), clean(m.getText())));
        }
        if (!errors.isEmpty()) {
            ks.getRepository().removeKieModule(rid);
            return new Result(null, CompileErrors.tidy(errors, files, drlByFile));
        }
        try {
            KieContainer container = ks.newKieContainer(rid, classLoader);
            KieBase kieBase = container.newKieBase(kieBaseConfiguration(ks, classLoader));
            return new Result(new CompiledRules(version(files), kieBase, fileInfos(files, kieBase, drlPathToFile)), List.of());
        } finally {
            // the KieBase is all we keep; the module must not pile up in the shared repository
            ks.getRepository().removeKieModule(rid);
        }
    }

    /**
     * The configuration of every KieBase the service builds. Constraint jitting is off: Drools 10.2.0 compiles
     * an MVEL constraint to bytecode after 20 evaluations, and the jitted string operators ({@code str[startsWith]},
     * {@code str[endsWith]}, {@code str[length]}) call a method 10.2.0 does not have (NoSuchMethodError
     * {@code EvaluatorHelper.initOperators}; apache/incubator-kie-drools issue 6711, fixed by PR 6730 after 10.2.0).
     * A threshold of -1 is never reached (the counter starts at 0), so constraints stay interpreted.
     */
    static org.kie.api.KieBaseConfiguration kieBaseConfiguration(KieServices ks, ClassLoader classLoader) {
        org.kie.api.KieBaseConfiguration conf = ks.newKieBaseConfiguration(null, classLoader);
        conf.setOption(org.kie.internal.conf.ConstraintJittingThresholdOption.get(-1));
        return conf;
    }

    /** A file's DRL: its text, or the DRL a decision table turns into (what the checker and Drools read). */
    static String toDrl(RuleFile f) {
        if (!f.isDecisionTable()) {
            return new String(f.content(), StandardCharsets.UTF_8);
        }
        return new SpreadsheetCompiler().compile(new ByteArrayInputStream(f.content()),
                f.path().endsWith(".csv") ? InputType.CSV : InputType.XLS);
    }

    private static List<CompiledRules.FileInfo> fileInfos(List<RuleFile> files, KieBase kb, Map<String, String> drlPathToFile) {
        Map<String, List<String>> byFile = new LinkedHashMap<>();
        files.forEach(f -> byFile.put(f.path(), new ArrayList<>()));
        for (KiePackage p : kb.getKiePackages()) {
            for (Rule r : p.getRules()) {
                String file = sourceOf(r, drlPathToFile);
                byFile.computeIfAbsent(file, k -> new ArrayList<>()).add(r.getName());
            }
        }
        List<CompiledRules.FileInfo> out = new ArrayList<>();
        for (RuleFile f : files) {
            List<String> names = byFile.getOrDefault(f.path(), List.of());
            names.sort(String::compareTo);
            out.add(new CompiledRules.FileInfo(f.path(), f.sha256(), List.copyOf(names)));
        }
        return out;
    }

    private static String sourceOf(Rule r, Map<String, String> drlPathToFile) {
        if (r instanceof org.drools.base.definitions.rule.impl.RuleImpl impl && impl.getResource() != null
                && impl.getResource().getSourcePath() != null) {
            String src = impl.getResource().getSourcePath();
            for (Map.Entry<String, String> e : drlPathToFile.entrySet()) {
                if (src.endsWith(e.getKey()) || e.getKey().endsWith(src)) {
                    return e.getValue();
                }
            }
        }
        return "?";
    }

    /** The rule file a build message is about: the KieFileSystem path without its root, a table without ".drl". */
    static String fileOf(String path) {
        String p = path == null ? "" : path;
        if (p.startsWith(ROOT)) {
            p = p.substring(ROOT.length());
        }
        if (p.endsWith(".drl.csv.drl") || p.endsWith(".drl.xlsx.drl")) {
            p = p.substring(0, p.length() - 4);
        }
        return p;
    }

    private static String clean(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
