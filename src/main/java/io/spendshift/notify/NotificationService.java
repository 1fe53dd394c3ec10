package io.spendshift.notify;

import io.spendshift.audit.AuditAction;
import io.spendshift.audit.AuditService;
import io.spendshift.common.Page;
import io.spendshift.portfolio.NotifySettings;
import io.spendshift.portfolio.Portfolio;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A portfolio's deliveries, and the test message an admin asks for. */
@ApplicationScoped
public class NotificationService {

    private final AuditService audit;

    NotificationService(AuditService audit) {
        this.audit = audit;
    }

    /** One delivery as answered: the target redacted (a Slack URL shows only its origin). */
    public record DeliveryView(long id, String event, String type, String target, boolean digest, String status,
                               int attempts, String lastError, Instant createdAt, Instant sentAt) {
    }

    /** The answer to a test request: how many targets a message was queued for. */
    public record TestQueued(String portfolio, int queued) {
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<DeliveryView> list(String key, int page, int size) {
        Page.check(page, size);
        Portfolio p = Portfolio.require(key);
        var q = Notification.<Notification>find("portfolioId = ?1 order by id desc", p.id);
        List<DeliveryView> items = q.page(page, size).list().stream().map(NotificationService::view).toList();
        return new Page<>(items, page, size, q.count());
    }

    /**
     * Queues a test message to every target of the portfolio: audited {@code NOTIFICATIONS_TESTED}, and the outbox
     * follows that entry like any other.
     */
    @Transactional
    public TestQueued test(String key, String actor) {
        Portfolio p = Portfolio.require(key);
        int targets = NotifySettings.parse(p.notifyTargets).size();
        audit.append(new AuditService.Event(actor, AuditAction.NOTIFICATIONS_TESTED, "portfolio", key, key, null,
                Map.of("targets", targets)));
        return new TestQueued(key, targets);
    }

    static DeliveryView view(Notification n) {
        return new DeliveryView(n.id, n.event, n.targetType, NotifySettings.redact(n.targetType, n.target), n.digest,
                n.status.name(), n.attempts, n.lastError, n.createdAt, n.sentAt);
    }
}
