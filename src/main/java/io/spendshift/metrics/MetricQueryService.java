package io.spendshift.metrics;

import io.spendshift.common.SqlValues;
import io.spendshift.common.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.time.LocalDate;

/** Reads stored metrics of a portfolio, by channel and date range. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class MetricQueryService {

    private final EntityManager em;

    MetricQueryService(EntityManager em) {
        this.em = em;
    }

    public Page<MetricRow> find(String portfolioKey, String channel, LocalDate from, LocalDate to, int page, int size) {
        return ChannelDayPage.find(em, "metric", "mdate", "c.ckey, t.mdate, t.spend,"
                        + " t.impressions, t.clicks, t.conversions, t.revenue, t.new_customers, t.ltv",
                MetricQueryService::row, portfolioKey, channel, from, to, page, size);
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
