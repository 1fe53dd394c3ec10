package io.spendshift.rules.engine;

/** The rules fired more often than the limit allows: almost always a rule that re-triggers itself. */
public class RuleLoopException extends RuntimeException {

    private final String rule;

    public RuleLoopException(String rule, int firings, int limit) {
        super("the rules fired " + firings + " times, the limit is " + limit + "; rule '" + rule
                + "' fired most and is probably looping (does it modify a fact it matches without a guard?)");
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}
