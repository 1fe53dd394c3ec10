package io.spendshift.recommendation;

import com.fasterxml.jackson.annotation.JsonRawValue;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** The JSON shapes of recommendations and decisions (API.md). */
public final class RecommendationViews {

    private RecommendationViews() {
    }

    public record Decision(String comment) {
    }

    /** {@code PATCH /recommendations/{id}}: the budgets an approver sets before deciding, and why. */
    public record Edit(java.util.List<RecommendationService.EditLine> allocations, String comment) {
    }

    public record RecommendationView(long id, String portfolio, Long runId, String status, String ruleSetVersion,
                                     LocalDate asOf, Instant createdAt, String decidedBy, Instant decidedAt,
                                     String comment, Instant appliedAt, String failureReason, long version,
                                     BigDecimal moved, BigDecimal totalBudget,
                                     // stored as JSON when the recommendation is made; written out as they are,
                                     // without parsing them again on every read
                                     @JsonRawValue @Schema(type = SchemaType.ARRAY) String allocations,
                                     @JsonRawValue @Schema(type = SchemaType.ARRAY) String shifts,
                                     @JsonRawValue @Schema(type = SchemaType.ARRAY) String explanation,
                                     /* PLAN or REVERT; the recommendation a REVERT undoes (null for plans) */
                                     String kind, Long revertOf,
                                     /* API.md "Forecasts": the view of the stored forecast, rounded to cents */
                                     @Schema(type = SchemaType.OBJECT) java.util.Map<String, Object> forecast,
                                     /* [{channel, deltaPct, reason, until}] */
                                     @JsonRawValue @Schema(type = SchemaType.ARRAY) String experiments,
                                     String autoApplyWithheld, LocalDate appliedOn, String verificationStatus,
                                     /* [{rule, channel, asked, granted, why}]: every clamp, drop and conflict of the
                                        plan resolver on the rules' proposals */
                                     @JsonRawValue @Schema(type = SchemaType.ARRAY) String adjustments,
                                     /* [{channel, severity, message, rule}]: what the rules flagged */
                                     @JsonRawValue @Schema(type = SchemaType.ARRAY) String flags,
                                     /* what moves, why, the forecast, pacing and held channels, in a few sentences */
                                     String summary,
                                     /* {period: {from, to}, budget, spentToDate, daysLeft, dailyTarget, totalBefore,
                                        totalAfter, ...}: the plan changes the total daily budget by exactly
                                        totalAfter - totalBefore; null when the total stays */
                                     @JsonRawValue @Schema(type = SchemaType.OBJECT) String pacing,
                                     /* [{connector, account, campaign, budgetId, before, after}]: the platform
                                        budgets applying it changed (on FAILED: exactly those that did change) */
                                     @JsonRawValue @Schema(type = SchemaType.ARRAY) String changedTargets) {
    }

}
