package io.spendshift.audit;

/** Every kind of state change the audit trail records (API.md). */
public enum AuditAction {
    PORTFOLIO_CREATED, PORTFOLIO_UPDATED, CHANNEL_UPSERTED, METRICS_INGESTED, OUTCOMES_INGESTED, SOURCE_PULL_FAILED,
    RUN_STARTED, RUN_FINISHED, RUN_FAILED,
    RECOMMENDATION_CREATED, RECOMMENDATION_APPROVED, RECOMMENDATION_REJECTED, RECOMMENDATION_APPLIED,
    RECOMMENDATION_SUPERSEDED, RECOMMENDATION_EXPIRED, APPLY_FAILED,
    /** An approver changed a proposed plan's budgets before deciding (before and after in the details). */
    RECOMMENDATION_EDITED,
    RULES_LOADED, RULES_REJECTED, BUDGET_CHANGED,
    /** An applied plan's verification found it delivering less than its forecast's lower bound. */
    RECOMMENDATION_UNDERDELIVERED,
    /** A strategist's rule-text call: validate, scenarios, simulation (caller, file hashes, outcome). */
    RULES_VALIDATED, SCENARIOS_RUN, SIMULATION_RUN,
    /** The audit chain is signed with a new key from here on (written at start-up, signed by the new key). */
    AUDIT_KEY_ROTATED,
    /** A file in the CSV drop folder was refused (moved to {@code failed/}). */
    DROP_REJECTED,
    /** A run found every channel of the portfolio held: nothing could move. */
    PORTFOLIO_HELD,
    /** An admin asked for a test message to every notification target of a portfolio. */
    NOTIFICATIONS_TESTED,
    /** A portfolio's custom CSV column mapping was saved (created or replaced) or deleted. */
    MAPPING_SAVED, MAPPING_DELETED,
    /** The scheduled drift check found channels whose budget differs from their campaigns' on the platforms. */
    DRIFT_DETECTED,
    /** A user was given roles on a portfolio, or had some taken away (membership API; details: user, roles, held). */
    MEMBERSHIP_GRANTED, MEMBERSHIP_REVOKED
}
