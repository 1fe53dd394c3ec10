package io.spendshift.run;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Instant;

/** The {@code run_lock} table: one row per portfolio whose cycle runs somewhere. In the caller's transaction. */
@ApplicationScoped
public class RunLockStore {

    private final EntityManager em;

    RunLockStore(EntityManager em) {
        this.em = em;
    }

    /** Inserts the portfolio's lock; the primary key makes it fail when the lock is held. */
    void insert(long portfolioId, Instant at, String holder) {
        em.createNativeQuery("INSERT INTO run_lock (portfolio_id, locked_at, locked_by) VALUES (?1, ?2, ?3)")
                .setParameter(1, portfolioId).setParameter(2, Timestamp.from(at)).setParameter(3, holder).executeUpdate();
    }

    /** Takes over a lock taken before {@code staleBefore}; true when it did. */
    boolean takeOverStale(long portfolioId, Instant at, String holder, Instant staleBefore) {
        return em.createNativeQuery(
                        "UPDATE run_lock SET locked_at = ?1, locked_by = ?2 WHERE portfolio_id = ?3 AND locked_at < ?4")
                .setParameter(1, Timestamp.from(at)).setParameter(2, holder).setParameter(3, portfolioId)
                .setParameter(4, Timestamp.from(staleBefore)).executeUpdate() == 1;
    }

    void delete(long portfolioId) {
        em.createNativeQuery("DELETE FROM run_lock WHERE portfolio_id = ?1").setParameter(1, portfolioId).executeUpdate();
    }

    /** Deletes the portfolio's lock if {@code holder} holds it. */
    void delete(long portfolioId, String holder) {
        em.createNativeQuery("DELETE FROM run_lock WHERE portfolio_id = ?1 AND locked_by = ?2")
                .setParameter(1, portfolioId).setParameter(2, holder).executeUpdate();
    }

    /** Deletes every lock {@code holder} holds; returns how many. */
    int deleteAllOf(String holder) {
        return em.createNativeQuery("DELETE FROM run_lock WHERE locked_by = ?1").setParameter(1, holder).executeUpdate();
    }
}
