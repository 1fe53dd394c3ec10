package io.spendshift.recommendation.sink;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * Where an applied plan's budget changes go: the internal ledger ({@link LedgerBudgetSink}, always, in the
 * transaction that changes the budgets) and the portfolio's webhook ({@link WebhookBudgetSink}, where one is
 * configured, before that transaction, so a sink that keeps failing leaves nothing half-applied).
 */
public interface BudgetSink {

    /** The change set of one recommendation; {@code recommendationId} is the idempotency key. */
    record ChangeSet(long recommendationId, String portfolio, LocalDate effectiveOn, String appliedBy,
                     List<Change> changes) {
    }

    record Change(String channel, BigDecimal before, BigDecimal after) {
    }

    /** Where a portfolio's changes are sent: its webhook URL and signing secret (both null without one). */
    record Destination(String url, String secret) {
    }

    /** Delivers the change set; throws {@link SinkException} when it could not, after any retries. */
    void deliver(ChangeSet changes, Destination to);

    class SinkException extends RuntimeException {
        public SinkException(String message) {
            super(message);
        }
    }
}
