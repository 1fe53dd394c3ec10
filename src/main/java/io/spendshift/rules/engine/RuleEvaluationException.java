package io.spendshift.rules.engine;

/**
 * The rule engine failed with an {@link Error} while evaluating (a NoSuchMethodError from a Drools bug, a
 * StackOverflowError, ...). Wrapped so every caller that handles failures as exceptions (runs, scenarios,
 * simulations, reads) ends cleanly instead of leaving work half done; the original error is the cause.
 */
public class RuleEvaluationException extends RuntimeException {

    public RuleEvaluationException(Error cause) {
        super("the rules failed while evaluating: " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
    }

    /**
     * A rule failure in words: its message and, when the engine wrapped it (a constraint or consequence that
     * threw), the root cause's type and message, which is what tells a strategist what went wrong.
     */
    public static String describe(Throwable e) {
        String own = e instanceof RuleEvaluationException ? e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == e || e instanceof RuleEvaluationException) {
            return own;
        }
        return own + " (caused by " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
    }
}
