package io.spendshift.recommendation.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spendshift.outbound.GuardedHttpClient;
import io.spendshift.outbound.OutboundGuard;
import io.spendshift.outbound.OutboundRefusedException;
import io.spendshift.outbound.ResilientCalls;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * POSTs an applied change set as JSON to the portfolio's webhook. Headers: {@code Idempotency-Key} (the
 * recommendation id, so a retried delivery is recognisable) and {@code X-Spendshift-Signature:
 * sha256=<hex HMAC-SHA256 of the body with the portfolio's secret>}. Network errors, timeouts, 408, 429 and
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
    public static final String SIGNATURE_HEADER = "X-Spendshift-Signature";

    private final ObjectMapper json;
    private final GuardedHttpClient client;
    private final ResilientCalls calls;

    WebhookBudgetSink(ObjectMapper json, io.spendshift.SpendshiftConfig config, OutboundGuard outbound) {
        this.json = json;
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
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", Long.toString(changes.recommendationId()))
                .header(SIGNATURE_HEADER, "sha256=" + hmac(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            calls.call(uri, () -> attempt(request), Integer.class);
        } catch (OutboundRefusedException e) {
            LOG.warnf("Budget webhook for recommendation %d %s", changes.recommendationId(), e.getMessage());
            throw new SinkException("the budget webhook was " + e.getMessage());
        } catch (SinkException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkException("interrupted");
        } catch (Exception e) {
            LOG.warnf("Budget webhook for recommendation %d failed: %s", changes.recommendationId(), describe(e));
            throw new SinkException("the budget webhook failed: " + describe(e));
        }
    }

    /** One delivery: 2xx is done, 408, 429 and 5xx are worth another attempt, any other answer is final. */
    private int attempt(HttpRequest request) throws IOException, InterruptedException {
        int s = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
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

    /** The signature of a body: hex HMAC-SHA256 with the portfolio's secret. */
    public static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
