package io.spendshift.recommendation.sink;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;

/**
 * The internal ledger: every applied or manual change, who made it and when it takes effect, in {@code budget_change}.
 * It writes in the caller's transaction, the one that changes the budgets, so the ledger and the budgets
 * commit together or not at all; it ignores the destination.
 */
@ApplicationScoped
@Identifier(LedgerBudgetSink.NAME)
public class LedgerBudgetSink implements BudgetSink {

    public static final String NAME = "ledger";

    private final BudgetChangeStore store;
    private final Clock clock;

    LedgerBudgetSink(BudgetChangeStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void deliver(ChangeSet changes, Destination to) {
        var now = clock.instant();
        for (Change c : changes.changes()) {
            store.insert(changes.portfolio(), c.channel(), changes.recommendationId(),
                    (changes.kind() == null ? Kind.PLAN : changes.kind()).name(), changes.effectiveOn(), c.before(),
                    c.after(), now, changes.appliedBy());
        }
    }
}
