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
                         List<String> notFired, List<String> notHeld) {
    }

    /** A hold expected on a channel, optionally with words its reason must contain. */
    public record ExpectedHold(String channel, String reasonContains) {
    }

    /** A shift expected from one channel to another: an exact amount, or a range, or just its existence. */
    public record ExpectedShift(String from, String to, BigDecimal amount, BigDecimal min, BigDecimal max) {
    }

    /** The outcome of one scenario. */
    public record Result(String scenario, boolean passed, String message) {
    }
}
