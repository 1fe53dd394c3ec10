package io.spendshift.run;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.spendshift.portfolio.Portfolio;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import java.time.Instant;
import java.time.LocalDate;

/** One reallocation cycle of one portfolio: pull, facts, rules, plan, record. */
@Entity
@Table(name = "run")
public class Run extends PanacheEntityBase {

    public enum Trigger { MANUAL, SCHEDULED }

    public enum Status { RUNNING, SUCCEEDED, NO_CHANGE, FAILED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "portfolio_id")
    public Portfolio portfolio;

    @Enumerated(EnumType.STRING)
    @Column(name = "run_trigger")
    public Trigger trigger;

    @Enumerated(EnumType.STRING)
    public Status status;

    @Column(name = "as_of")
    public LocalDate asOf;
    @Column(name = "dry_run")
    public boolean dryRun;
    @Column(name = "rule_set_version")
    public String ruleSetVersion;
    @Column(name = "started_at")
    public Instant startedAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "started_by")
    public String startedBy;
    @Column(name = "recommendation_id")
    public Long recommendationId;
    /** JSON: [{rule, count}]. */
    @Column(name = "fired_rules")
    public String firedRules;
    /** JSON of the plan, kept for dry runs. */
    public String plan;
    public String error;
    /** The instance that ran (or runs) the cycle. */
    @Column(name = "instance_id")
    public String instanceId;
    /** JSON of the plan's {@link io.spendshift.learning.Forecast} (full precision; rounded in views). */
    public String forecast;
    /** Why the run ended as it did where the status alone does not say (e.g. {@code same data}). */
    public String reason;
    /** The cron slot of a scheduled run: its trigger's fire time. */
    @Column(name = "scheduled_for")
    public Instant scheduledFor;
}
