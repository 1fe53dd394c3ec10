package io.spendshift.outbound;

import io.quarkus.runtime.Startup;
import io.spendshift.SpendshiftConfig;
import io.spendshift.common.FieldError;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * The service's one gate for outbound calls (performance sources, budget webhooks, and any connector or
 * notifier to come): validates URLs when they are saved and hands out {@link GuardedHttpClient}s that check
 * them again before every request. Built from {@code spendshift.outbound.allow} and demo mode (plain http
 * is accepted in demo mode only). Started eagerly so that a bad allow list stops the start.
 */
@Startup
@ApplicationScoped
public class OutboundGuard {

    private static final Logger LOG = Logger.getLogger(OutboundGuard.class);

    private final OutboundPolicy policy;

    OutboundGuard(SpendshiftConfig config) {
        List<String> entries = config.outbound().allow().orElse(List.of());
        AllowList allow = AllowList.parse(entries);
        this.policy = new OutboundPolicy(allow, !config.demo(), InetAddress::getAllByName);
        LOG.infof("Outbound calls: %s; non-public destinations allowed: %s",
                config.demo() ? "http or https (demo mode)" : "https only, unless the host is allowed",
                allow.isEmpty() ? "none" : String.join(",", entries));
    }

    /** A client for outbound calls whose connection attempts give up after {@code connectTimeout}. */
    public GuardedHttpClient client(Duration connectTimeout) {
        return new GuardedHttpClient(policy, connectTimeout);
    }

    /** Adds an {@code errors[]} entry for {@code field} when the URL may not be saved. */
    public void check(String field, String url, List<FieldError> errors) {
        String problem = policy.problem(url);
        if (problem != null) {
            errors.add(FieldError.of(field, problem));
        }
    }
}
