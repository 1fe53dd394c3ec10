package io.spendshift.portfolio;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Where a person's change of a channel's daily budget goes, so that it takes the path of an applied plan: the
 * budget sinks (the portfolio's webhook, any ad platform's sink, then the ledger). Implemented by
 * {@code io.spendshift.recommendation.sink}; a port here, so this package does not depend on that one.
 */
public interface BudgetEditSink {

    /** An edit ready to be delivered; what it holds is the implementation's (its text never shows a secret). */
    interface Prepared {
    }

    /**
     * Prepares the edit of {@code channel} (its name and target as the edit leaves them) from {@code before} to
     * {@code after}, effective {@code effectiveOn}, by {@code actor}; in the transaction that read the channel.
     */
    Prepared prepare(Portfolio p, String channel, String name, PortfolioDtos.ChannelTarget target, BigDecimal before,
                     BigDecimal after, LocalDate effectiveOn, String actor);

    /**
     * Delivers the edit to every sink outside Spendshift, outside any transaction. Throws a
     * {@code ProblemException} (502 refused, 503 unavailable) when one could not take it: the edit is then not stored.
     */
    void deliver(Prepared edit);

    /** Writes the edit to the ledger, in the transaction that stores the new budget. */
    void record(Prepared edit);

    /** The reason the sinks and the audit give for an edit. */
    static String reason(String actor) {
        return "manual edit by " + actor;
    }
}
