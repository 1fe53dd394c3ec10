package io.spendshift.portfolio;

import io.spendshift.common.Keys;
import io.spendshift.common.NotFound;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * A portfolio's data version: bumped by every write that changes its facts (metrics, channels, policy, budgets)
 * and read by the facts cache of every instance. In the caller's transaction.
 */
@ApplicationScoped
public class PortfolioDataStore {

    /** What a portfolio's facts of a day depend on besides the rules: its time zone and data version. */
    public record DataStamp(ZoneId zone, long dataVersion) {
        public LocalDate today(Clock clock) {
            return LocalDate.now(clock.withZone(zone));
        }
    }

    private final EntityManager em;

    PortfolioDataStore(EntityManager em) {
        this.em = em;
    }

    /**
     * Marks the portfolio's facts as changed. Called first in the writing transaction, so writers of one
     * portfolio queue on its row.
     */
    public void dataChanged(long portfolioId) {
        em.createNativeQuery("UPDATE portfolio SET data_version = data_version + 1 WHERE id = ?1")
                .setParameter(1, portfolioId).executeUpdate();
    }

    /** The portfolio's data version as this transaction sees it (after its own {@link #dataChanged}). */
    public long dataVersion(long portfolioId) {
        return ((Number) em.createNativeQuery("SELECT data_version FROM portfolio WHERE id = ?1")
                .setParameter(1, portfolioId).getSingleResult()).longValue();
    }

    /** The data stamp of a portfolio in one small query (no entity loaded); {@link NotFound} when there is none. */
    public DataStamp dataStamp(String key) {
        if (!Keys.isSlug(key)) {
            throw new NotFound("Portfolio", key);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT time_zone, data_version FROM portfolio WHERE pkey = ?1")
                .setParameter(1, key).getResultList();
        if (rows.isEmpty()) {
            throw new NotFound("Portfolio", key);
        }
        return new DataStamp(ZoneId.of((String) rows.get(0)[0]), ((Number) rows.get(0)[1]).longValue());
    }
}
