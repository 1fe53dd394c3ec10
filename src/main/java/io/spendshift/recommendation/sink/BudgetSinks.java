package io.spendshift.recommendation.sink;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The one path every budget change takes, an applied plan's or a person's edit of a channel:
 * {@link #deliver} before the transaction that changes the budgets (the portfolio's webhook where one is set,
 * then every further sink), {@link #record} inside it (the ledger).
 *
 * <p>Extension point: a further sink (an ad platform's) is an {@code @ApplicationScoped} bean implementing
 * {@link BudgetSink} with an {@code @Identifier("<name>")} other than {@code ledger} and {@code webhook}. It is
 * called for every change set after the webhook, outside any transaction, in the order of its name, with the
 * portfolio's {@link BudgetSink.Destination} (which it may ignore); each {@link BudgetSink.Change} carries the
 * channel's {@code target}. Throwing {@link BudgetSink.SinkException} fails the plan ({@code FAILED}, budgets
 * unchanged) or refuses the edit (502, or 503 when {@code temporary}); sinks called before it are not undone.
 */
@ApplicationScoped
public class BudgetSinks {

    private final BudgetSink webhook;
    private final BudgetSink ledger;
    private final List<Named> further;

    private record Named(String name, BudgetSink sink) {
    }

    BudgetSinks(@Identifier(WebhookBudgetSink.NAME) BudgetSink webhook, @Identifier(LedgerBudgetSink.NAME) BudgetSink ledger,
                @Any Instance<BudgetSink> all) {
        this.webhook = webhook;
        this.ledger = ledger;
        List<Named> others = new ArrayList<>();
        for (Instance.Handle<BudgetSink> h : all.handles()) {
            String name = identifier(h.getBean().getQualifiers());
            if (!WebhookBudgetSink.NAME.equals(name) && !LedgerBudgetSink.NAME.equals(name)) {
                others.add(new Named(name == null ? h.getBean().getBeanClass().getName() : name, h.get()));
            }
        }
        others.sort(Comparator.comparing(Named::name));
        this.further = List.copyOf(others);
    }

    private static String identifier(java.util.Set<Annotation> qualifiers) {
        for (Annotation a : qualifiers) {
            if (a instanceof Identifier id) {
                return id.value();
            }
        }
        return null;
    }

    /** The names of the further sinks, in the order they are called. */
    public List<String> furtherSinks() {
        return further.stream().map(Named::name).toList();
    }

    /**
     * Delivers the change set to the webhook (where {@code to} has one) and every further sink; outside any
     * transaction. Throws {@link BudgetSink.SinkException} at the first sink that could not take it.
     */
    public void deliver(BudgetSink.ChangeSet changes, BudgetSink.Destination to) {
        if (to.url() != null) {
            webhook.deliver(changes, to);
        }
        for (Named s : further) {
            try {
                s.sink().deliver(changes, to);
            } catch (BudgetSink.SinkException e) {
                throw e;
            } catch (RuntimeException e) {
                // a sink's own exception text may quote its configuration: only the kind of failure is kept
                throw new BudgetSink.SinkException("the " + s.name() + " sink failed (" + e.getClass().getSimpleName()
                        + ")", true);
            }
        }
    }

    /** Writes the change set to the ledger, in the caller's transaction (the one that changes the budgets). */
    public void record(BudgetSink.ChangeSet changes) {
        ledger.deliver(changes, new BudgetSink.Destination(null, null));
    }
}
