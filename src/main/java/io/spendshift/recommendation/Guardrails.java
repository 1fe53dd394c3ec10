package io.spendshift.recommendation;

import io.spendshift.common.FieldError;
import io.spendshift.policy.Plan;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a plan still fits its channels as they are now. A plan is made (or edited) against the channels of its
 * day; a channel locked since, or given a lower maximum or a higher minimum, must stop the apply and the edit
 * instead of being moved past its new guardrail. A channel the plan moves must not be locked now, and its proposed
 * budget must lie within the channel's current {@code [min, max]}; a channel the plan leaves where it is never
 * breaks anything (its budget may already sit outside narrowed bounds: the plan does not put it there). Pure.
 */
final class Guardrails {

    /** A channel's guardrails now: its lock and bounds ({@code min} null: 0; {@code max} null: none). */
    record Now(boolean locked, BigDecimal min, BigDecimal max) {
    }

    private Guardrails() {
    }

    /**
     * Why moving {@code channel} from {@code current} to {@code proposed} breaks its lock or bounds as they are now;
     * null when it does not, or when the channel does not move.
     */
    static String breach(String channel, BigDecimal current, BigDecimal proposed, Now now) {
        if (proposed.compareTo(current) == 0) {
            return null;
        }
        if (now.locked()) {
            return "channel " + channel + " is locked: its budget stays " + money(current);
        }
        if (now.min() != null && proposed.compareTo(now.min()) < 0) {
            return "channel " + channel + ": " + money(proposed) + " is below its minimum daily budget " + money(now.min());
        }
        if (now.max() != null && proposed.compareTo(now.max()) > 0) {
            return "channel " + channel + ": " + money(proposed) + " is above its maximum daily budget " + money(now.max());
        }
        return null;
    }

    /**
     * One error per allocation that breaks its channel's guardrails now (field {@code allocations[i].proposedBudget},
     * {@code i} its place in the plan), in the plan's order. {@code now}: the portfolio's channels by key; a channel
     * that is gone is left to the caller (it cannot be moved either way).
     */
    static List<FieldError> check(List<Plan.Allocation> allocations, Map<String, Now> now) {
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < allocations.size(); i++) {
            Plan.Allocation a = allocations.get(i);
            Now n = now.get(a.channel());
            String why = n == null ? null : breach(a.channel(), a.currentBudget(), a.proposedBudget(), n);
            if (why != null) {
                errors.add(FieldError.of("allocations[" + i + "].proposedBudget", why));
            }
        }
        return errors;
    }

    static String money(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }
}
