package io.spendshift.demo;

import io.quarkus.vertx.http.HttpServerStart;
import io.spendshift.SpendshiftConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import org.jboss.logging.Logger;

/**
 * Says at start-up (once the HTTP server listens), as a warning, where a demo-mode service listens: demo users have published passwords, so
 * it listens on 127.0.0.1 only (see {@link DemoBindsLoopback}) unless {@code QUARKUS_HTTP_HOST} says otherwise,
 * and then the warning says the demo users are reachable from other machines.
 */
@ApplicationScoped
public class DemoBindingAnnouncer {

    private static final Logger LOG = Logger.getLogger(DemoBindingAnnouncer.class);

    private final boolean demo;

    DemoBindingAnnouncer(SpendshiftConfig config) {
        this.demo = config.demo();
    }

    void announce(@ObservesAsync HttpServerStart start) {
        if (!demo) {
            return;
        }
        String host = start.options().getHost();
        String where = host + ":" + start.options().getPort();
        if (isLoopback(host)) {
            LOG.warnf("DEMO MODE: listening on %s only (loopback), because the demo users viewer, strategist, "
                    + "approver, admin and ingest have their user name as password. Set QUARKUS_HTTP_HOST to listen "
                    + "elsewhere, or SPENDSHIFT_DEMO=false for real use", where);
        } else {
            LOG.warnf("DEMO MODE ON A NETWORK ADDRESS: listening on %s, and the demo users viewer, strategist, "
                    + "approver, admin and ingest have their user name as password: anyone who can reach this "
                    + "address can change budgets. Unset QUARKUS_HTTP_HOST to listen on 127.0.0.1 only", where);
        }
    }

    static boolean isLoopback(String host) {
        return host != null && (host.startsWith("127.") || host.equals("localhost") || host.equals("::1")
                || host.equals("[::1]"));
    }
}
