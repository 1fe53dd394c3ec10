package io.spendshift.run;

import io.spendshift.audit.AuditAction;
import io.spendshift.audit.AuditService;
import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.Hold;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A run in which the guardrails held every channel (each one held or locked, at least one held) could move
 * nothing: audited on its own as {@code PORTFOLIO_HELD}, so it shows in the trail and reaches whoever subscribed
 * to it (io.spendshift.notify). Dry runs change nothing and are not reported.
 */
final class AllChannelsHeld {

    private AllChannelsHeld() {
    }

    /** Appends {@code PORTFOLIO_HELD} (in the caller's transaction) when every channel is held; true when it did. */
    static boolean audit(AuditService audit, String actor, String portfolio, String ruleSetVersion, long runId,
                         boolean dryRun, List<ChannelFacts> channels, List<Hold> holds) {
        if (dryRun || channels.isEmpty() || holds.isEmpty()) {
            return false;
        }
        Set<String> held = new TreeSet<>();
        holds.forEach(h -> held.add(h.channel()));
        boolean all = channels.stream().allMatch(c -> c.isLocked() || held.contains(c.getChannel()));
        if (!all) {
            return false;
        }
        Map<String, Object> reasons = new LinkedHashMap<>();
        holds.forEach(h -> reasons.merge(h.channel(), h.reason(), (a, b) -> a + "; " + b));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("runId", runId);
        details.put("channels", channels.size());
        details.put("held", reasons);
        audit.append(new AuditService.Event(actor, AuditAction.PORTFOLIO_HELD, "portfolio", portfolio, portfolio,
                ruleSetVersion, details));
        return true;
    }
}
