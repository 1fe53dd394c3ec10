package io.spendshift.rules.engine;

import org.jboss.logging.Logger;
import org.kie.api.runtime.KieSession;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Watches every running rule evaluation and stops the ones that overrun a limit. Rule text passed the policy
 * checker, but allowed arithmetic can still be made expensive (a chain of {@code x = x.multiply(x)}, a string
 * doubled statement after statement), so the limits are also enforced while rules run:
 * <ul>
 *   <li>memory: the bytes an evaluation's thread allocates from its start ({@link #allocationBudget()},
 *       {@code spendshift.rules.eval-memory}, 256 MB by default) are read every {@value #POLL_MILLIS} ms;</li>
 *   <li>time: the caller's limit ({@code spendshift.rules.eval-timeout}) stops the evaluations of the thread that
 *       runs them ({@link #stop}).</li>
 * </ul>
 * Stopping is cooperative first: the session is halted (the engine stops between two rule firings), the thread is
 * interrupted, and the next evaluation on a stopped thread refuses to start. A rule stuck inside one firing (one
 * huge multiplication) does not reach a point where it could notice: on a {@link Sandbox} thread, which runs
 * nothing but candidate rule code on sessions of its own, the thread is then stopped outright (Java 17's
 * {@code Thread.stop}); the sandbox holds no lock or state another thread shares.
 */
public final class EvaluationWatchdog {

    private static final Logger LOG = Logger.getLogger(EvaluationWatchdog.class);
    static final int POLL_MILLIS = 10;
    private static final long DEFAULT_BUDGET = 256L * 1024 * 1024;
    private static volatile long budget = Long.getLong("spendshift.rules.eval-memory-bytes", DEFAULT_BUDGET);

    private static final com.sun.management.ThreadMXBean THREADS = threads();
    private static final Map<Thread, Watched> RUNNING = new ConcurrentHashMap<>();
    /** Threads told to stop, with why: their running and future evaluations end with {@link RuleLimitException}. */
    private static final Map<Thread, RuleLimitException> STOPPED = new ConcurrentHashMap<>();

    static {
        if (THREADS != null) {
            Thread poller = new Thread(EvaluationWatchdog::poll, "spendshift-rules-watchdog");
            poller.setDaemon(true);
            poller.start();
        }
    }

    private EvaluationWatchdog() {
    }

    /** One running evaluation. */
    static final class Watched {
        final Thread thread;
        final KieSession session;
        final long allocatedAtStart;
        final AtomicReference<RuleLimitException> stopped = new AtomicReference<>();

        Watched(Thread thread, KieSession session, long allocatedAtStart) {
            this.thread = thread;
            this.session = session;
            this.allocatedAtStart = allocatedAtStart;
        }
    }

    /** Bytes an evaluation may allocate before it is stopped. */
    public static long allocationBudget() {
        return budget;
    }

    /** Sets the memory budget (from configuration at start, and by tests). */
    public static void allocationBudget(long bytes) {
        budget = bytes <= 0 ? DEFAULT_BUDGET : bytes;
    }

    /** Registers the current thread's evaluation on {@code session}; refuses to start on a stopped thread. */
    static Watched enter(KieSession session) {
        Thread t = Thread.currentThread();
        RuleLimitException stop = STOPPED.get(t);
        if (stop != null) {
            throw stop;
        }
        Watched w = new Watched(t, session, allocated(t));
        RUNNING.put(t, w);
        return w;
    }

    static void exit(Watched w) {
        RUNNING.remove(w.thread, w);
    }

    /** Why the evaluation was stopped, if it was. */
    static RuleLimitException stoppedBy(Watched w) {
        RuleLimitException e = w.stopped.get();
        return e != null ? e : STOPPED.get(w.thread);
    }

    /**
     * Stops the evaluations of {@code thread}, now and until {@link #release}: halts its session and interrupts
     * it. The caller decides whether to stop a {@link Sandbox} thread outright when that is not enough.
     */
    static void stop(Thread thread, RuleLimitException why) {
        STOPPED.put(thread, why);
        Watched w = RUNNING.get(thread);
        if (w != null) {
            w.stopped.compareAndSet(null, why);
            halt(w);
        }
        thread.interrupt();
    }

    /** The thread's work has ended: it may evaluate again (threads of a pool are reused). */
    static void release(Thread thread) {
        STOPPED.remove(thread);
    }

    /** Why the evaluations of {@code thread} were stopped, if they were (until {@link #release}). */
    static RuleLimitException stoppedOf(Thread thread) {
        return STOPPED.get(thread);
    }

    /** Whether {@code thread} is inside a rule evaluation now (not compiling, not between evaluations). */
    static boolean evaluating(Thread thread) {
        return RUNNING.containsKey(thread);
    }

    /** Evaluations running now (tests). */
    static int running() {
        return RUNNING.size();
    }

    private static void halt(Watched w) {
        try {
            w.session.halt();
        } catch (RuntimeException e) {
            LOG.debug("halting a rule session failed", e);
        }
    }

    private static void poll() {
        while (true) {
            try {
                Thread.sleep(POLL_MILLIS);
                for (Watched w : RUNNING.values()) {
                    long used = allocated(w.thread) - w.allocatedAtStart;
                    if (used > budget && w.stopped.get() == null) {
                        RuleLimitException why = new RuleLimitException("memory", "the evaluation allocated more than "
                                + (budget / (1024 * 1024)) + " MB (spendshift.rules.eval-memory) and was stopped");
                        if (w.stopped.compareAndSet(null, why)) {
                            LOG.warnf("A rule evaluation on %s allocated %d MB, over its budget of %d MB: stopped",
                                    w.thread.getName(), used / (1024 * 1024), budget / (1024 * 1024));
                            halt(w);
                            if (w.thread instanceof Sandbox.SandboxThread s) {
                                // a sandbox runs candidate rules only: the whole of its work ends here
                                STOPPED.putIfAbsent(s, why);
                                s.interrupt();
                                if (RUNNING.get(s) == w) {
                                    s.kill(why);
                                }
                            }
                            // any other thread (a run, a dry run) is halted between two firings and its evaluation
                            // fails with the limit; its thread, a shared worker, is neither interrupted nor stopped
                        }
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("the rules watchdog failed to check an evaluation", e);
            }
        }
    }

    private static long allocated(Thread t) {
        if (THREADS == null) {
            return 0;
        }
        @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
        long id = t.getId();
        long n = THREADS.getThreadAllocatedBytes(id);
        return Math.max(0, n);
    }

    private static com.sun.management.ThreadMXBean threads() {
        try {
            if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                    && t.isThreadAllocatedMemorySupported()) {
                t.setThreadAllocatedMemoryEnabled(true);
                return t;
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Per-thread allocation is not measurable on this JVM: rule evaluations have no memory budget", e);
        }
        return null;
    }
}
