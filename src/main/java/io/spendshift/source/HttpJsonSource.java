package io.spendshift.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spendshift.SpendshiftConfig;
import io.spendshift.common.ProblemException;
import io.spendshift.metrics.RawRowReader;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Pulls rows in the metrics JSON format from a URL, with {@code from} and {@code to} query parameters (the
 * last 7 days up to yesterday, so late attribution updates arrive too). Each attempt has a timeout; network
 * errors, timeouts, 429 and 5xx answers are retried with exponential backoff; other answers fail at once.
 */
@ApplicationScoped
public class HttpJsonSource implements PerformanceSource {

    private static final Logger LOG = Logger.getLogger(HttpJsonSource.class);
    static final int WINDOW_DAYS = 7;

    private final HttpClient client;
    private final ObjectMapper json;
    private final Duration timeout;
    private final int attempts;
    private final Duration backoff;

    HttpJsonSource(ObjectMapper json, SpendshiftConfig config) {
        this.json = json;
        this.timeout = config.sources().httpTimeout();
        this.attempts = Math.max(1, config.sources().httpAttempts());
        this.backoff = config.sources().httpBackoff();
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    @Override
    public long pull(Target t, Sink sink) {
        URI uri = URI.create(t.url() + (t.url().contains("?") ? "&" : "?") + "from="
                + t.today().minusDays(WINDOW_DAYS) + "&to=" + t.today().minusDays(1));
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET();
        if (t.bearerToken() != null && !t.bearerToken().isBlank()) {
            rb.header("Authorization", "Bearer " + t.bearerToken());
        }
        HttpRequest request = rb.build();
        String lastProblem = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                HttpResponse<InputStream> res = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                int status = res.statusCode();
                if (status == 200) {
                    try (InputStream body = res.body()) {
                        return sink.accept(RawRowReader.json(json, body), "http:" + uri.getHost());
                    } catch (ProblemException e) {
                        throw new SourceException("the source answered rows that were refused: " + e.getMessage()
                                + describe(e), e);
                    }
                }
                res.body().close();
                lastProblem = "HTTP " + status;
                if (status != 429 && status < 500) {
                    throw new SourceException("the source answered HTTP " + status + " for " + safe(uri));
                }
            } catch (HttpTimeoutException e) {
                lastProblem = "timed out after " + timeout.toMillis() + " ms";
            } catch (IOException e) {
                lastProblem = "network error: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceException("interrupted", e);
            }
            LOG.warnf("Pull of %s for portfolio %s failed (attempt %d of %d): %s", safe(uri), t.portfolio(), attempt,
                    attempts, lastProblem);
            if (attempt < attempts) {
                sleep(backoff.multipliedBy(1L << (attempt - 1)));
            }
        }
        throw new SourceException("the source failed " + attempts + " times; last: " + lastProblem);
    }

    private static String describe(ProblemException e) {
        if (e.errors().isEmpty() || !(e.errors().get(0) instanceof io.spendshift.common.FieldError f)) {
            return "";
        }
        return " (first: " + (f.row() == null ? "" : "row " + f.row() + ", ") + f.field() + " " + f.message() + ")";
    }

    /** The URL without its query, for logs. */
    private static String safe(URI uri) {
        return uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted", e);
        }
    }
}
