package io.spendshift.rules.engine;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs candidate rule work (validate, scenarios, simulations, the activation checks) on a thread of its own, under
 * a time limit that really stops it. When the limit passes, the work is stopped cooperatively (the evaluations of
 * its thread are halted and refused, the thread interrupted); a thread still inside a rule evaluation
 * {@link #GRACE} later is stopped outright. Only an evaluation is stopped so: it runs rule code on a session and
 * facts of its own (a compile, which touches the engine's shared repository, is left to end, which it does in
 * bounded time, and the evaluation after it refuses to start). The caller hears of the overrun only once the thread has ended: what answers "stopped" has stopped,
 * and {@code onEnd} (which returns a concurrency permit) runs when the work is over, never before.
 */
public final class Sandbox {

    private static final Logger LOG = Logger.getLogger(Sandbox.class);
    /** How long cooperative stopping may take before the thread is stopped outright. */
    static final Duration GRACE = Duration.ofMillis(500);
    /** How long a sandbox that is compiling (not evaluating) is waited for before its permit is left to a reaper. */
    static final Duration COMPILE_WAIT = Duration.ofSeconds(30);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private Sandbox() {
    }

    /** The thread of one piece of sandboxed work. */
    static final class SandboxThread extends Thread {
        SandboxThread(Runnable r, String name) {
            super(r, name + "-" + THREADS.incrementAndGet());
            setDaemon(true);
        }

        /** Stops the thread outright, wherever it is (Java 17 still has {@code Thread.stop}). */
        @SuppressWarnings({"deprecation", "removal"})
        void kill(RuleLimitException why) {
            if (isAlive()) {
                LOG.warnf("Stopping %s outright: %s", getName(), why.getMessage());
                try {
                    stop();
                } catch (UnsupportedOperationException e) {
                    LOG.error("This JVM cannot stop a thread outright; the rule evaluation ends when it ends");
                }
            }
        }
    }

    /**
     * Runs {@code work} under {@code timeout}. Answers its result, throws its failure in an
     * {@link ExecutionException}, or throws {@link TimeoutException} once the overrunning work has been stopped.
     * {@code onEnd} runs exactly once, after the work's thread has ended.
     */
    public static <T> T call(String name, Duration timeout, Callable<T> work, Runnable onEnd)
            throws ExecutionException, TimeoutException, InterruptedException {
        CompletableFuture<T> result = new CompletableFuture<>();
        SandboxThread thread = new SandboxThread(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, name);
        try {
            thread.start();
        } catch (RuntimeException | OutOfMemoryError e) {
            onEnd.run();
            throw e;
        }
        try {
            T value = result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            // work that caught the stop of an evaluation (a scenario reports it as failed) was still stopped
            RuleLimitException limit = ended(thread, onEnd);
            if (limit != null) {
                throw new ExecutionException(limit);
            }
            return value;
        } catch (ExecutionException e) {
            RuleLimitException limit = ended(thread, onEnd);
            if (limit != null) {
                throw new ExecutionException(limit);
            }
            throw e;
        } catch (TimeoutException e) {
            stop(thread, new RuleLimitException("time", "the evaluation did not finish within " + describe(timeout)
                    + " (spendshift.rules.eval-timeout) and was stopped"), onEnd);
            throw e;
        } catch (InterruptedException e) {
            stop(thread, new RuleLimitException("time", "the request was cancelled"), onEnd);
            throw e;
        }
    }

    /** Stops the work: cooperatively, then outright; {@code onEnd} once the thread is gone. */
    private static void stop(SandboxThread thread, RuleLimitException why, Runnable onEnd) {
        EvaluationWatchdog.stop(thread, why);
        boolean interrupted = false;
        try {
            thread.join(GRACE.toMillis());
            // stopped outright only inside a rule evaluation (a session of its own); a compile in progress ends
            // by itself in bounded time, and the evaluation after it refuses to start
            long deadline = System.nanoTime() + COMPILE_WAIT.toNanos();
            while (thread.isAlive() && System.nanoTime() < deadline) {
                if (EvaluationWatchdog.evaluating(thread)) {
                    thread.kill(why);
                    thread.join(GRACE.toMillis() * 4);
                    break;
                }
                thread.join(20);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (thread.isAlive()) {
            // not ended even so (a JVM without Thread.stop): the permit comes back when it ends
            Thread reaper = new Thread(() -> {
                try {
                    thread.join();
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                } finally {
                    EvaluationWatchdog.release(thread);
                    onEnd.run();
                }
            }, thread.getName() + "-reaper");
            reaper.setDaemon(true);
            reaper.start();
        } else {
            EvaluationWatchdog.release(thread);
            onEnd.run();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the thread to end, returns its permit; answers why its evaluations were stopped, if they were. */
    private static RuleLimitException ended(SandboxThread thread, Runnable onEnd) throws InterruptedException {
        try {
            thread.join();
            return EvaluationWatchdog.stoppedOf(thread);
        } finally {
            EvaluationWatchdog.release(thread);
            onEnd.run();
        }
    }

    static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
