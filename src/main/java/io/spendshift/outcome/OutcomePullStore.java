package io.spendshift.outcome;

import io.spendshift.common.SqlValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code outcome_pull} table: each portfolio's last warehouse pull of outcomes. The scheduled poll claims a
 * due pull with one conditional UPDATE, so several replicas polling at once pull once. In the caller's transaction.
 */
@ApplicationScoped
class OutcomePullStore {

    record Status(Instant lastAttempt, Instant lastSuccess, String lastError, long rows) {
    }

    private final EntityManager em;

    OutcomePullStore(EntityManager em) {
        this.em = em;
    }

    Optional<Status> find(long portfolioId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT last_attempt, last_success, last_error, rows_ingested"
                + " FROM outcome_pull WHERE portfolio_id = ?1").setParameter(1, portfolioId).getResultList();
        return rows.stream().findFirst().map(r -> new Status(SqlValues.instant(r[0]), SqlValues.instant(r[1]),
                (String) r[2], ((Number) r[3]).longValue()));
    }

    /**
     * Takes the pull for this instance when the last attempt is not after {@code dueBefore} (or there is none);
     * answers whether it did. A replica inserting the first row at the same time makes the INSERT fail: the
     * caller counts that as not taken.
     */
    boolean claim(long portfolioId, Instant now, Instant dueBefore) {
        int n = em.createNativeQuery("UPDATE outcome_pull SET last_attempt = ?1 WHERE portfolio_id = ?2"
                        + " AND (last_attempt IS NULL OR last_attempt <= ?3)")
                .setParameter(1, Timestamp.from(now)).setParameter(2, portfolioId)
                .setParameter(3, Timestamp.from(dueBefore)).executeUpdate();
        if (n > 0) {
            return true;
        }
        if (find(portfolioId).isPresent()) {
            return false;
        }
        insert(portfolioId, now);
        return true;
    }

    /** Records the start of a pull asked for by hand (always taken). */
    void attempt(long portfolioId, Instant now) {
        int n = em.createNativeQuery("UPDATE outcome_pull SET last_attempt = ?1 WHERE portfolio_id = ?2")
                .setParameter(1, Timestamp.from(now)).setParameter(2, portfolioId).executeUpdate();
        if (n == 0) {
            insert(portfolioId, now);
        }
    }

    /** Records how the pull started at {@code attempt} ended: its error (null: success) and the rows it stored. */
    void record(long portfolioId, Instant attempt, String error, long rows) {
        if (error == null) {
            em.createNativeQuery("UPDATE outcome_pull SET last_error = NULL, rows_ingested = ?1, last_success = ?2"
                            + " WHERE portfolio_id = ?3")
                    .setParameter(1, rows).setParameter(2, Timestamp.from(attempt)).setParameter(3, portfolioId)
                    .executeUpdate();
        } else {
            em.createNativeQuery("UPDATE outcome_pull SET last_error = ?1, rows_ingested = 0 WHERE portfolio_id = ?2")
                    .setParameter(1, error).setParameter(2, portfolioId).executeUpdate();
        }
    }

    private void insert(long portfolioId, Instant now) {
        em.createNativeQuery("INSERT INTO outcome_pull (portfolio_id, last_attempt, rows_ingested) VALUES (?1, ?2, 0)")
                .setParameter(1, portfolioId).setParameter(2, Timestamp.from(now)).executeUpdate();
    }
}
