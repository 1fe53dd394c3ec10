package io.spendshift.recommendation;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.spendshift.common.IllegalTransition;
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
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** The plan a run produced, under review: PROPOSED, then APPROVED and APPLIED, or REJECTED, SUPERSEDED, EXPIRED, FAILED. */
@Entity
@Table(name = "recommendation")
public class Recommendation extends PanacheEntityBase {

    public enum Status {
        PROPOSED, APPROVED, APPLIED, REJECTED, SUPERSEDED, EXPIRED, FAILED;
    }

    /**
     * The transition table: every move of a recommendation, the states it may start from and the state it
     * leads to. The workflow, the supersede and expiry queries and the apply check all read it; nothing else
     * decides which status may follow which.
     */
    public enum Move {
        APPROVE(Status.APPROVED, Status.PROPOSED),
        REJECT(Status.REJECTED, Status.PROPOSED),
        /** By an approver; a failed apply can be retried once the sink is back. */
        APPLY(Status.APPLIED, Status.APPROVED, Status.FAILED),
        /** By the system, within the auto-apply guardrail, straight from the run. */
        AUTO_APPLY(Status.APPLIED, Status.PROPOSED),
        /** A sink refused or could not take the change. */
        FAIL(Status.FAILED, Status.PROPOSED, Status.APPROVED, Status.FAILED),
        /** A newer recommendation for the same portfolio. */
        SUPERSEDE(Status.SUPERSEDED, Status.PROPOSED, Status.APPROVED, Status.FAILED),
        EXPIRE(Status.EXPIRED, Status.PROPOSED);

        private final Status to;
        private final Set<Status> from;

        Move(Status to, Status first, Status... rest) {
            this.to = to;
            this.from = Collections.unmodifiableSet(EnumSet.of(first, rest));
        }

        /** The states this move may start from. */
        public Set<Status> from() {
            return from;
        }
    }

    /** Throws {@link IllegalTransition}, with the table's reason, when the table does not allow this move now. */
    public void check(Move m) {
        if (!m.from.contains(status)) {
            throw new IllegalTransition(m == Move.APPLY || m == Move.AUTO_APPLY
                    ? "Recommendation " + id + " is " + status + "; only an APPROVED (or FAILED) recommendation can be applied"
                    : "Recommendation " + id + " is " + status + " and cannot become " + m.to);
        }
    }

    /** Moves this recommendation, or throws {@link IllegalTransition} when the table does not allow it. */
    public void move(Move m) {
        check(m);
        status = m.to;
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
    /** The platform budgets an apply through connectors changed (JSON {@code ChangedTarget}s); null: none. */
    @Column(name = "changed_targets")
    public String changedTargets;
    /** Total daily budget moved by the plan. */
    public BigDecimal moved;
    @Column(name = "total_budget")
    public BigDecimal totalBudget;
    /** JSON arrays of the plan and of the rule firings. */
    public String allocations;
    public String shifts;
    public String explanation;
    /** JSON: [{rule, channel, asked, granted, why}], every clamp, drop and conflict of the resolver; null: none. */
    public String adjustments;
    /** JSON: [{channel, severity, message, rule}], the flags the rules raised; null: none. */
    public String flags;

    /** A plan made by a run, or the undo of an applied one. */
    public enum Kind { PLAN, REVERT }

    @Enumerated(EnumType.STRING)
    public Kind kind = Kind.PLAN;
    /** The applied recommendation a REVERT undoes; null for plans. */
    @Column(name = "revert_of")
    public Long revertOf;
    /** JSON of the {@link io.spendshift.learning.Forecast} made with the plan (full precision; rounded in views). */
    public String forecast;
    /** JSON: [{channel, deltaPct, reason, until}], the experiments the plan starts; null: none. */
    public String experiments;
    /** In AUTO_APPLY mode, why this plan was left for review instead of applied; null otherwise. */
    @Column(name = "auto_apply_withheld")
    public String autoApplyWithheld;
    /** The portfolio's data version right after this plan was applied ("same data" runs propose nothing). */
    @Column(name = "applied_data_version")
    public Long appliedDataVersion;
    /** The day the applied budgets took effect. */
    @Column(name = "applied_on")
    public LocalDate appliedOn;
    /** JSON of the last {@link io.spendshift.learning.Verification}; null: not checked yet. */
    public String verification;
    @Column(name = "verification_status")
    public String verificationStatus;
    @Column(name = "verified_at")
    public Instant verifiedAt;

    /** A short paragraph for people: what moves, why, the forecast, pacing, held channels; null for old plans. */
    public String summary;
    /** JSON of the plan's pacing part ({@link io.spendshift.policy.Plan.PacingChange}); null: the total stays. */
    public String pacing;

    @Version
    public long version;
}
