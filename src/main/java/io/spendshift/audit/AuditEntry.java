package io.spendshift.audit;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

import java.time.Instant;

/** One entry of the append-only audit trail. Immutable: the code has no path that updates or deletes one. */
@Entity
@Immutable
@Table(name = "audit_entry")
public class AuditEntry extends PanacheEntityBase {

    @Id
    public long seq;
    public Instant at;
    public String actor;
    public String action;
    @Column(name = "entity_type")
    public String entityType;
    @Column(name = "entity_id")
    public String entityId;
    public String portfolio;
    @Column(name = "rule_set_version")
    public String ruleSetVersion;
    public String details;
    public String hash;
    @Column(name = "prev_hash")
    public String prevHash;
    /** The id of the audit key that signed the entry; null for entries written before audit keys (plain sha-256). */
    @Column(name = "key_id")
    public String keyId;
}
