package io.spendshift.connector;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** The scheduled drift check ({@code spendshift.connectors.drift-cron}); the work is the service's. */
@ApplicationScoped
class DriftJob {

    private final ConnectorService connectors;

    DriftJob(ConnectorService connectors) {
        this.connectors = connectors;
    }

    @Scheduled(cron = "{spendshift.connectors.drift-cron}", identity = "budget-drift",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkDrift() {
        connectors.checkDrift();
    }
}
