package io.spendshift.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spendshift.common.Page;
import io.spendshift.common.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends to the hash-chained audit trail, always inside the transaction of the change it records, and
 * reads and verifies it. Appends are serialised by a row lock on {@code audit_head}, so the chain never
 * forks, whatever the number of service instances.
 */
@ApplicationScoped
public class AuditService {

    private final EntityManager em;
    private final ObjectMapper json;
    private final Clock clock;

    AuditService(EntityManager em, ObjectMapper json, Clock clock) {
        this.em = em;
        this.json = json;
        this.clock = clock;
    }

    /** What an entry is about; {@code details} becomes its JSON {@code details}. */
    public record Event(String actor, AuditAction action, String entityType, String entityId, String portfolio,
                        String ruleSetVersion, Map<String, ?> details) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public AuditEntry append(Event ev) {
        Object[] head = (Object[]) em.createNativeQuery(
                "SELECT last_seq, last_hash FROM audit_head WHERE id = 1 FOR UPDATE").getSingleResult();
        AuditEntry e = new AuditEntry();
        e.seq = ((Number) head[0]).longValue() + 1;
        e.prevHash = ((String) head[1]).trim();
        e.at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        e.actor = ev.actor();
        e.action = ev.action().name();
        e.entityType = ev.entityType();
        e.entityId = ev.entityId();
        e.portfolio = ev.portfolio();
        e.ruleSetVersion = ev.ruleSetVersion();
        e.details = toJson(ev.details());
        e.hash = AuditChain.hash(e);
        em.persist(e);
        em.createNativeQuery("UPDATE audit_head SET last_seq = ?1, last_hash = ?2 WHERE id = 1")
                .setParameter(1, e.seq).setParameter(2, e.hash).executeUpdate();
        return e;
    }

    /** Filters of {@code GET /audit}; null means "any". */
    public record Query(String portfolio, String entityType, String entityId, String action, Instant from,
                        Instant to, boolean descending) {
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<AuditEntry> find(Query q, int page, int size) {
        Page.check(page, size);
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        add(where, params, "portfolio", q.portfolio());
        add(where, params, "entityType", q.entityType());
        add(where, params, "entityId", q.entityId());
        add(where, params, "action", q.action());
        if (q.from() != null) {
            where.append(" and at >= :from");
            params.put("from", q.from());
        }
        if (q.to() != null) {
            where.append(" and at < :to");
            params.put("to", q.to());
        }
        var query = AuditEntry.find(where + " order by seq " + (q.descending() ? "desc" : "asc"), params);
        List<AuditEntry> items = query.page(page, size).list();
        return new Page<>(items, page, size, query.count());
    }

    /** Result of walking the whole chain. */
    public record Verification(boolean valid, long entries, Long firstBrokenSeq) {
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Verification verify() {
        String prev = AuditChain.GENESIS;
        long expectedSeq = 1;
        long count = 0;
        int chunk = 1000;
        long after = 0;
        while (true) {
            List<AuditEntry> batch = AuditEntry.find("seq > ?1 order by seq", after).page(0, chunk).list();
            for (AuditEntry e : batch) {
                count++;
                boolean ok = e.seq == expectedSeq && e.prevHash.trim().equals(prev)
                        && AuditChain.hash(e).equals(e.hash.trim());
                if (!ok) {
                    return new Verification(false, AuditEntry.count(), e.seq);
                }
                prev = e.hash.trim();
                expectedSeq++;
                after = e.seq;
            }
            em.clear();
            if (batch.size() < chunk) {
                break;
            }
        }
        return new Verification(true, count, null);
    }

    private static void add(StringBuilder where, Map<String, Object> params, String field, String value) {
        if (value != null && !value.isBlank()) {
            where.append(" and ").append(field).append(" = :").append(field);
            params.put(field, value);
        }
    }

    private String toJson(Map<String, ?> details) {
        try {
            return json.writeValueAsString(details == null ? Map.of() : details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit details are not serialisable", e);
        }
    }

    static List<String> actions() {
        List<String> names = new ArrayList<>();
        for (AuditAction a : AuditAction.values()) {
            names.add(a.name());
        }
        return names;
    }

    static void checkAction(String action) {
        if (action != null && !action.isBlank() && !actions().contains(action)) {
            throw ProblemException.badRequest("action", "unknown action; one of " + actions());
        }
    }
}
