package io.spendshift.run;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.spendshift.SpendshiftConfig;
import io.spendshift.audit.AuditAction;
import io.spendshift.audit.AuditService;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live service instances sharing the database, and the clean-up of what a dead one left behind.
 * <p>
 * Every instance writes a heartbeat row. On each beat it also closes:
 * <ul>
 *   <li>runs still RUNNING whose instance has not been heard of for {@code instanceLostAfter} (it died
 *       mid-cycle): they end FAILED, their run locks are released and the instance row is removed;</li>
 *   <li>its own runs and locks that no cycle of this process holds any more (the database went away while
 *       the run was ending, so its FAILED could not be written then).</li>
 * </ul>
 * A cycle writes its result in one transaction, so a closed run never has half a recommendation.
 * The heartbeat runs on every instance (a plain timer, not a clustered Quartz job, which would fire on one).
 */
@ApplicationScoped
public class Instances {

    private static final Logger LOG = Logger.getLogger(Instances.class);

    private final EntityManager em;
    private final Clock clock;
    private final AuditService audit;
    private final String id;
    private final Duration heartbeat;
    private final Duration lostAfter;
    /** Portfolios whose cycle this process is running; and those whose failure could not be recorded, with the reason. */
    private final Map<Long, Integer> inFlight = new ConcurrentHashMap<>();
    private final Map<Long, String> unrecorded = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;
    private volatile boolean databaseDown;

    Instances(EntityManager em, Clock clock, AuditService audit, SpendshiftConfig config) {
        this.em = em;
        this.clock = clock;
        this.audit = audit;
        this.id = config.runs().instanceId().orElseGet(() -> hostname() + "/" + UUID.randomUUID().toString().substring(0, 8));
        this.heartbeat = config.runs().heartbeat();
        this.lostAfter = config.runs().instanceLostAfter();
        if (lostAfter.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new IllegalStateException("spendshift.runs.instance-lost-after (" + lostAfter
                    + ") must be at least two heartbeats (" + heartbeat + ")");
        }
    }

    /** This instance's name, as written in runs, locks and heartbeats. */
    public String id() {
        return id;
    }

    void onStart(@Observes @Priority(20) StartupEvent ev) {
        beat();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spendshift-heartbeat");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof("Instance %s started (heartbeat %s, lost after %s)", id, heartbeat, lostAfter);
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (timer != null) {
            timer.shutdownNow();
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("DELETE FROM service_instance WHERE id = ?1")
                    .setParameter(1, id).executeUpdate());
        } catch (RuntimeException e) {
            LOG.warnf("Instance %s could not sign off: %s", id, e.getMessage());
        }
    }

    /** Marks the start of this process's cycle of a portfolio (before its lock is taken). */
    void enter(long portfolioId) {
        inFlight.merge(portfolioId, 1, Integer::sum);
    }

    /** Marks the end of this process's cycle of a portfolio; {@code unrecordedFailure} when its FAILED could not be written. */
    void leave(long portfolioId, String unrecordedFailure) {
        inFlight.computeIfPresent(portfolioId, (k, n) -> n == 1 ? null : n - 1);
        if (unrecordedFailure != null) {
            unrecorded.put(portfolioId, unrecordedFailure);
        }
    }

    private void tick() {
        try {
            beat();
            reap();
            if (databaseDown) {
                LOG.infof("Instance %s reaches the database again", id);
                databaseDown = false;
            }
        } catch (RuntimeException e) {
            if (!databaseDown) {
                LOG.warnf("Instance %s cannot write its heartbeat: %s", id, e.getMessage());
                databaseDown = true;
            }
        }
    }

    private void beat() {
        Timestamp now = Timestamp.from(clock.instant());
        QuarkusTransaction.requiringNew().run(() -> {
            int updated = em.createNativeQuery("UPDATE service_instance SET seen_at = ?1 WHERE id = ?2")
                    .setParameter(1, now).setParameter(2, id).executeUpdate();
            if (updated == 0) {
                em.createNativeQuery("INSERT INTO service_instance (id, started_at, seen_at) VALUES (?1, ?2, ?2)")
                        .setParameter(1, id).setParameter(2, now).executeUpdate();
            }
        });
    }

    /**
     * Closes the runs and locks of dead instances and this instance's own orphans. Called on every heartbeat and
     * before a cycle takes over a held lock.
     */
    public void reap() {
        reapOwn();
        Timestamp cutoff = Timestamp.from(clock.instant().minus(lostAfter));
        QuarkusTransaction.requiringNew().run(() -> {
            @SuppressWarnings("unchecked")
            List<String> lost = em.createNativeQuery("SELECT id FROM service_instance WHERE seen_at < ?1 AND id <> ?2")
                    .setParameter(1, cutoff).setParameter(2, id).getResultList();
            for (String dead : lost) {
                close(dead, null, "interrupted: instance " + dead + " stopped during the run (no heartbeat for "
                        + lostAfter.toSeconds() + " s); none of its result was recorded");
                int locks = em.createNativeQuery("DELETE FROM run_lock WHERE locked_by = ?1")
                        .setParameter(1, dead).executeUpdate();
                em.createNativeQuery("DELETE FROM service_instance WHERE id = ?1").setParameter(1, dead).executeUpdate();
                LOG.warnf("Instance %s is gone (no heartbeat for %s); %d run lock(s) released", dead, lostAfter, locks);
            }
        });
    }

    /**
     * This instance's cycles whose end could not be written (the database was away): their runs end FAILED
     * with the reason and their locks are released, unless a new cycle of the portfolio has started since.
     */
    private void reapOwn() {
        for (Long portfolioId : List.copyOf(unrecorded.keySet())) {
            inFlight.compute(portfolioId, (key, running) -> {
                if (running != null) {
                    return running;
                }
                String reason = unrecorded.get(key);
                QuarkusTransaction.requiringNew().run(() -> {
                    close(id, key, "interrupted: " + reason);
                    em.createNativeQuery("DELETE FROM run_lock WHERE portfolio_id = ?1 AND locked_by = ?2")
                            .setParameter(1, key).setParameter(2, id).executeUpdate();
                });
                unrecorded.remove(key);
                return null;
            });
        }
    }

    /** Ends the RUNNING runs of an instance (of one portfolio, unless null) as FAILED, audited. */
    private void close(String owner, Long portfolioId, String error) {
        var query = em.createNativeQuery("SELECT r.id, p.pkey, r.rule_set_version FROM run r JOIN portfolio p ON p.id = r.portfolio_id"
                        + " WHERE r.status = 'RUNNING' AND r.instance_id = :owner"
                        + (portfolioId == null ? "" : " AND r.portfolio_id = :portfolio"))
                .setParameter("owner", owner);
        if (portfolioId != null) {
            query.setParameter("portfolio", portfolioId);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        Timestamp now = Timestamp.from(clock.instant());
        for (Object[] r : rows) {
            long run = ((Number) r[0]).longValue();
            int updated = em.createNativeQuery("UPDATE run SET status = 'FAILED', error = ?1, finished_at = ?2 "
                            + "WHERE id = ?3 AND status = 'RUNNING'")
                    .setParameter(1, error).setParameter(2, now).setParameter(3, run).executeUpdate();
            if (updated == 1) {
                audit.append(new AuditService.Event(io.spendshift.security.Actors.SYSTEM, AuditAction.RUN_FAILED, "run", Long.toString(run),
                        (String) r[1], (String) r[2], Map.of("error", error)));
                LOG.warnf("Run %d of %s closed as FAILED: %s", run, r[1], error);
            }
        }
    }

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown-host";
        }
    }
}
