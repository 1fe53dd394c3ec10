package io.spendshift.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.spendshift.SpendshiftConfig;
import io.spendshift.audit.AuditEntry;
import io.spendshift.audit.AuditService;
import io.spendshift.portfolio.NotifySettings;
import io.spendshift.portfolio.Portfolio;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The transactional outbox of notifications, fed by the audit trail: every appended entry is looked at in the
 * appending transaction ({@link AuditService.Appended}), and an entry that maps to a notification event writes one
 * {@link Notification} row per subscribed target. So no feature calls this package, nothing is lost while a
 * receiver is down, and nothing is sent for a change that rolled back.
 *
 * <p>Audit actions → events: {@code RECOMMENDATION_CREATED} (of a PROPOSED recommendation) →
 * {@code RECOMMENDATION_PROPOSED}; {@code SOURCE_PULL_FAILED} → {@code SOURCE_FAILED}; {@code APPLY_FAILED},
 * {@code RECOMMENDATION_UNDERDELIVERED}, {@code PORTFOLIO_HELD}, {@code DROP_REJECTED} as they are;
 * {@code DRIFT_DETECTED} → {@code BUDGET_DRIFT} (once a day per portfolio while it lasts);
 * {@code RULES_REJECTED} (no portfolio) to every portfolio subscribed to it; {@code NOTIFICATIONS_TESTED} → a
 * {@code TEST} message to every target of the portfolio; a {@code RECOMMENDATION_CREATED} whose details carry
 * rules' {@code flags} → {@code CHANNEL_FLAGGED} as well (whether the plan waits or was applied at once).
 *
 * <p>De-duplication: the same event for the same occurrence and target is queued once (a unique
 * {@code dedup_key}). The occurrence is the entity for recommendations, the entity and the UTC day for source
 * failures and held portfolios (one message a day while it lasts), the errors and the day for rejected rules, and
 * the audit entry itself for refused drop files and tests. Appends are serialised by the audit chain's row lock,
 * so the check before the insert cannot race.
 */
@ApplicationScoped
public class NotificationOutbox {

    private static final Logger LOG = Logger.getLogger(NotificationOutbox.class);
    static final String TEST = "TEST";
    /** A rule flagged channels in a recommendation ({@code Flag} outputs; the audit's {@code flags} details). */
    static final String FLAGGED = "CHANNEL_FLAGGED";
    private static final Map<String, String> EVENTS = Map.of(
            "RECOMMENDATION_CREATED", "RECOMMENDATION_PROPOSED",
            "APPLY_FAILED", "APPLY_FAILED",
            "RECOMMENDATION_UNDERDELIVERED", "RECOMMENDATION_UNDERDELIVERED",
            "PORTFOLIO_HELD", "PORTFOLIO_HELD",
            "SOURCE_PULL_FAILED", "SOURCE_FAILED",
            "DROP_REJECTED", "DROP_REJECTED",
            "RULES_REJECTED", "RULES_REJECTED",
            "NOTIFICATIONS_TESTED", TEST,
            "DRIFT_DETECTED", "BUDGET_DRIFT");

    private final ObjectMapper json;
    private final LocalTime digestTime;

    NotificationOutbox(ObjectMapper json, SpendshiftConfig config) {
        this.json = json;
        this.digestTime = config.notifications().digestTime();
    }

    /** The notification event of an audit action, or null when it notifies nobody. */
    static String eventOf(String action) {
        return EVENTS.get(action);
    }

    void onAppended(@Observes AuditService.Appended appended) {
        AuditEntry e = appended.entry();
        String event = eventOf(e.action);
        if (event == null) {
            return;
        }
        JsonNode d = read(e.details);
        if (event.equals("RECOMMENDATION_PROPOSED") && d.path("flags").size() > 0 && !d.path("dryRun").asBoolean(false)) {
            // a rule's Flag reaches people as its own event, whatever becomes of the plan
            notify(e, FLAGGED, d);
        }
        if (event.equals("RECOMMENDATION_PROPOSED") && (d.path("dryRun").asBoolean(false)
                || d.hasNonNull("status") && !"PROPOSED".equals(d.path("status").asText()))) {
            return;
        }
        notify(e, event, d);
    }

    /** Queues {@code event} of audit entry {@code e} for every target subscribed to it. */
    private void notify(AuditEntry e, String event, JsonNode d) {
        List<Portfolio> portfolios;
        if (e.portfolio != null) {
            portfolios = Portfolio.byKey(e.portfolio).map(List::of).orElse(List.of());
        } else if (event.equals("RULES_REJECTED")) {
            portfolios = Portfolio.list("notifyTargets like ?1 order by id", "%RULES_REJECTED%");
        } else {
            return;
        }
        for (Portfolio p : portfolios) {
            for (NotifySettings.Target t : NotifySettings.parse(p.notifyTargets)) {
                if (event.equals(TEST) || t.events().contains(event)) {
                    enqueue(p, t, event, e, d);
                }
            }
        }
    }

    private void enqueue(Portfolio p, NotifySettings.Target t, String event, AuditEntry e, JsonNode d) {
        String key = sha256(p.id + "|" + event + "|" + occurrence(event, e, d) + "|" + t.type() + "|" + t.target());
        if (Notification.count("dedupKey", key) > 0) {
            LOG.debugf("Notification %s for %s %s already queued for this %s target", event, e.entityType,
                    e.entityId, t.type());
            return;
        }
        Notification n = new Notification();
        n.portfolioId = p.id;
        n.event = event;
        n.targetType = t.type();
        n.target = t.target();
        n.digest = t.digest() && !event.equals(TEST);
        n.dedupKey = key;
        n.auditSeq = e.seq;
        n.entityType = e.entityType;
        n.entityId = e.entityId;
        n.summary = Messages.summary(event, p.key, p.currency, e.entityId, d);
        n.details = e.details;
        n.occurredAt = e.at;
        n.status = Notification.Status.PENDING;
        n.createdAt = e.at;
        n.nextAttemptAt = n.digest ? nextDigest(e.at, p.zone(), digestTime) : e.at;
        n.persist();
    }

    /** What makes two entries the same occurrence of an event (see the class comment). */
    static String occurrence(String event, AuditEntry e, JsonNode d) {
        String day = LocalDate.ofInstant(e.at, ZoneOffset.UTC).toString();
        return switch (event) {
            case TEST, "DROP_REJECTED" -> "audit:" + e.seq;
            case "SOURCE_FAILED", "PORTFOLIO_HELD", "BUDGET_DRIFT" -> e.entityType + ":" + e.entityId + ":" + day;
            case "RULES_REJECTED" -> "rules:" + sha256(d.path("errors").toString()) + ":" + day;
            default -> e.entityType + ":" + e.entityId;
        };
    }

    /** The next digest time after {@code at}: today's in the portfolio's zone when still ahead, else tomorrow's. */
    static Instant nextDigest(Instant at, ZoneId zone, LocalTime time) {
        ZonedDateTime local = at.atZone(zone);
        ZonedDateTime today = local.toLocalDate().atTime(time).atZone(zone);
        return (today.isAfter(local) ? today : today.plusDays(1)).toInstant();
    }

    private JsonNode read(String details) {
        try {
            return details == null ? MissingNode.getInstance() : json.readTree(details);
        } catch (JsonProcessingException ex) {
            return MissingNode.getInstance();
        }
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
