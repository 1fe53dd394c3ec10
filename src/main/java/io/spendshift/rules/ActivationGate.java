package io.spendshift.rules;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.spendshift.SpendshiftConfig;
import io.spendshift.portfolio.Portfolio;
import io.spendshift.rules.engine.CompileError;
import io.spendshift.rules.engine.CompiledRules;
import io.spendshift.rules.engine.PolicyEvaluator;
import io.spendshift.rules.engine.RuleEvaluationException;
import io.spendshift.rules.engine.RuleLimitException;
import io.spendshift.rules.engine.Sandbox;
import io.spendshift.rules.engine.Scenario;
import io.spendshift.rules.engine.ScenarioRunner;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * What a rule set that compiles must also pass before a folder change makes it active: the folder's scenarios
 * ({@code scenarios/*.yaml}) and a smoke evaluation on every portfolio's current facts, with the candidate
 * KieBase, all within {@code spendshift.rules.eval-timeout}. A compiling set that loops, throws or breaks a
 * scenario is refused like one that does not compile; the errors say which scenario or portfolio, and why.
 */
@ApplicationScoped
public class ActivationGate {

    /** Why a candidate was refused: the stage that refused it and one error per failure. */
    public record Refusal(String stage, List<CompileError> errors) {
    }

    private final CurrentFacts facts;
    private final Duration timeout;

    ActivationGate(CurrentFacts facts, SpendshiftConfig config) {
        this.facts = facts;
        this.timeout = config.rules().evalTimeout();
    }

    /** Null when {@code candidate} may become active; otherwise why not. */
    public Refusal check(CompiledRules candidate, Path dir) {
        // the facts are read here, the rules run in a sandbox that touches no database: a candidate that overruns is
        // stopped (outright if need be), not left running beside the active rules
        Map<String, CurrentFacts.Sample> samples = samples();
        try {
            return Sandbox.call("spendshift-activation-gate", timeout, () -> {
                Refusal r = scenarios(candidate, dir.resolve("scenarios"));
                return r != null ? r : smoke(candidate, samples);
            }, () -> { });
        } catch (TimeoutException e) {
            return new Refusal("timeout", List.of(new CompileError("", 0, 0, "the scenarios and the smoke evaluation "
                    + "did not finish within " + timeout.toMillis() + " ms (spendshift.rules.eval-timeout)")));
        } catch (ExecutionException e) {
            return new Refusal("smoke", List.of(new CompileError("", 0, 0, "the activation checks failed: "
                    + RuleEvaluationException.describe(e.getCause()))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking a rule set", e);
        }
    }

    private static Refusal scenarios(CompiledRules candidate, Path dir) throws IOException {
        List<CompileError> errors = new ArrayList<>();
        for (ScenarioRunner.ScenarioFile f : ScenarioRunner.readFolder(dir)) {
            Scenario.Result r = ScenarioRunner.run(candidate, f);
            if (!r.passed()) {
                errors.add(new CompileError("scenarios/" + f.name(), 0, 0,
                        "scenario '" + r.scenario() + "' fails: " + r.message()));
            }
        }
        return errors.isEmpty() ? null : new Refusal("scenarios", errors);
    }

    /** Every portfolio's facts of today, by key; a portfolio whose data cannot be read is left out. */
    private Map<String, CurrentFacts.Sample> samples() {
        List<String> keys = QuarkusTransaction.requiringNew().call(() -> Portfolio.<Portfolio>listAll().stream()
                .map(p -> p.key).sorted().toList());
        Map<String, CurrentFacts.Sample> out = new LinkedHashMap<>();
        for (String key : keys) {
            try {
                out.put(key, facts.today(key));
            } catch (RuntimeException e) {
                // the portfolio went away meanwhile, or its data cannot be read: not the rules' fault
            }
        }
        return out;
    }

    private static Refusal smoke(CompiledRules candidate, Map<String, CurrentFacts.Sample> samples) {
        List<CompileError> errors = new ArrayList<>();
        for (Map.Entry<String, CurrentFacts.Sample> e : samples.entrySet()) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            CurrentFacts.Sample f = e.getValue();
            try {
                PolicyEvaluator.evaluate(candidate.kieBase(), f.portfolio(), f.channels(), false);
            } catch (RuleLimitException limit) {
                throw limit;
            } catch (RuntimeException | StackOverflowError | LinkageError x) {
                errors.add(new CompileError("", 0, 0, "smoke evaluation on portfolio '" + e.getKey() + "' fails: "
                        + RuleEvaluationException.describe(x)));
            }
        }
        return errors.isEmpty() ? null : new Refusal("smoke", errors);
    }
}
