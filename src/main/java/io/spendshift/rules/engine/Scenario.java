package io.spendshift.rules.engine;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A policy scenario ({@code rules/scenarios/*.yaml}): given a policy and channels' facts, what the rules and
 * the resolver must do. Channel entries are {@code ChannelFacts} fields; {@code defaults} apply to every
 * channel unless it says otherwise.
 */
public record Scenario(String name, String description, Map<String, Object> policy, Map<String, Object> defaults,
                       List<Map<String, Object>> channels, Expect expect) {

    public record Expect(List<ExpectedHold> holds, List<ExpectedShift> shifts, Boolean noShifts, List<String> fired,
                         List<String> notFired, List<String> notHeld, List<ExpectedFlag> flags,
                         List<ExpectedAdjustment> adjustments, List<ExpectedBudget> budgets) {

        public Expect(List<ExpectedHold> holds, List<ExpectedShift> shifts, Boolean noShifts, List<String> fired,
                      List<String> notFired, List<String> notHeld) {
            this(holds, shifts, noShifts, fired, notFired, notHeld, null, null, null);
        }
    }

    /** A flag expected on a channel, optionally of a severity and with words its message must contain. */
    public record ExpectedFlag(String channel, String severity, String messageContains) {
    }

    /**
     * An adjustment the resolver must have made on a channel (or {@code tag:<slug>}), optionally by a rule and with
     * words its {@code why} must contain.
     */
    public record ExpectedAdjustment(String channel, String rule, String whyContains) {
    }

    /** A channel's proposed budget after the plan: exact, or within min/max. */
    public record ExpectedBudget(String channel, BigDecimal amount, BigDecimal min, BigDecimal max) {
    }

    /** A hold expected on a channel, optionally with words its reason must contain. */
    public record ExpectedHold(String channel, String reasonContains) {
    }

    /** A shift expected from one channel to another: an exact amount, or a range, or just its existence. */
    public record ExpectedShift(String from, String to, BigDecimal amount, BigDecimal min, BigDecimal max) {
    }

    /**
     * The outcome of one scenario, with the resolver's adjustments (every clamp, drop and conflict) and the flags
     * the rules raised.
     */
    public record Result(String scenario, boolean passed, String message,
                         List<io.spendshift.policy.Adjustment> adjustments, List<io.spendshift.policy.Flag> flags) {

        public Result(String scenario, boolean passed, String message) {
            this(scenario, passed, message, List.of(), List.of());
        }
    }
}
