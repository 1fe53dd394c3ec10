package io.spendshift.recommendation.sink;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The {@code budget_change} table: one row per channel whose budget an applied plan or a manual edit changed
 * ({@code change_kind} PLAN, REVERT or MANUAL; a manual edit has no recommendation).
 */
@ApplicationScoped
public class BudgetChangeStore {

    private final EntityManager em;

    BudgetChangeStore(EntityManager em) {
        this.em = em;
    }

    /** Records one change, in the caller's transaction; the channel is named by its portfolio's and its own key. */
    public void insert(String portfolio, String channel, Long recommendationId, String kind, LocalDate effectiveOn,
                       BigDecimal before, BigDecimal after, Instant changedAt, String changedBy) {
        // a manual edit has no recommendation: NULL written as such, not a typeless null parameter
        var query = em.createNativeQuery("INSERT INTO budget_change (channel_id, recommendation_id, effective_on,"
                + " budget_before, budget_after, changed_at, changed_by, change_kind)"
                + " SELECT c.id, " + (recommendationId == null ? "NULL" : ":rec") + ", :on, :before, :after, :at, :by,"
                + " :kind FROM channel c JOIN portfolio p ON p.id = c.portfolio_id WHERE p.pkey = :p AND c.ckey = :c");
        if (recommendationId != null) {
            query.setParameter("rec", recommendationId);
        }
        int rows = query.setParameter("on", effectiveOn).setParameter("before", before).setParameter("after", after)
                .setParameter("at", Timestamp.from(changedAt)).setParameter("by", changedBy).setParameter("kind", kind)
                .setParameter("p", portfolio).setParameter("c", channel).executeUpdate();
        if (rows != 1) {
            throw new IllegalStateException("no channel " + portfolio + "/" + channel + " to record a budget change of");
        }
    }
}
