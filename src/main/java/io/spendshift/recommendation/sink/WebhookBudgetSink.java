package io.spendshift.recommendation.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spendshift.outbound.GuardedHttpClient;
import io.spendshift.outbound.OutboundGuard;
import io.spendshift.outbound.OutboundRefusedException;
import io.spendshift.outbound.ResilientCalls;
import io.spendshift.outbound.WebhookSignature;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;

/**
 * POSTs a change set (an applied plan's or a manual edit's) as JSON to the portfolio's webhook. Headers:
 * {@code Idempotency-Key} (the change set's {@code idempotencyKey}: the recommendation id for plans, so a retried
 * delivery is recognisable), {@code X-Spendshift-Timestamp} and {@code X-Spendshift-Signature-V1: t=<unix
 * seconds>,v1=<hex HMAC-SHA256 of "t.body">} ({@link WebhookSignature}; each attempt is signed when it is sent, so
 * a retry stays inside the receiver's replay window), and the older {@code X-Spendshift-Signature:
 * sha256=<hex HMAC-SHA256 of the body>} for receivers built against it. Network errors, timeouts, 408, 429 and
 * 5xx are retried with exponential backoff until the attempts or the deadline run out, and a destination that
 * keeps failing is not called for a while ({@link ResilientCalls}: SmallRye Fault Tolerance); other answers
 * fail at once. Calls go through the {@link OutboundGuard} (a forbidden destination or a redirect to another origin
 * fails at once, nothing is sent there); failures are described by status and a short classification only.
 */
@ApplicationScoped
@Identifier(WebhookBudgetSink.NAME)
public class WebhookBudgetSink implements BudgetSink {

    private static final Logger LOG = Logger.getLogger(WebhookBudgetSink.class);
    public static final String NAME = "webhook";
    /** The older signature header (HMAC of the body alone), kept for receivers built against it. */
    public static final String SIGNATURE_HEADER = WebhookSignature.LEGACY_SIGNATURE_HEADER;

    private final ObjectMapper json;
    private final GuardedHttpClient client;
    private final ResilientCalls calls;

    private final Clock clock;

    WebhookBudgetSink(ObjectMapper json, io.spendshift.SpendshiftConfig config, OutboundGuard outbound, Clock clock) {
        this.json = json;
        this.clock = clock;
        var w = config.webhook();
        this.calls = new ResilientCalls(new ResilientCalls.Policy("budget webhook", Math.max(1, w.attempts()),
                w.backoff(), w.timeout(), w.deadline(), config.outbound().breakerVolume(),
                config.outbound().breakerDelay()), e -> LOG.warnf("Budget webhook failed, retrying: %s", describe(e)));
        this.client = outbound.client(w.timeout());
    }

    @Override
    public void deliver(ChangeSet changes, Destination to) {
        String url = to.url();
        String secret = to.secret();
        byte[] body;
        try {
            body = json.writeValueAsBytes(changes);
        } catch (JsonProcessingException e) {
            throw new SinkException("change set cannot be serialised");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new SinkException("the budget webhook was refused: not a valid URL");
        }
        String legacy = "sha256=" + hmac(secret, body);
        String key = changes.idempotencyKey() != null ? changes.idempotencyKey()
                : String.valueOf(changes.recommendationId());
        String what = changes.recommendationId() != null ? "recommendation " + changes.recommendationId()
                : "manual edit " + key;
        try {
            calls.call(uri, () -> attempt(HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", key)
                    .header(SIGNATURE_HEADER, legacy), secret, body), Integer.class);
        } catch (OutboundRefusedException e) {
            LOG.warnf("Budget webhook for %s %s", what, e.getMessage());
            throw new SinkException("the budget webhook was " + e.getMessage());
        } catch (SinkException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkException("interrupted");
        } catch (Exception e) {
            LOG.warnf("Budget webhook for %s failed: %s", what, describe(e));
            throw new SinkException("the budget webhook failed: " + describe(e), true);
        }
    }

    /** One delivery: 2xx is done, 408, 429 and 5xx are worth another attempt, any other answer is final. */
    private int attempt(HttpRequest.Builder request, String secret, byte[] body) throws IOException, InterruptedException {
        // signed now, not when the delivery began: a retry after backoff still carries a fresh timestamp
        HttpRequest signed = WebhookSignature.signed(request, secret, clock.instant(), body)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        int s = client.send(signed, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (s >= 200 && s < 300) {
            return s;
        }
        if (s == 408 || s == 429 || s >= 500) {
            throw new ResilientCalls.Transient("HTTP " + s + " from webhook");
        }
        throw new SinkException("the budget webhook refused the change: HTTP " + s);
    }

    private String describe(Throwable e) {
        return calls.describe(e);
    }

    /** The older signature of a body: hex HMAC-SHA256 with the portfolio's secret (no timestamp). */
    public static String hmac(String secret, byte[] body) {
        return WebhookSignature.hmac(secret, body);
    }
}
