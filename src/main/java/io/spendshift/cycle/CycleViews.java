package io.spendshift.cycle;

import com.fasterxml.jackson.annotation.JsonRawValue;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** The JSON shapes of runs and recommendations (API.md). */
public final class CycleViews {

    private CycleViews() {
    }

    public record RunRequest(Boolean dryRun, String asOf) {
    }

    public record FiredRule(String rule, int count) {
    }

    public record RunView(long id, String portfolio, String trigger, String status, LocalDate asOf, boolean dryRun,
                          String ruleSetVersion, Instant startedAt, Instant finishedAt, String startedBy,
                          Long recommendationId, List<FiredRule> firedRules, String error, JsonNode plan,
                          String instance, Instant scheduledFor) {
    }

    public record Decision(String comment) {
    }

    public record RecommendationView(long id, String portfolio, long runId, String status, String ruleSetVersion,
                                     LocalDate asOf, Instant createdAt, String decidedBy, Instant decidedAt,
                                     String comment, Instant appliedAt, String failureReason, long version,
                                     BigDecimal moved, BigDecimal totalBudget,
                                     // stored as JSON when the recommendation is made; written out as they are,
                                     // without parsing them again on every read
                                     @JsonRawValue @Schema(type = SchemaType.ARRAY) String allocations,
                                     @JsonRawValue @Schema(type = SchemaType.ARRAY) String shifts,
                                     @JsonRawValue @Schema(type = SchemaType.ARRAY) String explanation) {
    }
}
