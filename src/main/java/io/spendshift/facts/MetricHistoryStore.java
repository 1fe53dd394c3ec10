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
        // where the team's customer feed has the channel-day, its new customers and LTV replace the metric row's
        List<Object[]> rows = em.createNativeQuery("SELECT m.channel_id, m.mdate, m.spend, m.conversions, m.revenue,"
                        + " m.new_customers, m.ltv, o.new_customers, o.ltv FROM metric m"
                        + " JOIN channel c ON c.id = m.channel_id"
                        + " LEFT JOIN outcome o ON o.channel_id = m.channel_id AND o.odate = m.mdate"
                        + " WHERE c.portfolio_id = ?1 AND m.mdate >= ?2 AND m.mdate < ?3")
                .setParameter(1, portfolioId).setParameter(2, from).setParameter(3, to).getResultList();
        Map<Long, List<DailyPerformance>> out = new HashMap<>();
        for (Object[] r : rows) {
            LocalDate d = SqlValues.date(r[1]);
            DailyPerformance day;
            if (r[7] != null) {
                day = new DailyPerformance(d, (BigDecimal) r[2], ((Number) r[3]).doubleValue(), (BigDecimal) r[4],
                        ((Number) r[7]).doubleValue(), (BigDecimal) r[8], DailyPerformance.ValueSource.OUTCOMES);
            } else {
                day = new DailyPerformance(d, (BigDecimal) r[2], ((Number) r[3]).doubleValue(), (BigDecimal) r[4],
                        r[5] == null ? null : ((Number) r[5]).doubleValue(), (BigDecimal) r[6]);
            }
            out.computeIfAbsent(((Number) r[0]).longValue(), k -> new ArrayList<>()).add(day);
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
