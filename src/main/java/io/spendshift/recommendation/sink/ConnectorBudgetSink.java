package io.spendshift.recommendation.sink;

import io.smallrye.common.annotation.Identifier;
import io.spendshift.connector.ConnectorService;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A manual budget edit of a channel with a {@code target} written to its ad platform through the connectors
 * (split across its campaigns like a plan's, previewed, read back). Plans and reverts are written by
 * {@code RecommendationService} itself, before every sink, because their {@code changedTargets} are recorded on the
 * recommendation; this sink ignores them. Named to sort last among the further sinks, so a platform is written only
 * once every other sink took the edit. A failure refuses the edit (503 when the platform was unavailable, else
 * 502); what a failure part-way did change on the platform is named in the message and the log.
 */
@ApplicationScoped
@Identifier(ConnectorBudgetSink.NAME)
public class ConnectorBudgetSink implements BudgetSink {

    public static final String NAME = "zz-ad-platforms";
    private static final Logger LOG = Logger.getLogger(ConnectorBudgetSink.class);

    private final ConnectorService connectors;

    ConnectorBudgetSink(ConnectorService connectors) {
        this.connectors = connectors;
    }

    @Override
    public void deliver(ChangeSet changes, Destination to) {
        if (changes.kind() != Kind.MANUAL) {
            return;
        }
        Map<String, BigDecimal> after = new LinkedHashMap<>();
        for (Change c : changes.changes()) {
            if (c.target() != null) {
                after.put(c.channel(), c.after());
            }
        }
        if (after.isEmpty()) {
            return;
        }
        ConnectorService.ApplyOutcome out = connectors.apply(changes.portfolio(), after, java.util.List.of());
        if (out.error() != null) {
            String changed = out.changedTargets().isEmpty() ? "" : "; already changed on the platform: "
                    + out.changedTargets().stream().map(t -> t.connector() + " " + t.budgetId() + " "
                    + t.before().toPlainString() + " → " + t.after().toPlainString()).collect(Collectors.joining(", "));
            LOG.warnf("Manual edit %s of portfolio %s not written to the ad platforms: %s%s", changes.idempotencyKey(),
                    changes.portfolio(), out.error(), changed);
            throw new SinkException("an ad platform failed: " + out.error() + changed,
                    out.error().contains("failed ") && out.error().contains(" times"));
        }
    }
}
