package io.spendshift.rules;

import io.spendshift.audit.AuditAction;
import io.spendshift.common.ProblemException;
import io.spendshift.rules.engine.RuleFile;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The limits on strategists' rule evaluations, without the service (audit left out). */
class CandidateGuardTest {

    private static final CandidateGuard.Subject SUBJECT = CandidateGuard.Subject.candidate(
            List.of(RuleFile.of("a.drl", "package a;")));

    @Test
    void workThatOverrunsTheLimitIsAnsweredOnlyOnceItHasEndedWithItsPermitBack() throws Exception {
        CandidateGuard guard = new CandidateGuard(Duration.ofMillis(200), 2, null);
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Thread> worker = new java.util.concurrent.atomic.AtomicReference<>();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> guard.evaluate(AuditAction.SIMULATION_RUN, "strategist", SUBJECT, () -> {
            worker.set(Thread.currentThread());
            // work outside a rule evaluation (a compile, say) that ignores its interrupt and ends 1 s later:
            // it is not stopped outright, and the caller hears of the overrun only once it has ended
            long interruptedAt = 0;
            while (interruptedAt == 0 || System.nanoTime() - interruptedAt < TimeUnit.SECONDS.toNanos(1)) {
                if (interruptedAt == 0 && Thread.interrupted()) {
                    interruptedAt = System.nanoTime();
                }
                Thread.onSpinWait();
            }
            finished.set(true);
            return "late";
        }, v -> Map.of())).isInstanceOfSatisfying(ProblemException.class, p -> {
            assertThat(p.status()).isEqualTo(422);
            assertThat(p.getMessage()).contains("did not finish within 200 ms").contains("spendshift.rules.eval-timeout");
            assertThat(p.extensions()).containsEntry("valid", false);
        });
        assertThat(finished).as("the work had ended when the 422 was answered").isTrue();
        assertThat(worker.get().isAlive()).as("the work's thread").isFalse();
        assertThat(guard.running()).as("its permit").isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(guard.evaluate(AuditAction.SIMULATION_RUN, "strategist", SUBJECT, () -> "ok", v -> Map.of()))
                .isEqualTo("ok");
    }

    @Test
    void moreThanTheAllowedConcurrentEvaluationsAnswer429() throws Exception {
        CandidateGuard guard = new CandidateGuard(Duration.ofSeconds(10), 2, null);
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<String>> busy = List.of(1, 2).stream().map(i -> CompletableFuture.supplyAsync(() ->
                guard.evaluate(AuditAction.RULES_VALIDATED, "strategist", SUBJECT, () -> {
                    started.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    return "done " + i;
                }, v -> Map.of()))).toList();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> guard.evaluate(AuditAction.RULES_VALIDATED, "strategist", SUBJECT, () -> "third",
                v -> Map.of())).isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.status()).isEqualTo(429));
        release.countDown();
        assertThat(busy.stream().map(CompletableFuture::join).toList()).containsExactly("done 1", "done 2");
        waitUntilIdle(guard);
        assertThat(guard.evaluate(AuditAction.RULES_VALIDATED, "strategist", SUBJECT, () -> "third", v -> Map.of()))
                .isEqualTo("third");
    }

    @Test
    void aProblemInsideTheEvaluationReachesTheCallerUnchanged() {
        CandidateGuard guard = new CandidateGuard(Duration.ofSeconds(10), 2, null);
        assertThatThrownBy(() -> guard.evaluate(AuditAction.RULES_VALIDATED, "strategist", SUBJECT, () -> {
            throw RulesProblems.doNotCompile(List.of());
        }, v -> Map.of())).isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.status()).isEqualTo(422));
    }

    private static void waitUntilIdle(CandidateGuard guard) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (guard.running() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(guard.running()).isZero();
    }
}
