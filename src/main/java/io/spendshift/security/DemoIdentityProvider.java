package io.spendshift.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.spendshift.SpendshiftConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Set;

/**
 * HTTP Basic users of demo mode ({@code viewer/viewer} ... {@code ingest/ingest}), each holding the global role of
 * its name, and the roles on single portfolios that the membership API stored for them
 * ({@code PUT /portfolios/{key}/members/{user}}), as groups {@code portfolio:<key>:<role>} like a token's. A user
 * with memberships logs in too (password = user name), holding only those. With demo mode off this provider
 * refuses every password, so nothing but bearer tokens can authenticate.
 */
@ApplicationScoped
public class DemoIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private static final Logger LOG = Logger.getLogger(DemoIdentityProvider.class);

    /** Each demo user holds the role of its name; {@link RoleHierarchy} adds the implied ones. */
    static final Set<String> USERS = Set.of(Roles.VIEWER, Roles.STRATEGIST, Roles.APPROVER, Roles.ADMIN, Roles.INGEST);

    private final boolean demo;
    private final MembershipSource memberships;

    DemoIdentityProvider(SpendshiftConfig config, MembershipSource memberships) {
        this.demo = config.demo();
        this.memberships = memberships;
    }

    void announce(@Observes StartupEvent ev) {
        if (demo) {
            LOG.warn("""

                    ************************************************************************
                    *  DEMO MODE IS ON: demo users viewer, strategist, approver, admin and *
                    *  ingest log in with their user name as password, and the `demo`      *
                    *  portfolio is fed by a simulated market. Never run it like this with *
                    *  real money: set SPENDSHIFT_DEMO=false.                               *
                    ************************************************************************""");
        } else {
            LOG.info("Demo mode is off: requests authenticate with bearer tokens");
        }
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                                              AuthenticationRequestContext context) {
        String user = request.getUsername();
        byte[] given = new String(request.getPassword().getPassword()).getBytes(StandardCharsets.UTF_8);
        if (!demo || user == null || !MessageDigest.isEqual(given, user.getBytes(StandardCharsets.UTF_8))) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        if (!USERS.contains(user) && !MembershipSource.isUserName(user)) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        return context.runBlocking(() -> {
            Map<String, Set<String>> scoped = MembershipSource.isUserName(user) ? memberships(user) : Map.of();
            if (!USERS.contains(user) && scoped.isEmpty()) {
                throw new AuthenticationFailedException();
            }
            QuarkusSecurityIdentity.Builder b = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(user));
            if (USERS.contains(user)) {
                b.addRole(user);
            }
            scoped.forEach((key, roles) -> roles.forEach(r -> b.addRole(Grants.group(key, r))));
            return b.build();
        });
    }

    /** The stored memberships; none while they cannot be read (a fixed demo user keeps its global role). */
    private Map<String, Set<String>> memberships(String user) {
        try {
            return memberships.memberships(user);
        } catch (RuntimeException e) {
            LOG.warnf("Memberships of demo user %s could not be read: %s", user, e.toString());
            return Map.of();
        }
    }
}
