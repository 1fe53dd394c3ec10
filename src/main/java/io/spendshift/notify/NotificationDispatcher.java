package io.spendshift.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.spendshift.SpendshiftConfig;
import io.spendshift.outbound.GuardedHttpClient;
import io.spendshift.outbound.OutboundGuard;
import io.spendshift.outbound.OutboundRefusedException;
import io.spendshift.outbound.WebhookSignature;
import io.spendshift.portfolio.Portfolio;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Sends what the outbox holds: every {@code spendshift.notify.interval}, the due PENDING rows are claimed one by
 * one with a conditional update (so several instances never send the same row), sent, and closed: SENT, or
 * retried later with exponential backoff ({@code backoff} doubled per attempt, at most {@code max-backoff}) until
 * {@code attempts} ran out (FAILED). A refused destination or a 4xx answer (other than 408 and 429) fails at
 * once. Digest rows of one target are sent together as one message once their day's digest time came.
 *
 * <p>SLACK: {@code {"text": ...}} with a link into the console. WEBHOOK: {@code {event, portfolio, entityType,
 * entityId, at, summary, details, link}}, signed like the budget webhook when the portfolio has a webhook secret
 * ({@link WebhookSignature}: {@code X-Spendshift-Timestamp}, {@code X-Spendshift-Signature-V1: t=..,v1=..}, and
 * the older {@code X-Spendshift-Signature: sha256=<hex HMAC-SHA256 of "timestamp.body">}), and
 * {@code Idempotency-Key}. EMAIL: Quarkus Mailer ({@code quarkus.mailer.*}). HTTP goes through the
 * {@link OutboundGuard} only. Errors are kept as a status or a classification, never a URL or the other side's
 * text; logs name the delivery by id and type, never its target.
 */
@ApplicationScoped
public class NotificationDispatcher {

    private static final Logger LOG = Logger.getLogger(NotificationDispatcher.class);
    /** The older signature header ({@code sha256=<hex>}, over {@code "t.body"}); see {@link WebhookSignature}. */
    public static final String SIGNATURE_HEADER = WebhookSignature.LEGACY_SIGNATURE_HEADER;
    public static final String TIMESTAMP_HEADER = WebhookSignature.TIMESTAMP_HEADER;

    private final EntityManager em;
    private final ObjectMapper json;
    private final Clock clock;
    private final Mailer mailer;
    private final MeterRegistry meters;
    private final GuardedHttpClient client;
    private final SpendshiftConfig.Notify config;
    private final String consoleUrl;
    private final String me = "notify-" + UUID.randomUUID();

    NotificationDispatcher(EntityManager em, ObjectMapper json, Clock clock, Mailer mailer, MeterRegistry meters,
                           OutboundGuard outbound, SpendshiftConfig config) {
        this.em = em;
        this.json = json;
        this.clock = clock;
        this.mailer = mailer;
        this.meters = meters;
        this.config = config.notifications();
        this.consoleUrl = config.consoleUrl();
        this.client = outbound.client(this.config.timeout());
    }

    /** One due delivery, read before sending (no transaction is open while the other side answers). */
    record Item(long id, long portfolioId, String portfolio, String event, String type, String target,
                boolean digest, String entityType, String entityId, String summary, String details, Instant at,
                int attempts, String secret) {
    }

    /** What became of a send: {@code error} null when it was delivered; {@code permanent}: no retry helps. */
    record Outcome(String error, boolean permanent) {
        static final Outcome SENT = new Outcome(null, false);
    }

    @Scheduled(every = "{spendshift.notify.interval}", identity = "notify-dispatch",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onSchedule() {
        try {
            dispatch();
        } catch (RuntimeException e) {
            LOG.errorf("Notification dispatch failed: %s", e.getClass().getSimpleName());
        }
    }

    /** Sends what is due now; returns the number of rows delivered. */
    public int dispatch() {
        return dispatchAt(clock.instant());
    }

    /** Sends what is due at {@code now} (tests pass a later instant instead of waiting for backoff). */
    int dispatchAt(Instant now) {
        List<Item> due = QuarkusTransaction.requiringNew().call(() -> due(now));
        Map<String, List<Item>> groups = new LinkedHashMap<>();
        for (Item i : due) {
            String group = i.digest() ? "digest|" + i.portfolioId() + "|" + i.type() + "|" + i.target() : "one|" + i.id();
            groups.computeIfAbsent(group, k -> new ArrayList<>()).add(i);
        }
        int sent = 0;
        for (List<Item> group : groups.values()) {
            List<Item> mine = QuarkusTransaction.requiringNew().call(() -> claim(group, now));
            if (mine.isEmpty()) {
                continue;
            }
            Outcome o = send(mine);
            QuarkusTransaction.requiringNew().run(() -> close(mine, o, now));
            if (o.error() == null) {
                sent += mine.size();
            }
        }
        return sent;
    }

    private List<Item> due(Instant now) {
        List<Object[]> rows = em.createQuery("SELECT n, p FROM Notification n, Portfolio p WHERE p.id = n.portfolioId"
                        + " AND n.status = :pending AND n.nextAttemptAt <= :now"
                        + " AND (n.claimedUntil IS NULL OR n.claimedUntil < :now) ORDER BY n.id", Object[].class)
                .setParameter("pending", Notification.Status.PENDING).setParameter("now", now)
                .setMaxResults(Math.max(1, config.batch())).getResultList();
        List<Item> items = new ArrayList<>();
        for (Object[] r : rows) {
            Notification n = (Notification) r[0];
            Portfolio p = (Portfolio) r[1];
            items.add(new Item(n.id, n.portfolioId, p.key, n.event, n.targetType, n.target, n.digest, n.entityType,
                    n.entityId, n.summary, n.details, n.occurredAt, n.attempts, p.webhookSecret));
        }
        return items;
    }

    /** The items this instance now owns: each claimed by a conditional update that only one instance wins. */
    private List<Item> claim(List<Item> group, Instant now) {
        List<Item> mine = new ArrayList<>();
        for (Item i : group) {
            int won = em.createQuery("UPDATE Notification n SET n.claimedUntil = :until, n.claimedBy = :me"
                            + " WHERE n.id = :id AND n.status = :pending AND n.nextAttemptAt <= :now"
                            + " AND (n.claimedUntil IS NULL OR n.claimedUntil < :now)")
                    .setParameter("until", now.plus(config.lease())).setParameter("me", me)
                    .setParameter("id", i.id()).setParameter("pending", Notification.Status.PENDING)
                    .setParameter("now", now).executeUpdate();
            if (won == 1) {
                mine.add(i);
            }
        }
        return mine;
    }

    private void close(List<Item> items, Outcome o, Instant now) {
        for (Item i : items) {
            Notification n = em.find(Notification.class, i.id());
            if (n == null || n.status != Notification.Status.PENDING || !me.equals(n.claimedBy)) {
                continue; // taken over after the lease ran out: the other instance's verdict stands
            }
            n.attempts++;
            n.claimedUntil = null;
            n.claimedBy = null;
            if (o.error() == null) {
                n.status = Notification.Status.SENT;
                n.sentAt = now;
                n.lastError = null;
                meters.counter("spendshift.notify.sent", "type", n.targetType).increment();
                continue;
            }
            n.lastError = o.error().length() > 500 ? o.error().substring(0, 500) : o.error();
            if (o.permanent() || n.attempts >= Math.max(1, config.attempts())) {
                n.status = Notification.Status.FAILED;
                meters.counter("spendshift.notify.failed", "type", n.targetType).increment();
                LOG.warnf("Notification %d (%s by %s) failed for good after %d attempt(s): %s", n.id, n.event,
                        n.targetType, n.attempts, n.lastError);
            } else {
                n.nextAttemptAt = now.plus(backoff(n.attempts));
                LOG.infof("Notification %d (%s by %s) failed (attempt %d), retrying at %s: %s", n.id, n.event,
                        n.targetType, n.attempts, n.nextAttemptAt, n.lastError);
            }
        }
    }

    /** The pause after the {@code attempts}-th failed attempt: backoff × 2^(attempts-1), at most max-backoff. */
    Duration backoff(int attempts) {
        Duration d = config.backoff();
        for (int i = 1; i < attempts && d.compareTo(config.maxBackoff()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : d;
    }

    private Outcome send(List<Item> items) {
        Item first = items.get(0);
        boolean digest = first.digest();
        List<Messages.Line> lines = items.stream().map(i -> new Messages.Line(i.event(), i.summary(),
                Messages.link(consoleUrl, i.portfolio(), i.entityType(), i.entityId()), i.at())).toList();
        try {
            return switch (first.type()) {
                case "SLACK" -> post(first, json.writeValueAsBytes(Map.of("text",
                        Messages.slack(first.portfolio(), lines, digest))), null);
                case "WEBHOOK" -> post(first, json.writeValueAsBytes(webhookBody(items, lines)), first.secret());
                case "EMAIL" -> mail(first, lines, digest);
                default -> new Outcome("unknown target type", true);
            };
        } catch (JsonProcessingException e) {
            return new Outcome("message cannot be serialised", true);
        }
    }

    /** The webhook's JSON: the event itself, or for a digest {@code event: "DIGEST"} with the events under details. */
    ObjectNode webhookBody(List<Item> items, List<Messages.Line> lines) {
        Item first = items.get(0);
        ObjectNode body = json.createObjectNode();
        if (!first.digest()) {
            body.put("event", first.event());
            body.put("portfolio", first.portfolio());
            body.put("entityType", first.entityType());
            body.put("entityId", first.entityId());
            body.put("at", first.at().toString());
            body.put("summary", first.summary());
            body.set("details", details(first.details()));
            body.put("link", lines.get(0).link());
            return body;
        }
        body.put("event", "DIGEST");
        body.put("portfolio", first.portfolio());
        body.put("entityType", "portfolio");
        body.put("entityId", first.portfolio());
        body.put("at", lines.get(lines.size() - 1).at().toString());
        body.put("summary", items.size() + " events for " + first.portfolio());
        ArrayNode events = json.createArrayNode();
        for (int k = 0; k < items.size(); k++) {
            Item i = items.get(k);
            ObjectNode e = events.addObject();
            e.put("event", i.event());
            e.put("entityType", i.entityType());
            e.put("entityId", i.entityId());
            e.put("at", i.at().toString());
            e.put("summary", i.summary());
            e.set("details", details(i.details()));
            e.put("link", lines.get(k).link());
        }
        body.set("details", json.createObjectNode().set("events", events));
        body.put("link", Messages.link(consoleUrl, first.portfolio(), "portfolio", first.portfolio()));
        return body;
    }

    private JsonNode details(String text) {
        try {
            return text == null ? json.createObjectNode() : json.readTree(text);
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }

    private Outcome post(Item to, byte[] body, String secret) {
        URI uri;
        try {
            uri = URI.create(to.target());
        } catch (IllegalArgumentException e) {
            return new Outcome("not a valid URL", true);
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "spendshift-notification-" + to.id())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if ("WEBHOOK".equals(to.type()) && secret != null) {
            // the budget webhook's scheme (timestamp and t=..,v1=..), plus the older header of the same signature
            long t = clock.instant().getEpochSecond();
            WebhookSignature.signed(req, secret, java.time.Instant.ofEpochSecond(t), body)
                    .header(SIGNATURE_HEADER, "sha256=" + sign(secret, Long.toString(t), body));
        }
        try {
            int s = client.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (s >= 200 && s < 300) {
                return Outcome.SENT;
            }
            return new Outcome("HTTP " + s, !(s == 408 || s == 429 || s >= 500));
        } catch (OutboundRefusedException e) {
            return new Outcome("refused: " + e.getMessage(), true);
        } catch (IOException e) {
            return new Outcome(GuardedHttpClient.describe(e), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome("interrupted", false);
        } catch (RuntimeException e) {
            return new Outcome("failed (" + e.getClass().getSimpleName() + ")", false);
        }
    }

    private Outcome mail(Item to, List<Messages.Line> lines, boolean digest) {
        try {
            mailer.send(Mail.withText(to.target(), Messages.subject(to.portfolio(), lines, digest),
                    Messages.email(to.portfolio(), lines, digest)));
            return Outcome.SENT;
        } catch (RuntimeException e) {
            // the mail server's own text may quote addresses or configuration: only the kind of failure is kept
            return new Outcome("mail not sent (" + e.getClass().getSimpleName() + ")", false);
        }
    }

    /** Hex HMAC-SHA256 of {@code timestamp + "." + body} under the secret ({@link WebhookSignature#sign}). */
    public static String sign(String secret, String timestamp, byte[] body) {
        return WebhookSignature.hmac(secret, (timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
    }
}
