package io.spendshift.cycle;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * "At most one run per portfolio at a time, whatever the number of service instances": a row in
 * {@code run_lock}, inserted in its own committed transaction (the primary key makes a second insert fail on
 * any instance) and deleted when the run ends. A lock older than the stale timeout belongs to a dead
 * instance and is taken over.
 */
@ApplicationScoped
public class RunLock {

    /** This process, as lock owner. */
    static final String INSTANCE = hostname() + "/" + UUID.randomUUID().toString().substring(0, 8);

    private final EntityManager em;
    private final Clock clock;
    private final Duration stale;

    RunLock(EntityManager em, Clock clock, io.spendshift.SpendshiftConfig config) {
        this.em = em;
        this.clock = clock;
        this.stale = config.runs().staleLockAfter();
    }

    /** True when this caller now holds the portfolio's lock. */
    public boolean acquire(long portfolioId) {
        Timestamp now = Timestamp.from(clock.instant());
        try {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                            "INSERT INTO run_lock (portfolio_id, locked_at, locked_by) VALUES (?1, ?2, ?3)")
                    .setParameter(1, portfolioId).setParameter(2, now).setParameter(3, INSTANCE).executeUpdate());
            return true;
        } catch (RuntimeException held) {
            Timestamp cutoff = Timestamp.from(clock.instant().minus(stale));
            int taken = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                            "UPDATE run_lock SET locked_at = ?1, locked_by = ?2 WHERE portfolio_id = ?3 AND locked_at < ?4")
                    .setParameter(1, now).setParameter(2, INSTANCE).setParameter(3, portfolioId)
                    .setParameter(4, cutoff).executeUpdate());
            return taken == 1;
        }
    }

    public void release(long portfolioId) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "DELETE FROM run_lock WHERE portfolio_id = ?1").setParameter(1, portfolioId).executeUpdate());
    }

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown-host";
        }
    }
}
