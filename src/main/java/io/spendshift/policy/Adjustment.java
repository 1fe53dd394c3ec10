package io.spendshift.policy;

import java.math.BigDecimal;

/**
 * What the plan resolver did to a rule's proposal that the plan alone would not tell: a clamp (maxShiftPct,
 * bounds, a held or locked channel, no headroom), a drop (no recipient, an unknown channel) or a conflict (a boost
 * and a trim on one channel, opposite shifts netting, a larger trim on the same channel, a cap against a floor).
 * {@code asked} and {@code granted} are daily amounts; {@code asked} is null where the rule asked for no amount
 * (a boost's weight). {@code channel} is a channel key, or {@code tag:<slug>} for a cap or floor on a tag.
 */
public record Adjustment(String rule, String channel, BigDecimal asked, BigDecimal granted, String why) {
}
