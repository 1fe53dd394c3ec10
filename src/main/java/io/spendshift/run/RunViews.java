package io.spendshift.run;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** The JSON shapes of runs (API.md). */
public final class RunViews {

    private RunViews() {
    }

    public record RunRequest(Boolean dryRun, String asOf) {
    }

    public record FiredRule(String rule, int count) {
    }

    public record RunView(long id, String portfolio, String trigger, String status, LocalDate asOf, boolean dryRun,
                          String ruleSetVersion, Instant startedAt, Instant finishedAt, String startedBy,
                          Long recommendationId, List<FiredRule> firedRules, String error, JsonNode plan,
                          String instance, Instant scheduledFor,
                          @org.eclipse.microprofile.openapi.annotations.media.Schema(
                                  type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)
                          java.util.Map<String, Object> forecast, String reason) {
    }
}
