package io.spendshift.rules;

import io.spendshift.common.SqlValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code rule_set_version} table: every rule set that was ever active, with its files as JSON. In the caller's transaction. */
@ApplicationScoped
public class RuleSetVersionStore {

    /** One stored version; {@code files} is the JSON of its files, null when not read. */
    record Row(String version, Instant loadedAt, String loadedBy, String files) {
    }

    private final EntityManager em;

    RuleSetVersionStore(EntityManager em) {
        this.em = em;
    }

    boolean exists(String version) {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM rule_set_version WHERE version = ?1")
                .setParameter(1, version).getSingleResult()).longValue() > 0;
    }

    void insert(String version, Instant loadedAt, String loadedBy, String files) {
        em.createNativeQuery("INSERT INTO rule_set_version (version, loaded_at, loaded_by, files) VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, version).setParameter(2, Timestamp.from(loadedAt)).setParameter(3, loadedBy)
                .setParameter(4, files).executeUpdate();
    }

    /** Versions without their files, newest first. */
    List<Row> page(int offset, int size) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT version, loaded_at, loaded_by FROM rule_set_version"
                + " ORDER BY loaded_at DESC, version").setFirstResult(offset).setMaxResults(size).getResultList();
        return rows.stream().map(r -> new Row(((String) r[0]).trim(), SqlValues.instant(r[1]), (String) r[2], null))
                .toList();
    }

    long count() {
        return ((Number) em.createNativeQuery("SELECT COUNT(*) FROM rule_set_version").getSingleResult()).longValue();
    }

    Optional<Row> find(String version) {
        return first(em.createNativeQuery("SELECT version, loaded_at, loaded_by, files FROM rule_set_version"
                + " WHERE version = ?1").setParameter(1, version));
    }

    Optional<Row> newest() {
        return first(em.createNativeQuery("SELECT version, loaded_at, loaded_by, files FROM rule_set_version"
                + " ORDER BY loaded_at DESC").setMaxResults(1));
    }

    private static Optional<Row> first(jakarta.persistence.Query q) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = q.getResultList();
        return rows.stream().findFirst().map(r -> new Row(((String) r[0]).trim(), SqlValues.instant(r[1]), (String) r[2],
                (String) r[3]));
    }
}
