package io.spendshift.recommendation.sink;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * Where budget changes go, whether an applied plan's or a person's edit of a channel: the internal ledger
 * ({@link LedgerBudgetSink}, always, in the transaction that changes the budgets), the portfolio's webhook
 * ({@link WebhookBudgetSink}, where one is configured) and any further sink (an ad platform's), both before
 * that transaction, so a sink that keeps failing leaves nothing half-applied. {@link BudgetSinks} calls them
 * in that order; a further sink is any CDI bean implementing this interface (see {@link BudgetSinks}).
 */
public interface BudgetSink {

    /** Where a change set comes from. */
    enum Kind { PLAN, REVERT, MANUAL }

    /**
     * The change set of one recommendation (or of one manual edit). {@code recommendationId} is null for a manual
     * edit; {@code idempotencyKey} is the same for every attempt of one delivery (the recommendation id for plans,
     * {@code manual-<uuid>} for edits). {@code reason}: the plan's shift reasons, {@code revert of #<id>} or
     * {@code manual edit by <actor>}.
     */
    record ChangeSet(Long recommendationId, String portfolio, LocalDate effectiveOn, String appliedBy,
                     List<Change> changes, String currency, Kind kind, String reason, Long revertOf,
                     String idempotencyKey) {
    }

    /** One channel's new daily budget; {@code target} is where it lives on an ad platform (null when not set). */
    record Change(String channel, BigDecimal before, BigDecimal after, String name, Target target, String reason) {

        public Change(String channel, BigDecimal before, BigDecimal after) {
            this(channel, before, after, null, null, null);
        }
    }

    /** A channel's place on an ad platform: the connector, the account (digits) and the campaign ids. */
    record Target(String connector, String account, List<String> campaigns) {
    }

    /** Where a portfolio's changes are sent: its webhook URL and signing secret (both null without one). */
    record Destination(String url, String secret) {

        @Override
        public String toString() {
            return "Destination[url " + (url == null ? "none" : "set") + ", secret " + (secret == null ? "none" : "set")
                    + "]";
        }
    }

    /** Delivers the change set; throws {@link SinkException} when it could not, after any retries. */
    void deliver(ChangeSet changes, Destination to);

    /**
     * A sink that could not take the change set. {@code temporary}: it did not answer in time, kept answering
     * 408/429/5xx or its circuit is open (worth trying again later); otherwise it refused (a 4xx answer, a
     * forbidden destination). The message names a status or a classification only, never a URL or a secret.
     */
    class SinkException extends RuntimeException {

        private final boolean temporary;

        public SinkException(String message) {
            this(message, false);
        }

        public SinkException(String message, boolean temporary) {
            super(message);
            this.temporary = temporary;
        }

        public boolean temporary() {
            return temporary;
        }
    }
}
