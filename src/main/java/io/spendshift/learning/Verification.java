package io.spendshift.learning;

/**
 * An applied plan checked against its forecast (API.md, "Verification and undo"): {@code realized} is the change
 * of daily value the plan delivered, with an interval of the forecast's level, measured by {@code method}.
 */
public record Verification(Status status, int afterDays, Interval realized, String method, String reason) {

    public enum Status { PENDING, ON_TRACK, UNDERDELIVERED, INCONCLUSIVE }
}
