package io.spendshift.outcome;

import io.spendshift.metrics.ChannelDayPage;
import io.spendshift.common.Page;
import io.spendshift.common.SqlValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;

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
        return ChannelDayPage.find(em, "outcome", "odate", "c.ckey, t.odate, t.new_customers, t.ltv, t.cohort_value,"
                        + " t.reported_at", r -> new OutcomeRow((String) r[0], SqlValues.date(r[1]),
                        ((BigDecimal) r[2]).stripTrailingZeros(), money((BigDecimal) r[3]), money((BigDecimal) r[4]),
                        SqlValues.instant(r[5])), portfolioKey, channel, from, to, page, size, newestFirst);
    }

    private static BigDecimal money(BigDecimal b) {
        return b == null ? null : b.setScale(2, RoundingMode.HALF_EVEN);
    }
}
