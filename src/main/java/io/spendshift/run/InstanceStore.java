package io.spendshift.run;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * The {@code service_instance} heartbeats, and the runs a lost instance left {@code RUNNING}. In the caller's
 * transaction.
 */
@ApplicationScoped
public class InstanceStore {

    /** A run still RUNNING, with what its FAILED audit entry needs. */
    record OpenRun(long id, String portfolio, String ruleSetVersion) {
    }

    private final EntityManager em;

    InstanceStore(EntityManager em) {
        this.em = em;
    }

    /** Writes the instance's heartbeat, creating its row on the first beat. */
    void beat(String id, Instant now) {
        Timestamp t = Timestamp.from(now);
        int updated = em.createNativeQuery("UPDATE service_instance SET seen_at = ?1 WHERE id = ?2")
                .setParameter(1, t).setParameter(2, id).executeUpdate();
        if (updated == 0) {
            em.createNativeQuery("INSERT INTO service_instance (id, started_at, seen_at) VALUES (?1, ?2, ?2)")
                    .setParameter(1, id).setParameter(2, t).executeUpdate();
        }
    }

    void delete(String id) {
        em.createNativeQuery("DELETE FROM service_instance WHERE id = ?1").setParameter(1, id).executeUpdate();
    }

    /** Other instances not heard of since {@code cutoff}. */
    @SuppressWarnings("unchecked")
    List<String> lostSince(Instant cutoff, String self) {
        return em.createNativeQuery("SELECT id FROM service_instance WHERE seen_at < ?1 AND id <> ?2")
                .setParameter(1, Timestamp.from(cutoff)).setParameter(2, self).getResultList();
    }

    /** The RUNNING runs of an instance, of one portfolio unless it is null. */
    List<OpenRun> running(String owner, Long portfolioId) {
        var query = em.createNativeQuery("SELECT r.id, p.pkey, r.rule_set_version FROM run r JOIN portfolio p ON p.id = r.portfolio_id"
                        + " WHERE r.status = 'RUNNING' AND r.instance_id = :owner"
                        + (portfolioId == null ? "" : " AND r.portfolio_id = :portfolio"))
                .setParameter("owner", owner);
        if (portfolioId != null) {
            query.setParameter("portfolio", portfolioId);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows.stream().map(r -> new OpenRun(((Number) r[0]).longValue(), (String) r[1], (String) r[2])).toList();
    }

    /** Ends a run FAILED if it is still RUNNING; true when this call ended it. */
    boolean fail(long runId, String error, Instant at) {
        return em.createNativeQuery("UPDATE run SET status = 'FAILED', error = ?1, finished_at = ?2 "
                        + "WHERE id = ?3 AND status = 'RUNNING'")
                .setParameter(1, error).setParameter(2, Timestamp.from(at)).setParameter(3, runId).executeUpdate() == 1;
    }
}
