package io.spendshift.rules.engine;

/**
 * An evaluation was stopped at one of its limits: it allocated more than its memory budget, its caller's time
 * ran out, or it was stopped while the service shuts down. The message names the limit and the setting that
 * holds it; nothing the evaluation produced is used.
 */
public class RuleLimitException extends RuntimeException {

    private final String limit;

    public RuleLimitException(String limit, String message) {
        super(message);
        this.limit = limit;
    }

    /** Which limit: {@code memory}, {@code time}. */
    public String limit() {
        return limit;
    }
}
