package io.spendshift.verification;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** The daily verification of applied plans ({@code spendshift.verification.cron}); the work is the service's. */
@ApplicationScoped
class VerificationJob {

    private final VerificationService verification;

    VerificationJob(VerificationService verification) {
        this.verification = verification;
    }

    @Scheduled(cron = "{spendshift.verification.cron}", identity = "verify-recommendations",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void verifyDaily() {
        verification.checkDue(null);
    }
}
