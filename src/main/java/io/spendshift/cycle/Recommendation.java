package io.spendshift.cycle;

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
import jakarta.persistence.Version;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Set;

/** The plan a run produced, under review: PROPOSED, then APPROVED and APPLIED, or REJECTED, SUPERSEDED, EXPIRED, FAILED. */
@Entity
@Table(name = "recommendation")
public class Recommendation extends PanacheEntityBase {

    public enum Status {
        PROPOSED, APPROVED, APPLIED, REJECTED, SUPERSEDED, EXPIRED, FAILED;

        /** The states a recommendation may move to from this one. */
        public Set<Status> next() {
            return switch (this) {
                case PROPOSED -> EnumSet.of(APPROVED, REJECTED, SUPERSEDED, EXPIRED, APPLIED);
                case APPROVED -> EnumSet.of(APPLIED, SUPERSEDED, FAILED);
                // a failed apply can be retried once the sink is back
                case FAILED -> EnumSet.of(APPLIED, SUPERSEDED);
                default -> EnumSet.noneOf(Status.class);
            };
        }
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "portfolio_id")
    public Portfolio portfolio;

    @Column(name = "run_id")
    public Long runId;

    @Enumerated(EnumType.STRING)
    public Status status;

    @Column(name = "rule_set_version")
    public String ruleSetVersion;
    @Column(name = "as_of")
    public LocalDate asOf;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "decided_by")
    public String decidedBy;
    @Column(name = "decided_at")
    public Instant decidedAt;
    @Column(name = "decision_comment")
    public String decisionComment;
    @Column(name = "applied_at")
    public Instant appliedAt;
    @Column(name = "failure_reason")
    public String failureReason;
    /** Total daily budget moved by the plan. */
    public BigDecimal moved;
    @Column(name = "total_budget")
    public BigDecimal totalBudget;
    /** JSON arrays of the plan and of the rule firings. */
    public String allocations;
    public String shifts;
    public String explanation;

    @Version
    public long version;
}
