package io.spendshift.cycle;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * Where applied budget changes go besides the internal ledger (a webhook, an ad platform). Delivery happens
 * before the budgets change in the database, so a sink that keeps failing leaves nothing half-applied.
 */
public interface BudgetSink {

    /** The change set of one recommendation; {@code recommendationId} is the idempotency key. */
    record ChangeSet(long recommendationId, String portfolio, LocalDate effectiveOn, String appliedBy,
                     List<Change> changes) {
    }

    record Change(String channel, BigDecimal before, BigDecimal after) {
    }

    /** Delivers the change set; throws {@link SinkException} when it could not, after any retries. */
    void deliver(ChangeSet changes, String url, String secret);

    class SinkException extends RuntimeException {
        public SinkException(String message) {
            super(message);
        }
    }
}
