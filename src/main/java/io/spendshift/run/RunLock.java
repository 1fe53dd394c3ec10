package io.spendshift.run;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

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

    private final RunLockStore store;
    private final Instances instances;
    private final Clock clock;
    private final Duration stale;

    RunLock(RunLockStore store, Instances instances, Clock clock, io.spendshift.SpendshiftConfig config) {
        this.store = store;
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
        var now = clock.instant();
        return QuarkusTransaction.requiringNew().call(() -> store.takeOverStale(portfolioId, now, instances.id(),
                now.minus(stale)));
    }

    private boolean insert(long portfolioId) {
        var now = clock.instant();
        try {
            QuarkusTransaction.requiringNew().run(() -> store.insert(portfolioId, now, instances.id()));
            return true;
        } catch (RuntimeException held) {
            return false;
        }
    }

    public void release(long portfolioId) {
        QuarkusTransaction.requiringNew().run(() -> store.delete(portfolioId));
    }
}
