package io.spendshift.outbound;

import io.smallrye.faulttolerance.api.Guard;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Retries, timeouts and circuit breaking of outbound calls, by SmallRye Fault Tolerance: each attempt is bounded
 * by a timeout; network errors, timeouts and {@link Transient} answers are retried with exponential backoff until
 * the attempts or the deadline run out; one circuit breaker per origin (scheme, host and port) stops calling a
 * destination whose last {@code breakerVolume} attempts all failed, for {@code breakerDelay}, so one dead
 * endpoint does not hold every caller for the whole retry budget and a healthy one is not affected.
 * A refusal by the {@link OutboundGuard} ({@link OutboundRefusedException}) is never retried and never counts
 * against the breaker: nothing was sent.
 */
public final class ResilientCalls {

    /** How a kind of call is guarded. */
    public record Policy(String name, int attempts, Duration backoff, Duration timeout, Duration deadline,
                         int breakerVolume, Duration breakerDelay) {
    }

    /** An answer worth another attempt (408, 429, 5xx), described in our words. */
    public static class Transient extends RuntimeException {
        public Transient(String description) {
            super(description, null, false, false);
        }
    }

    private static final List<Class<? extends Throwable>> RETRIED = List.of(IOException.class, Transient.class,
            TimeoutException.class);

    private final Policy policy;
    private final Consumer<Throwable> beforeRetry;
    private final ConcurrentHashMap<String, Guard> byOrigin = new ConcurrentHashMap<>();

    /** {@code beforeRetry} sees each failure that is about to be retried (for the log). */
    public ResilientCalls(Policy policy, Consumer<Throwable> beforeRetry) {
        this.policy = policy;
        this.beforeRetry = beforeRetry;
    }

    /** Runs {@code attempt} under the guard of the destination's origin. */
    public <T> T call(URI destination, Callable<T> attempt, Class<T> type) throws Exception {
        return guard(destination).call(attempt, type);
    }

    private Guard guard(URI uri) {
        String origin = uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
        return byOrigin.computeIfAbsent(origin, o -> Guard.create()
                .withDescription(policy.name() + " " + o)
                .withRetry()
                .maxRetries(Math.max(0, policy.attempts() - 1))
                .delay(policy.backoff().toMillis(), ChronoUnit.MILLIS)
                .jitter(0, ChronoUnit.MILLIS)
                .maxDuration(policy.deadline().toMillis(), ChronoUnit.MILLIS)
                .retryOn(RETRIED)
                .abortOn(List.of(OutboundRefusedException.class, CircuitBreakerOpenException.class))
                .beforeRetry(beforeRetry)
                .withExponentialBackoff().factor(2).maxDelay(maxDelay(), ChronoUnit.MILLIS).done()
                .done()
                .withCircuitBreaker()
                .name(policy.name() + " " + o)
                .requestVolumeThreshold(Math.max(1, policy.breakerVolume()))
                .failureRatio(1.0)
                .delay(policy.breakerDelay().toMillis(), ChronoUnit.MILLIS)
                .failOn(RETRIED)
                .skipOn(OutboundRefusedException.class)
                .done()
                .withTimeout()
                .duration(policy.timeout().toMillis(), ChronoUnit.MILLIS)
                .done()
                .build());
    }

    /** The longest pause between attempts: below the deadline, as Fault Tolerance requires. */
    private long maxDelay() {
        return Math.max(policy.backoff().toMillis(), policy.deadline().toMillis() / 2);
    }

    /** A failure of a guarded call in our words (never the other side's text). */
    public String describe(Throwable e) {
        if (e instanceof TimeoutException || e instanceof java.net.http.HttpTimeoutException) {
            return "timed out after " + policy.timeout().toMillis() + " ms";
        }
        if (e instanceof CircuitBreakerOpenException) {
            return "not called: its last " + policy.breakerVolume() + " attempts failed (circuit open for "
                    + policy.breakerDelay().toSeconds() + " s)";
        }
        if (e instanceof Transient t) {
            return t.getMessage();
        }
        if (e instanceof IOException io) {
            return GuardedHttpClient.describe(io);
        }
        org.jboss.logging.Logger.getLogger(ResilientCalls.class).warnf("Unexpected failure of a guarded %s call: %s",
                policy.name(), e.getClass().getName());
        return "failed";
    }
}
