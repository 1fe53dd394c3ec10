package io.spendshift.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spendshift.SpendshiftConfig;
import io.spendshift.common.FieldError;
import io.spendshift.common.DomainException;
import io.spendshift.metrics.RawRowReader;
import io.spendshift.outbound.GuardedHttpClient;
import io.spendshift.outbound.OutboundGuard;
import io.spendshift.outbound.OutboundRefusedException;
import io.spendshift.outbound.ResilientCalls;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Pulls rows in the metrics JSON format from a URL, with {@code from} and {@code to} query parameters (the
 * last 7 days up to yesterday, so late attribution updates arrive too). Each attempt has a timeout; network
 * errors, timeouts, 429 and 5xx answers are retried with exponential backoff, and a source that keeps failing
 * is not called for a while ({@link ResilientCalls}: SmallRye Fault Tolerance); other answers fail at once.
 * Calls go through the {@link OutboundGuard}: a forbidden destination or a redirect to another origin fails at
 * once, and the bearer token never leaves the configured origin. Failures are described by status and a short
 * classification, never by text the source sent.
 */
@ApplicationScoped
public class HttpJsonSource implements PerformanceSource {

    private static final Logger LOG = Logger.getLogger(HttpJsonSource.class);
    static final int WINDOW_DAYS = 7;

    private final GuardedHttpClient client;
    private final ObjectMapper json;
    private final ResilientCalls calls;
    private final int attempts;

    HttpJsonSource(ObjectMapper json, SpendshiftConfig config, OutboundGuard outbound) {
        this.json = json;
        var c = config.sources();
        this.attempts = Math.max(1, c.httpAttempts());
        this.calls = new ResilientCalls(new ResilientCalls.Policy("HTTP source", attempts, c.httpBackoff(),
                c.httpTimeout(), c.httpDeadline(), config.outbound().breakerVolume(), config.outbound().breakerDelay()),
                e -> LOG.warnf("Pull from an HTTP source failed, retrying: %s", describe(e)));
        this.client = outbound.client(c.httpTimeout());
    }

    @Override
    public long pull(Target t, Sink sink) {
        URI uri;
        try {
            uri = URI.create(t.url() + (t.url().contains("?") ? "&" : "?") + "from="
                    + t.today().minusDays(WINDOW_DAYS) + "&to=" + t.today().minusDays(1));
        } catch (IllegalArgumentException e) {
            throw new SourceException("refused: not a valid URL");
        }
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).header("Accept", "application/json").GET();
        if (t.bearerToken() != null && !t.bearerToken().isBlank()) {
            rb.header("Authorization", "Bearer " + t.bearerToken());
        }
        HttpRequest request = rb.build();
        @SuppressWarnings("unchecked")
        HttpResponse<InputStream> res;
        try {
            res = calls.call(uri, () -> attempt(request), (Class<HttpResponse<InputStream>>) (Class<?>) HttpResponse.class);
        } catch (OutboundRefusedException e) {
            LOG.warnf("Pull of %s for portfolio %s %s", safe(uri), t.portfolio(), e.getMessage());
            throw new SourceException(e.getMessage(), e);
        } catch (SourceException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted", e);
        } catch (Exception e) {
            LOG.warnf("Pull of %s for portfolio %s failed: %s", safe(uri), t.portfolio(), describe(e));
            throw new SourceException(e instanceof CircuitBreakerOpenException ? "the source was " + describe(e)
                    : "the source failed " + attempts + " times; last: " + describe(e));
        }
        // the body is read and ingested outside the guard: a timeout never interrupts a database write
        try (InputStream body = res.body()) {
            return sink.accept(RawRowReader.json(json, body), "http:" + uri.getHost());
        } catch (DomainException e) {
            throw new SourceException(refusedRows(e), e);
        } catch (IOException e) {
            throw new SourceException("the source's answer could not be read: " + GuardedHttpClient.describe(e), e);
        }
    }

    /** One request: 200 is an answer to read, 429 and 5xx are worth another attempt, any other status is final. */
    private HttpResponse<InputStream> attempt(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<InputStream> res = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        int status = res.statusCode();
        if (status == 200) {
            return res;
        }
        res.body().close();
        if (status != 429 && status < 500) {
            throw new SourceException("HTTP " + status + " from source (not retried)");
        }
        throw new ResilientCalls.Transient("HTTP " + status + " from source");
    }

    private String describe(Throwable e) {
        return calls.describe(e);
    }

    /**
     * Why the answer's rows were refused: how many problems, and where the first one is (its row and one of the
     * metric field names), never the values or text the source sent.
     */
    private static String refusedRows(DomainException e) {
        boolean malformed = e.errors().stream().anyMatch(x -> x instanceof FieldError f && "body".equals(f.field()));
        if (malformed) {
            return "the source's answer is not valid JSON (a JSON array of metric rows is expected)";
        }
        StringBuilder s = new StringBuilder("the source answered rows that were refused: " + e.errors().size()
                + " problem(s)");
        if (!e.errors().isEmpty() && e.errors().get(0) instanceof FieldError f) {
            String field = RawRowReader.FIELDS.contains(f.field()) || "row".equals(f.field()) ? f.field()
                    : "an unknown field";
            s.append(" (first: ").append(f.row() == null ? "" : "row " + f.row() + ", ").append(field).append(')');
        }
        return s.toString();
    }

    /** The URL without its query, for logs. */
    private static String safe(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
    }
}
