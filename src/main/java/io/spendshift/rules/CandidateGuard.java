package io.spendshift.rules;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.spendshift.SpendshiftConfig;
import io.spendshift.audit.AuditAction;
import io.spendshift.audit.AuditService;
import io.spendshift.common.ProblemException;
import io.spendshift.rules.engine.CompileError;
import io.spendshift.rules.engine.RuleFile;
import io.spendshift.rules.engine.RuleLimitException;
import io.spendshift.rules.engine.Sandbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Where strategists' rule text is compiled and evaluated on request (validate, scenarios, simulations): at most
 * {@code spendshift.rules.max-concurrent} such evaluations at once (429 beyond), each under a wall-clock limit
 * ({@code spendshift.rules.eval-timeout}, 422 on expiry) and a memory budget per evaluation
 * ({@code spendshift.rules.eval-memory}), and every call audited with its caller, the files' hashes and the
 * outcome. The work runs in a {@link Sandbox}: at the limit it is stopped (cooperatively, then outright), the 422
 * is answered once it has stopped, and its permit is returned when its thread has ended.
 */
@ApplicationScoped
public class CandidateGuard {

    private static final Logger LOG = Logger.getLogger(CandidateGuard.class);

    private final Semaphore permits;
    private final Duration timeout;
    private final int maxConcurrent;
    private final AuditService audit;

    @Inject
    CandidateGuard(SpendshiftConfig config, AuditService audit) {
        this(config.rules().evalTimeout(), config.rules().maxConcurrent(), audit);
        io.spendshift.rules.engine.EvaluationWatchdog.allocationBudget(config.rules().evalMemory().asLongValue());
    }

    CandidateGuard(Duration timeout, int maxConcurrent, AuditService audit) {
        this.maxConcurrent = maxConcurrent;
        this.permits = new Semaphore(maxConcurrent);
        this.timeout = timeout;
        this.audit = audit;
    }

    /** Evaluations under way now (the console and tests read it). */
    int running() {
        return maxConcurrent - permits.availablePermits();
    }

    /** What was evaluated, for the audit entry: the candidate's files, or the active rule set's version. */
    public record Subject(List<RuleFile> files, String activeVersion) {
        public static Subject candidate(List<RuleFile> files) {
            return new Subject(files, null);
        }

        public static Subject active(String version) {
            return new Subject(List.of(), version);
        }
    }

    /**
     * Runs {@code work} under the limits and audits it as {@code action} by {@code actor}; {@code outcome} turns
     * the result into the audit entry's outcome fields.
     */
    public <T> T evaluate(AuditAction action, String actor, Subject subject, Callable<T> work,
                          Function<T, Map<String, Object>> outcome) {
        if (!permits.tryAcquire()) {
            audit(action, actor, subject, Map.of("outcome", "refused: too many concurrent evaluations"));
            throw new ProblemException(429, "Too many rule evaluations",
                    "at most " + maxConcurrent + " rule compilations or evaluations run at once; try again shortly",
                    null, null);
        }
        long t0 = System.nanoTime();
        try {
            // the permit comes back when the sandbox thread has ended, not when this caller stops waiting
            T result = Sandbox.call("spendshift-candidate", timeout, work, permits::release);
            Map<String, Object> fields = new LinkedHashMap<>(outcome.apply(result));
            fields.put("millis", (System.nanoTime() - t0) / 1_000_000);
            audit(action, actor, subject, fields);
            return result;
        } catch (TimeoutException e) {
            // Sandbox.call returns only once the work has stopped: what answers "stopped" no longer runs
            String message = "the evaluation did not finish within " + describe(timeout)
                    + " (spendshift.rules.eval-timeout) and was stopped";
            long millis = (System.nanoTime() - t0) / 1_000_000;
            LOG.warnf("%s by %s stopped after %d ms: %s", action, actor, millis, message);
            audit(action, actor, subject, Map.of("outcome", "timed out", "millis", millis));
            throw limitProblem("Rules took too long", message);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuleLimitException limit) {
                LOG.warnf("%s by %s stopped at its %s limit: %s", action, actor, limit.limit(), limit.getMessage());
                audit(action, actor, subject, Map.of("outcome", "stopped: " + limit.limit() + " limit",
                        "millis", (System.nanoTime() - t0) / 1_000_000));
                throw limitProblem("Rules exceeded a limit", limit.getMessage());
            }
            if (cause instanceof ProblemException p) {
                audit(action, actor, subject, Map.of("outcome", "refused", "status", p.status(),
                        "errors", p.errors().size()));
                throw p;
            }
            audit(action, actor, subject, Map.of("outcome", "failed"));
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("rule evaluation failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a rule evaluation", e);
        }
    }

    private static ProblemException limitProblem(String title, String message) {
        return new ProblemException(422, title, message, List.of(new CompileError("", 0, 0, message)),
                Map.of("valid", false));
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private void audit(AuditAction action, String actor, Subject subject, Map<String, Object> outcome) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (subject.activeVersion() != null) {
            details.put("ruleSet", "active");
        } else {
            details.put("files", subject.files().stream()
                    .map(f -> Map.of("path", f.path(), "sha256", f.sha256())).toList());
        }
        details.putAll(outcome);
        if (audit == null) {
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> audit.append(new AuditService.Event(actor, action,
                    "ruleSet", subject.activeVersion() != null ? subject.activeVersion()
                            : io.spendshift.rules.engine.RuleCompiler.version(subject.files()),
                    null, subject.activeVersion(), details)));
        } catch (RuntimeException e) {
            LOG.warn("Could not audit a rule evaluation", e);
        }
    }
}
