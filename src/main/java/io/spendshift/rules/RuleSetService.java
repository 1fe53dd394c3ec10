package io.spendshift.rules;

import io.spendshift.common.Page;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.spendshift.SpendshiftConfig;
import io.spendshift.audit.AuditAction;
import io.spendshift.audit.AuditService;
import io.spendshift.common.ProblemException;
import io.spendshift.rules.engine.CompileError;
import io.spendshift.rules.engine.CompiledRules;
import io.spendshift.rules.engine.RuleCompiler;
import io.spendshift.rules.engine.RuleFile;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Owns the active rule set. The shared {@link CompiledRules} is swapped atomically, and only after a clean
 * build; a failed build leaves the active set as it was, is audited ({@code RULES_REJECTED}) and shows on
 * {@code /rules} and in health. Every version that becomes active is stored with its files. At start-up a
 * broken folder falls back to the newest good stored version, or the service refuses to start.
 */
@ApplicationScoped
public class RuleSetService {

    private static final Logger LOG = Logger.getLogger(RuleSetService.class);

    /** The active rule set and when and by whom it was loaded. */
    public record Active(CompiledRules rules, Instant loadedAt, String loadedBy, String source) {
    }

    /** The last failed load, cleared by the next good one; {@code reason} is null for compile errors. */
    public record Failure(Instant at, String by, List<CompileError> errors, String reason) {
        public Failure(Instant at, String by, List<CompileError> errors) {
            this(at, by, errors, null);
        }
    }

    private final AtomicReference<Active> active = new AtomicReference<>();
    private final AtomicReference<Failure> lastFailure = new AtomicReference<>();
    private final SpendshiftConfig config;
    private final AuditService audit;
    private final RuleSetVersionStore versions;
    private final ObjectMapper json;
    private final Clock clock;
    private final ActivationGate gate;

    RuleSetService(SpendshiftConfig config, AuditService audit, RuleSetVersionStore versions, ObjectMapper json,
                   Clock clock, ActivationGate gate) {
        this.gate = gate;
        this.config = config;
        this.audit = audit;
        this.versions = versions;
        this.json = json;
        this.clock = clock;
    }

    void onStart(@Observes @Priority(10) StartupEvent ev) {
        start(config.rules().dir());
    }

    /** Loads {@code dir} at start-up; falls back to the newest good stored version, or refuses to start. */
    void start(java.nio.file.Path dir) {
        try {
            load(io.spendshift.security.Actors.STARTUP, dir);
        } catch (ProblemException e) {
            Optional<StoredVersion> stored = newestStored();
            String errors = describe(lastFailure.get());
            if (stored.isEmpty()) {
                throw new IllegalStateException("The rules folder " + dir.toAbsolutePath()
                        + " does not compile and no earlier version is stored; refusing to start:\n" + errors);
            }
            RuleCompiler.Result r = RuleCompiler.compile(stored.get().files(), classLoader());
            if (!r.ok()) {
                throw new IllegalStateException("Neither the rules folder nor the newest stored version "
                        + stored.get().version() + " compiles; refusing to start:\n" + errors);
            }
            active.set(new Active(r.rules(), clock.instant(), io.spendshift.security.Actors.STARTUP, "stored version"));
            LOG.errorf("The rules folder does not compile; serving the newest good stored version %s instead:%n%s",
                    stored.get().version(), errors);
        }
    }

    /** The active rule set; there always is one once the service has started. */
    public Active active() {
        Active a = active.get();
        if (a == null) {
            throw new IllegalStateException("no rule set is active yet");
        }
        return a;
    }

    public Optional<Failure> lastFailure() {
        return Optional.ofNullable(lastFailure.get());
    }

    /** An evaluation of the active rule set that failed for a portfolio (a run, a read); the next good one clears it. */
    public record EvaluationFailure(String version, String portfolio, Instant at, String error) {
    }

    private final Map<String, EvaluationFailure> evaluationFailures = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Runs an evaluation of rule set {@code version} for {@code portfolio} and remembers whether the rules failed
     * in it, so readiness shows a rule set that compiles but fails at evaluation.
     */
    public <T> T evaluating(String portfolio, String version, java.util.function.Supplier<T> work) {
        try {
            T result = work.get();
            // only a good evaluation of the set that failed clears it: a run of an older set that ends after the
            // newer one failed says nothing about the newer one
            evaluationFailures.computeIfPresent(portfolio, (k, f) -> f.version().equals(version) ? null : f);
            return result;
        } catch (RuntimeException | Error e) {
            if (isRuleFailure(e)) {
                evaluationFailures.put(portfolio, new EvaluationFailure(version, portfolio, clock.instant(),
                        io.spendshift.rules.engine.RuleEvaluationException.describe(e)));
            }
            throw e;
        }
    }

    /** The failed evaluations of the active version, by portfolio. */
    public List<EvaluationFailure> evaluationFailures() {
        Active a = active.get();
        return a == null ? List.of() : evaluationFailures.values().stream()
                .filter(f -> f.version().equals(a.rules().version()))
                .sorted(java.util.Comparator.comparing(EvaluationFailure::portfolio)).toList();
    }

    /** A failure of the rules themselves (not of the database, the facts or the planner around them). */
    public static boolean isRuleFailure(Throwable e) {
        return e instanceof Error || e instanceof io.spendshift.rules.engine.RuleEvaluationException
                || e instanceof io.spendshift.rules.engine.RuleLoopException
                || e instanceof io.spendshift.rules.engine.RuleLimitException
                || e instanceof org.kie.api.runtime.rule.ConsequenceException
                || e.getClass().getName().startsWith("org.drools.");
    }

    /** Reads and compiles the folder; swaps it in when it compiles. Throws a 422 problem when it does not. */
    public Active reload(String actor) {
        return load(actor, config.rules().dir());
    }

    private synchronized Active load(String actor, java.nio.file.Path dir) {
        List<RuleFile> files;
        try {
            files = RuleCompiler.readFolder(dir);
        } catch (IOException e) {
            throw reject(actor, List.of(new CompileError("", 0, 0, e.getMessage())));
        }
        Active current = active.get();
        String version = RuleCompiler.version(files);
        if (current != null && current.rules().version().equals(version)) {
            lastFailure.set(null);
            return current;
        }
        long t0 = System.nanoTime();
        RuleCompiler.Result r = RuleCompiler.compile(files, classLoader());
        if (!r.ok()) {
            throw reject(actor, r.errors());
        }
        // a folder change must also pass the folder's scenarios and a smoke evaluation on every portfolio's facts;
        // at start-up there is nothing serving yet, so the folder is taken as it compiles
        ActivationGate.Refusal refusal = current == null ? null : gate.check(r.rules(), dir);
        if (refusal != null) {
            throw reject(actor, refusal.errors(), refusal.stage());
        }
        Active next = new Active(r.rules(), clock.instant(), actor, "folder");
        QuarkusTransaction.requiringNew().run(() -> {
            store(r.rules().version(), files, next);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("version", r.rules().version());
            details.put("previous", current == null ? null : current.rules().version());
            details.put("files", r.rules().files().stream().map(CompiledRules.FileInfo::path).toList());
            details.put("rules", r.rules().ruleNames().size());
            audit.append(new AuditService.Event(actor, AuditAction.RULES_LOADED, "ruleSet", r.rules().version(),
                    null, r.rules().version(), details));
        });
        active.set(next);
        lastFailure.set(null);
        LOG.infof("Rule set %s active (%d files, %d rules, compiled in %d ms, loaded by %s)",
                r.rules().version().substring(0, 12), files.size(), r.rules().ruleNames().size(),
                (System.nanoTime() - t0) / 1_000_000, actor);
        return next;
    }

    /** Compiles a candidate set without touching the active one. */
    public RuleCompiler.Result validate(List<RuleFile> files) {
        return RuleCompiler.compile(files, classLoader());
    }

    private ProblemException reject(String actor, List<CompileError> errors) {
        return reject(actor, errors, null);
    }

    /** {@code stage}: null for a set that does not compile, else the activation check that refused it. */
    private ProblemException reject(String actor, List<CompileError> errors, String stage) {
        Failure f = new Failure(clock.instant(), actor, errors, stage == null ? null : RulesProblems.refusedBy(stage));
        lastFailure.set(f);
        Active current = active.get();
        try {
            QuarkusTransaction.requiringNew().run(() -> audit.append(new AuditService.Event(actor,
                    AuditAction.RULES_REJECTED, "ruleSet", "folder", null,
                    current == null ? null : current.rules().version(), stage == null ? Map.of("errors", errors)
                            : Map.of("errors", errors, "reason", RulesProblems.refusedBy(stage)))));
        } catch (RuntimeException e) {
            LOG.warn("Could not audit a rejected rule set", e);
        }
        LOG.warnf("Rule set rejected (%s); the active set stays %s:%n%s", actor,
                current == null ? "none" : current.rules().version().substring(0, 12), describe(f));
        return stage == null ? RulesProblems.doNotCompile(errors) : RulesProblems.refused(stage, errors);
    }

    /** A stored version: its metadata and files. */
    public record StoredVersion(String version, Instant loadedAt, String loadedBy, List<RuleFile> files) {
    }

    private record StoredFile(String path, String sha256, String content) {
    }

    private void store(String version, List<RuleFile> files, Active a) {
        if (versions.exists(version)) {
            return;
        }
        List<StoredFile> stored = files.stream().map(f -> new StoredFile(f.path(), f.sha256(),
                Base64.getEncoder().encodeToString(f.content()))).toList();
        try {
            versions.insert(version, a.loadedAt(), a.loadedBy(), json.writeValueAsString(stored));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Past versions, newest first. */
    public List<StoredVersion> versions(int page, int size) {
        return QuarkusTransaction.requiringNew().call(() -> versions.page(Page.offset(page, size), size).stream()
                .map(r -> new StoredVersion(r.version(), r.loadedAt(), r.loadedBy(), List.of())).toList());
    }

    public long versionCount() {
        return QuarkusTransaction.requiringNew().call(versions::count);
    }

    public Optional<StoredVersion> stored(String version) {
        return QuarkusTransaction.requiringNew().call(() -> versions.find(version).map(this::toStored));
    }

    private Optional<StoredVersion> newestStored() {
        return QuarkusTransaction.requiringNew().call(() -> versions.newest().map(this::toStored));
    }

    private StoredVersion toStored(RuleSetVersionStore.Row r) {
        try {
            List<StoredFile> files = json.readValue(r.files(), new TypeReference<>() { });
            return new StoredVersion(r.version(), r.loadedAt(), r.loadedBy(), files.stream()
                    .map(f -> new RuleFile(f.path(), Base64.getDecoder().decode(f.content()))).toList());
        } catch (IOException e) {
            throw new IllegalStateException("stored rule set " + r.version() + " is unreadable", e);
        }
    }

    static ClassLoader classLoader() {
        return RuleSetService.class.getClassLoader();
    }

    static String describe(Failure f) {
        if (f == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (CompileError e : f.errors()) {
            sb.append("  ").append(e.file()).append(':').append(e.line()).append(':').append(e.column()).append(": ")
                    .append(e.message()).append('\n');
        }
        return sb.toString();
    }

}
