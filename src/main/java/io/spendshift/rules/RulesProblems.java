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

    /** The reason of a set that compiles but was refused at activation, by the check that refused it. */
    public static String refusedBy(String stage) {
        return switch (stage) {
            case "scenarios" -> "the folder's scenarios fail";
            case "smoke" -> "the smoke evaluation on the portfolios' current facts fails";
            case "timeout" -> "the activation checks took too long";
            default -> stage;
        };
    }

    /** The 422 problem of a set that compiles but failed the activation checks: the same shape as a compile error. */
    public static ProblemException refused(String stage, List<CompileError> errors) {
        String detail = "not activated: " + refusedBy(stage) + "; " + errors.size() + " error"
                + (errors.size() == 1 ? "" : "s") + "; first: " + (errors.isEmpty() ? "" : errors.get(0).message());
        return new ProblemException(422, "Rules rejected", detail, errors,
                Map.of("valid", false, "stage", stage));
    }
}
