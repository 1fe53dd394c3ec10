package io.spendshift.rules;

import io.spendshift.common.ProblemException;
import io.spendshift.rules.engine.CompileError;

import java.util.List;
import java.util.Map;

/** The 422 problem of a rule set that does not compile: {@code valid: false} and one error per message. */
public final class RulesProblems {

    private RulesProblems() {
    }

    public static ProblemException doNotCompile(List<CompileError> errors) {
        String detail = errors.size() + " compile error" + (errors.size() == 1 ? "" : "s") + "; first: "
                + (errors.isEmpty() ? "" : errors.get(0).file() + ":" + errors.get(0).line() + ": " + errors.get(0).message());
        return new ProblemException(422, "Rules do not compile", detail, errors, Map.of("valid", false));
    }
}
