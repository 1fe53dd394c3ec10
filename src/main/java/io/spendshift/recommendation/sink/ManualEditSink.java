package io.spendshift.recommendation.sink;

import io.spendshift.common.ProblemException;
import io.spendshift.portfolio.BudgetEditSink;
import io.spendshift.portfolio.Portfolio;
import io.spendshift.portfolio.PortfolioDtos;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A manual edit of a channel's daily budget as a change set ({@code kind: MANUAL}, no recommendation, idempotency
 * key {@code manual-<uuid>}), delivered through {@link BudgetSinks} like an applied plan. A sink that refuses it
 * answers 502, one that could not be reached (retries exhausted, circuit open) 503; either way nothing is stored.
 */
@ApplicationScoped
public class ManualEditSink implements BudgetEditSink {

    private final BudgetSinks sinks;

    ManualEditSink(BudgetSinks sinks) {
        this.sinks = sinks;
    }

    record Edit(BudgetSink.ChangeSet changes, BudgetSink.Destination to) implements Prepared {
    }

    @Override
    public Prepared prepare(Portfolio p, String channel, String name, PortfolioDtos.ChannelTarget target,
                            BigDecimal before, BigDecimal after, LocalDate effectiveOn, String actor) {
        String reason = BudgetEditSink.reason(actor);
        BudgetSink.Target t = target == null ? null : new BudgetSink.Target(target.connector(), target.account(),
                target.campaigns() == null ? List.of() : List.copyOf(target.campaigns()));
        var change = new BudgetSink.Change(channel, before, after, name, t, reason);
        var cs = new BudgetSink.ChangeSet(null, p.key, effectiveOn, actor, List.of(change), p.currency,
                BudgetSink.Kind.MANUAL, reason, null, "manual-" + UUID.randomUUID());
        return new Edit(cs, new BudgetSink.Destination(p.webhookUrl, p.webhookSecret));
    }

    @Override
    public void deliver(Prepared edit) {
        Edit e = (Edit) edit;
        try {
            sinks.deliver(e.changes(), e.to());
        } catch (BudgetSink.SinkException ex) {
            int status = ex.temporary() ? 503 : 502;
            throw new ProblemException(status, ex.temporary() ? "Budget sink unavailable" : "Budget sink refused the change",
                    "The budget change was not stored: " + ex.getMessage(), null,
                    Map.of("idempotencyKey", e.changes().idempotencyKey()));
        }
    }

    @Override
    public void record(Prepared edit) {
        sinks.record(((Edit) edit).changes());
    }
}
