package io.spendshift.facts;

import io.spendshift.common.SqlValues;
import io.spendshift.policy.DailyPerformance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The metric rows the facts of a portfolio need, read in one query. In the caller's transaction. */
@ApplicationScoped
public class MetricHistoryStore {

    private final EntityManager em;

    MetricHistoryStore(EntityManager em) {
        this.em = em;
    }

    /** The daily performance of every channel of the portfolio on {@code [from, to)}, by channel id. */
    public Map<Long, List<DailyPerformance>> history(long portfolioId, LocalDate from, LocalDate to) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT m.channel_id, m.mdate, m.spend, m.conversions, m.revenue,"
                        + " m.new_customers, m.ltv FROM metric m JOIN channel c ON c.id = m.channel_id"
                        + " WHERE c.portfolio_id = ?1 AND m.mdate >= ?2 AND m.mdate < ?3")
                .setParameter(1, portfolioId).setParameter(2, from).setParameter(3, to).getResultList();
        Map<Long, List<DailyPerformance>> out = new HashMap<>();
        for (Object[] r : rows) {
            LocalDate d = SqlValues.date(r[1]);
            out.computeIfAbsent(((Number) r[0]).longValue(), k -> new ArrayList<>()).add(new DailyPerformance(d,
                    (BigDecimal) r[2], ((Number) r[3]).longValue(), (BigDecimal) r[4], ((Number) r[5]).longValue(),
                    (BigDecimal) r[6]));
        }
        return out;
    }

    /** The portfolio's total spend (all channels) on {@code [from, to)}. */
    public BigDecimal spend(long portfolioId, LocalDate from, LocalDate to) {
        Object sum = em.createNativeQuery("SELECT SUM(m.spend) FROM metric m JOIN channel c ON c.id = m.channel_id"
                        + " WHERE c.portfolio_id = ?1 AND m.mdate >= ?2 AND m.mdate < ?3")
                .setParameter(1, portfolioId).setParameter(2, from).setParameter(3, to).getSingleResult();
        return sum == null ? BigDecimal.ZERO : new BigDecimal(sum.toString());
    }
}
