package io.spendshift.notify;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * One delivery in the outbox: an event for one target of one portfolio. Written in the transaction of the audit
 * entry it comes from ({@link NotificationOutbox}); sent, retried and closed by the {@link NotificationDispatcher}.
 */
@Entity
@Table(name = "notification")
public class Notification extends PanacheEntityBase {

    public enum Status { PENDING, SENT, FAILED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "portfolio_id")
    public long portfolioId;
    public String event;
    @Column(name = "target_type")
    public String targetType;
    /** In clear: a Slack URL is a credential, never answered or logged (see {@code NotifySettings.redact}). */
    public String target;
    public boolean digest;
    @Column(name = "dedup_key")
    public String dedupKey;
    @Column(name = "audit_seq")
    public Long auditSeq;
    @Column(name = "entity_type")
    public String entityType;
    @Column(name = "entity_id")
    public String entityId;
    public String summary;
    /** The audit entry's details (already redacted), as JSON. */
    public String details;
    @Column(name = "occurred_at")
    public Instant occurredAt;
    @Enumerated(EnumType.STRING)
    public Status status;
    public int attempts;
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;
    @Column(name = "claimed_until")
    public Instant claimedUntil;
    @Column(name = "claimed_by")
    public String claimedBy;
    /** Status and classification only ({@code HTTP 503}, {@code timed out}), never a URL or a server's text. */
    @Column(name = "last_error")
    public String lastError;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "sent_at")
    public Instant sentAt;
}
