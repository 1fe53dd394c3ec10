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
import org.jboss.logging.Logger;

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

    private final InstanceStore store;
    private final RunLockStore locks;
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

    Instances(InstanceStore store, RunLockStore locks, Clock clock, AuditService audit, SpendshiftConfig config) {
        this.store = store;
        this.locks = locks;
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
            QuarkusTransaction.requiringNew().run(() -> store.delete(id));
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
        var now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> store.beat(id, now));
    }

    /**
     * Closes the runs and locks of dead instances and this instance's own orphans. Called on every heartbeat and
     * before a cycle takes over a held lock.
     */
    public void reap() {
        reapOwn();
        var cutoff = clock.instant().minus(lostAfter);
        QuarkusTransaction.requiringNew().run(() -> {
            for (String dead : store.lostSince(cutoff, id)) {
                close(dead, null, "interrupted: instance " + dead + " stopped during the run (no heartbeat for "
                        + lostAfter.toSeconds() + " s); none of its result was recorded");
                int released = locks.deleteAllOf(dead);
                store.delete(dead);
                LOG.warnf("Instance %s is gone (no heartbeat for %s); %d run lock(s) released", dead, lostAfter, released);
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
                    locks.delete(key, id);
                });
                unrecorded.remove(key);
                return null;
            });
        }
    }

    /** Ends the RUNNING runs of an instance (of one portfolio, unless null) as FAILED, audited. */
    private void close(String owner, Long portfolioId, String error) {
        var now = clock.instant();
        for (InstanceStore.OpenRun r : store.running(owner, portfolioId)) {
            if (store.fail(r.id(), error, now)) {
                audit.append(new AuditService.Event(io.spendshift.security.Actors.SYSTEM, AuditAction.RUN_FAILED, "run",
                        Long.toString(r.id()), r.portfolio(), r.ruleSetVersion(), Map.of("error", error)));
                LOG.warnf("Run %d of %s closed as FAILED: %s", r.id(), r.portfolio(), error);
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
