package io.spendshift.recommendation.sink;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;

/** The {@code budget_change} table: one row per channel whose budget an applied plan changed. */
@ApplicationScoped
public class BudgetChangeStore {

    private final EntityManager em;

    BudgetChangeStore(EntityManager em) {
        this.em = em;
    }

    /** Records one change, in the caller's transaction; the channel is named by its portfolio's and its own key. */
    public void insert(String portfolio, String channel, long recommendationId, LocalDate effectiveOn, BigDecimal before,
                       BigDecimal after, Instant changedAt, String changedBy) {
        int rows = em.createNativeQuery("INSERT INTO budget_change (channel_id, recommendation_id, effective_on,"
                        + " budget_before, budget_after, changed_at, changed_by)"
                        + " SELECT c.id, ?1, ?2, ?3, ?4, ?5, ?6 FROM channel c JOIN portfolio p ON p.id = c.portfolio_id"
                        + " WHERE p.pkey = ?7 AND c.ckey = ?8")
                .setParameter(1, recommendationId).setParameter(2, effectiveOn).setParameter(3, before)
                .setParameter(4, after).setParameter(5, Timestamp.from(changedAt)).setParameter(6, changedBy)
                .setParameter(7, portfolio).setParameter(8, channel).executeUpdate();
        if (rows != 1) {
            throw new IllegalStateException("no channel " + portfolio + "/" + channel + " to record a budget change of");
        }
    }
}
