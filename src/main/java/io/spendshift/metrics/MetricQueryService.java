package io.spendshift.metrics;

import io.spendshift.common.InvalidInput;
import io.spendshift.common.NotFound;
import io.spendshift.common.SqlValues;
import io.spendshift.common.Page;
import io.spendshift.portfolio.Channel;
import io.spendshift.portfolio.Portfolio;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads stored metrics of a portfolio, by channel and date range. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class MetricQueryService {

    private final EntityManager em;

    MetricQueryService(EntityManager em) {
        this.em = em;
    }

    public Page<MetricRow> find(String portfolioKey, String channel, LocalDate from, LocalDate to, int page, int size) {
        Page.check(page, size);
        Portfolio p = Portfolio.require(portfolioKey);
        if (channel != null && Channel.byKey(p, channel).isEmpty()) {
            throw new NotFound("Channel", channel);
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw InvalidInput.of("from", "must not be after 'to'");
        }
        StringBuilder where = new StringBuilder(" FROM metric m JOIN channel c ON c.id = m.channel_id WHERE c.portfolio_id = :p");
        Map<String, Object> params = new HashMap<>();
        params.put("p", p.id);
        if (channel != null) {
            where.append(" AND c.ckey = :channel");
            params.put("channel", channel);
        }
        if (from != null) {
            where.append(" AND m.mdate >= :from");
            params.put("from", from);
        }
        if (to != null) {
            where.append(" AND m.mdate <= :to");
            params.put("to", to);
        }
        Query count = em.createNativeQuery("SELECT COUNT(*)" + where);
        Query select = em.createNativeQuery("SELECT c.ckey, m.mdate, m.spend, m.impressions, m.clicks, m.conversions,"
                + " m.revenue, m.new_customers, m.ltv" + where + " ORDER BY m.mdate, c.ckey");
        params.forEach((k, v) -> {
            count.setParameter(k, v);
            select.setParameter(k, v);
        });
        long total = ((Number) count.getSingleResult()).longValue();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = select.setFirstResult(Page.offset(page, size)).setMaxResults(size).getResultList();
        return new Page<>(rows.stream().map(MetricQueryService::row).toList(), page, size, total);
    }

    private static MetricRow row(Object[] r) {
        return new MetricRow((String) r[0], SqlValues.date(r[1]), money(r[2]), ((Number) r[3]).longValue(),
                ((Number) r[4]).longValue(), count(r[5]), money(r[6]), count(r[7]), money(r[8]));
    }

    /** A stored count as entered: 12 rather than 12.000000, 7.42 rather than 7.420000. */
    private static BigDecimal count(Object o) {
        if (o == null) {
            return null;
        }
        BigDecimal b = o instanceof BigDecimal d ? d : new BigDecimal(o.toString());
        b = b.stripTrailingZeros();
        return b.scale() < 0 ? b.setScale(0) : b;
    }


    private static BigDecimal money(Object o) {
        return o == null ? null : io.spendshift.common.Money.cents((BigDecimal) o);
    }
}
