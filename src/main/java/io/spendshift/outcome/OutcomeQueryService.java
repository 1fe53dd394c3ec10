package io.spendshift.outcome;

import io.spendshift.common.InvalidInput;
import io.spendshift.common.NotFound;
import io.spendshift.common.Page;
import io.spendshift.common.SqlValues;
import io.spendshift.portfolio.Channel;
import io.spendshift.portfolio.Portfolio;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a portfolio's stored outcome rows, by channel and date range, a page at a time, oldest or newest first. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class OutcomeQueryService {

    private final EntityManager em;

    OutcomeQueryService(EntityManager em) {
        this.em = em;
    }

    public Page<OutcomeRow> find(String portfolioKey, String channel, LocalDate from, LocalDate to, int page, int size,
                                  boolean newestFirst) {
        Page.check(page, size);
        Portfolio p = Portfolio.require(portfolioKey);
        if (channel != null && Channel.byKey(p, channel).isEmpty()) {
            throw new NotFound("Channel", channel);
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw InvalidInput.of("from", "must not be after 'to'");
        }
        StringBuilder where = new StringBuilder(" FROM outcome o JOIN channel c ON c.id = o.channel_id"
                + " WHERE c.portfolio_id = :p");
        Map<String, Object> params = new HashMap<>();
        params.put("p", p.id);
        if (channel != null) {
            where.append(" AND c.ckey = :channel");
            params.put("channel", channel);
        }
        if (from != null) {
            where.append(" AND o.odate >= :from");
            params.put("from", from);
        }
        if (to != null) {
            where.append(" AND o.odate <= :to");
            params.put("to", to);
        }
        Query count = em.createNativeQuery("SELECT COUNT(*)" + where);
        Query select = em.createNativeQuery("SELECT c.ckey, o.odate, o.new_customers, o.ltv, o.cohort_value,"
                + " o.reported_at" + where + (newestFirst ? " ORDER BY o.odate DESC, c.ckey" : " ORDER BY o.odate, c.ckey"));
        params.forEach((k, v) -> {
            count.setParameter(k, v);
            select.setParameter(k, v);
        });
        long total = ((Number) count.getSingleResult()).longValue();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = select.setFirstResult(Page.offset(page, size)).setMaxResults(size).getResultList();
        List<OutcomeRow> items = rows.stream().map(r -> new OutcomeRow((String) r[0], SqlValues.date(r[1]),
                ((BigDecimal) r[2]).stripTrailingZeros(), money((BigDecimal) r[3]), money((BigDecimal) r[4]),
                SqlValues.instant(r[5]))).toList();
        return new Page<>(items, page, size, total);
    }

    private static BigDecimal money(BigDecimal b) {
        return b == null ? null : b.setScale(2, RoundingMode.HALF_EVEN);
    }
}
