package io.spendshift.run;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;

/**
 * "At most one run per portfolio at a time, whatever the number of service instances": a row in
 * {@code run_lock}, inserted in its own committed transaction (the primary key makes a second insert fail on
 * any instance) and deleted when the run ends. A lock older than the stale timeout belongs to a dead
 * instance and is taken over.
 */
@ApplicationScoped
public class RunLock {

    private final EntityManager em;
    private final Instances instances;
    private final Clock clock;
    private final Duration stale;

    RunLock(EntityManager em, Instances instances, Clock clock, io.spendshift.SpendshiftConfig config) {
        this.em = em;
        this.instances = instances;
        this.clock = clock;
        this.stale = config.runs().staleLockAfter();
    }

    /** True when this caller now holds the portfolio's lock. */
    public boolean acquire(long portfolioId) {
        if (insert(portfolioId)) {
            return true;
        }
        // held: if its holder is a dead instance, close what it left and try once more
        instances.reap();
        if (insert(portfolioId)) {
            return true;
        }
        Timestamp now = Timestamp.from(clock.instant());
        Timestamp cutoff = Timestamp.from(clock.instant().minus(stale));
        int taken = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "UPDATE run_lock SET locked_at = ?1, locked_by = ?2 WHERE portfolio_id = ?3 AND locked_at < ?4")
                .setParameter(1, now).setParameter(2, instances.id()).setParameter(3, portfolioId)
                .setParameter(4, cutoff).executeUpdate());
        return taken == 1;
    }

    private boolean insert(long portfolioId) {
        Timestamp now = Timestamp.from(clock.instant());
        try {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                            "INSERT INTO run_lock (portfolio_id, locked_at, locked_by) VALUES (?1, ?2, ?3)")
                    .setParameter(1, portfolioId).setParameter(2, now).setParameter(3, instances.id()).executeUpdate());
            return true;
        } catch (RuntimeException held) {
            return false;
        }
    }

    public void release(long portfolioId) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "DELETE FROM run_lock WHERE portfolio_id = ?1").setParameter(1, portfolioId).executeUpdate());
    }
}
