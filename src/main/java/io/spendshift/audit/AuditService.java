package io.spendshift.audit;

import io.spendshift.common.InvalidInput;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.spendshift.SpendshiftConfig;
import io.spendshift.common.Page;
import io.spendshift.security.Actors;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends to the hash-chained audit trail, always inside the transaction of the change it records, and
 * reads and verifies it. Appends are serialised by a row lock on {@code audit_head}, so the chain never
 * forks, whatever the number of service instances. Each entry is signed with HMAC-SHA256 under the audit key
 * ({@link AuditKeys}), which lives in configuration, never in the database; credentials in an entry's details
 * are replaced by their fingerprint ({@link SecretRedactor}) before it is written.
 */
@ApplicationScoped
public class AuditService {

    private static final Logger LOG = Logger.getLogger(AuditService.class);
    /** The daily head line has a category of its own, so a log pipeline can ship it somewhere else to anchor. */
    private static final Logger HEAD_LOG = Logger.getLogger("io.spendshift.audit.head");

    private final EntityManager em;
    private final ObjectMapper json;
    private final ObjectReader exactTree;
    private final Clock clock;
    private volatile AuditKeys keys;
    private final jakarta.enterprise.event.Event<Appended> appended;

    AuditService(EntityManager em, ObjectMapper json, Clock clock, SpendshiftConfig config,
                 jakarta.enterprise.event.Event<Appended> appended) {
        this.em = em;
        this.appended = appended;
        this.json = json;
        // details are re-read only to redact them: numbers must come back exactly as they were written
        this.exactTree = json.reader().without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);
        this.clock = clock;
        SpendshiftConfig.Audit a = config.audit();
        boolean generated = config.demo() && a.key().filter(k -> !k.isBlank()).isEmpty();
        this.keys = AuditKeys.load(config.demo(), a.key(), a.previousKeys(), a.keyFile());
        LOG.infof("Audit chain signed with key %s%s; %d earlier key(s) accepted by verify", keys.currentId(),
                generated ? " (demo mode: generated into " + a.keyFile().toAbsolutePath() + ")" : "",
                keys.ids().size() - 1);
    }

    /** Before anything else is audited at start-up: a new key is recorded in the chain, signed by itself. */
    void onStart(@Observes @Priority(1) StartupEvent ev) {
        install(keys);
    }

    /**
     * Makes {@code next} the signing key. When the chain's newest entry was signed by another key (or, after the
     * upgrade to keyed entries, by none), an {@code AUDIT_KEY_ROTATED} entry is appended first, signed by the new
     * key and naming the previous key's id, so the chain itself says where each key starts.
     */
    void install(AuditKeys next) {
        QuarkusTransaction.requiringNew().run(() -> {
            long lastSeq = ((Number) em.createNativeQuery("SELECT last_seq FROM audit_head WHERE id = 1 FOR UPDATE")
                    .getSingleResult()).longValue();
            String previous = null;
            if (lastSeq > 0) {
                previous = (String) em.createNativeQuery("SELECT key_id FROM audit_entry WHERE seq = ?1")
                        .setParameter(1, lastSeq).getSingleResult();
            }
            keys = next;
            Map<String, Object> details = rotation(lastSeq, previous, next);
            if (details == null) {
                return;
            }
            append(new Event(Actors.STARTUP, AuditAction.AUDIT_KEY_ROTATED, "auditKey", next.currentId(), null, null,
                    details));
            LOG.warnf("Audit key rotated: entries from now on are signed with key %s (previously %s)",
                    next.currentId(), previous == null ? "unkeyed sha-256" : previous);
        });
    }

    /**
     * The details of the {@code AUDIT_KEY_ROTATED} entry due when the newest entry ({@code lastSeq}, signed by
     * {@code previousKeyId}, null for an unkeyed one) was not signed by {@code next}'s key; null when none is due
     * (an empty chain starts with the current key in its first entry).
     */
    static Map<String, Object> rotation(long lastSeq, String previousKeyId, AuditKeys next) {
        if (lastSeq == 0 || next.currentId().equals(previousKeyId)) {
            return null;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("keyId", next.currentId());
        details.put("previousKeyId", previousKeyId);
        details.put("previousScheme", previousKeyId == null ? "SHA-256 (entries written before audit keys)" : "HMAC-SHA256");
        details.put("previousKeyConfigured", previousKeyId == null || next.knows(previousKeyId));
        return details;
    }

    /** The id of the key new entries are signed with. */
    public String currentKeyId() {
        return keys.currentId();
    }

    /** What an entry is about; {@code details} becomes its JSON {@code details}. */
    public record Event(String actor, AuditAction action, String entityType, String entityId, String portfolio,
                        String ruleSetVersion, Map<String, ?> details) {
    }

    /**
     * Fired synchronously by {@link #append}, in the appending transaction and after the entry is written (its
     * details already redacted): an observer's writes (the notification outbox) commit or roll back with it.
     */
    public record Appended(AuditEntry entry) {
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
        AuditKeys k = keys;
        e.details = toJson(ev.details(), k);
        e.keyId = k.currentId();
        e.hash = k.sign(AuditChain.content(e));
        em.persist(e);
        em.createNativeQuery("UPDATE audit_head SET last_seq = ?1, last_hash = ?2 WHERE id = 1")
                .setParameter(1, e.seq).setParameter(2, e.hash).executeUpdate();
        appended.fire(new Appended(e));
        return e;
    }

    /**
     * Filters of {@code GET /audit}; null means "any". {@code scope}: the portfolios whose entries the caller may
     * read; entries of no portfolio (rules, the audit key, simulations) only with a global scope.
     */
    public record Query(String portfolio, String entityType, String entityId, String action, Instant from,
                        Instant to, boolean descending, io.spendshift.security.PortfolioScope scope) {

        /** Every entry the other filters let through. */
        public Query(String portfolio, String entityType, String entityId, String action, Instant from, Instant to,
                     boolean descending) {
            this(portfolio, entityType, entityId, action, from, to, descending, io.spendshift.security.PortfolioScope.ALL);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<AuditEntry> find(Query q, int page, int size) {
        Page.check(page, size);
        if (q.scope().isEmpty()) {
            return new Page<>(List.of(), page, size, 0);
        }
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (!q.scope().all()) {
            where.append(" and portfolio in :visible");
            params.put("visible", q.scope().keys());
        }
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

    /**
     * Result of walking the whole chain: {@code reason} says what is wrong with {@code firstBrokenSeq},
     * {@code legacyEntries} counts the unkeyed entries written before audit keys, {@code keyId} is the current key.
     */
    public record Verification(boolean valid, long entries, Long firstBrokenSeq, String reason, long legacyEntries,
                               String keyId) {
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Verification verify() {
        ChainVerifier verifier = new ChainVerifier(keys);
        long count = 0;
        int chunk = 1000;
        long after = 0;
        while (true) {
            List<AuditEntry> batch = AuditEntry.find("seq > ?1 order by seq", after).page(0, chunk).list();
            for (AuditEntry e : batch) {
                count++;
                if (!verifier.accept(e)) {
                    return verifier.result(AuditEntry.count());
                }
                after = e.seq;
            }
            em.clear();
            if (batch.size() < chunk) {
                break;
            }
        }
        return verifier.result(count);
    }

    /** The newest entry of the chain, to anchor elsewhere; {@code seq} 0 and the genesis hash when it is empty. */
    public record Head(long seq, String hash, Instant at, String keyId) {
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Head head() {
        return AuditEntry.<AuditEntry>find("order by seq desc").firstResultOptional()
                .map(e -> new Head(e.seq, e.hash.trim(), e.at, e.keyId))
                .orElse(new Head(0, AuditChain.GENESIS, null, null));
    }

    @Scheduled(cron = "{spendshift.audit.head-log-cron}", identity = "audit-head-log",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void logHeadOnSchedule() {
        logHead();
    }

    /** Logs the chain's head, so that it can be kept outside the database (a truncated chain then shows). */
    Head logHead() {
        Head h = QuarkusTransaction.requiringNew().call(this::head);
        HEAD_LOG.infof("Audit chain head: seq=%d hash=%s at=%s keyId=%s", h.seq(), h.hash(), h.at(), h.keyId());
        return h;
    }

    private static void add(StringBuilder where, Map<String, Object> params, String field, String value) {
        if (value != null && !value.isBlank()) {
            where.append(" and ").append(field).append(" = :").append(field);
            params.put(field, value);
        }
    }

    /** The details as JSON, credentials replaced by their fingerprint under {@code k}. */
    private String toJson(Map<String, ?> details, AuditKeys k) {
        try {
            String text = json.writeValueAsString(details == null ? Map.of() : details);
            if (!SecretRedactor.mayHoldSecret(text)) {
                return text;
            }
            JsonNode tree = exactTree.readTree(text);
            return json.writeValueAsString(SecretRedactor.redact(tree, k::fingerprint));
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
            throw InvalidInput.of("action", "unknown action; one of " + actions());
        }
    }
}
