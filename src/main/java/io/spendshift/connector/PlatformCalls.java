package io.spendshift.connector;

import io.spendshift.outbound.GuardedHttpClient;
import io.spendshift.outbound.OutboundRefusedException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;

/**
 * Sends a connector's requests through the outbound guard ({@link GuardedHttpClient}: only allowed hosts, no
 * redirect to another origin) with bounded retries: network errors, and the answers the connector classifies as
 * worth another attempt (5xx, rate limits), are retried after a backoff that doubles per attempt, or after the wait
 * the platform asked for, never longer than {@code maxBackoff} and never more than {@code attempts} times. Every
 * retry is logged (without URLs' queries or credentials).
 */
final class PlatformCalls {

    private static final Logger LOG = Logger.getLogger(PlatformCalls.class);

    /** How an answer is treated: done, another attempt after {@code wait} (null: the usual backoff), or failed. */
    sealed interface Verdict permits Done, Retry, Fail {
    }

    record Done() implements Verdict {
    }

    record Retry(String reason, Duration after) implements Verdict {
    }

    record Fail(ConnectorException error) implements Verdict {
    }

    /** Pauses between attempts; tests replace it to observe the waits without waiting. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final String platform;
    private final GuardedHttpClient client;
    private final int attempts;
    private final Duration backoff;
    private final Duration maxBackoff;
    private final Duration timeout;
    private final Sleeper sleeper;

    PlatformCalls(String platform, GuardedHttpClient client, int attempts, Duration backoff, Duration maxBackoff,
                  Duration timeout, Sleeper sleeper) {
        this.platform = platform;
        this.client = client;
        this.attempts = Math.max(1, attempts);
        this.backoff = backoff;
        this.maxBackoff = maxBackoff;
        this.timeout = timeout;
        this.sleeper = sleeper;
    }

    Duration timeout() {
        return timeout;
    }

    /** Waits before the next call because the platform's usage headers say it is nearly at its limit. */
    void pause(Duration d, String reason) {
        Duration p = d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
        if (p.isZero() || p.isNegative()) {
            return;
        }
        LOG.warnf("%s: %s; pausing %d ms before the next call", platform, reason, p.toMillis());
        try {
            sleeper.sleep(p);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(platform + ": interrupted", true);
        }
    }

    /** Sends {@code request} until {@code judge} calls an answer done or failed, or the attempts run out. */
    HttpResponse<String> send(String what, HttpRequest request, Function<HttpResponse<String>, Verdict> judge) {
        String last = null;
        for (int attempt = 1; ; attempt++) {
            Duration wait = null;
            try {
                HttpResponse<String> res = client.send(request, HttpResponse.BodyHandlers.ofString());
                Verdict v = judge.apply(res);
                if (v instanceof Done) {
                    return res;
                }
                if (v instanceof Fail f) {
                    throw f.error();
                }
                Retry r = (Retry) v;
                last = r.reason();
                wait = r.after();
            } catch (OutboundRefusedException e) {
                throw new ConnectorException(platform + " " + what + " " + e.getMessage());
            } catch (IOException e) {
                last = GuardedHttpClient.describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectorException(platform + " " + what + ": interrupted", true);
            }
            if (attempt >= attempts) {
                throw new ConnectorException(platform + " " + what + " failed " + attempts + " times; last: " + last,
                        true);
            }
            Duration pause = wait != null ? wait : backoff.multipliedBy(1L << Math.min(20, attempt - 1));
            if (pause.compareTo(maxBackoff) > 0) {
                if (wait != null) {
                    // the platform asks for a longer pause than we hold a caller for: give up now, say how long
                    throw new ConnectorException(platform + " " + what + ": " + last + "; the platform asks to wait "
                            + wait.toSeconds() + " s, more than the " + maxBackoff.toSeconds() + " s allowed", true);
                }
                pause = maxBackoff;
            }
            LOG.warnf("%s %s: %s; attempt %d of %d, retrying in %d ms", platform, what, last, attempt, attempts,
                    pause.toMillis());
            try {
                sleeper.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectorException(platform + " " + what + ": interrupted", true);
            }
        }
    }
}
