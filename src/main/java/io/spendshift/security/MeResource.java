package io.spendshift.security;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.spendshift.SpendshiftConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * Who the caller is and what their roles let them do: {@code roles} are the global roles (on every portfolio; an
 * admin has all of them), {@code portfolios} the roles held on single portfolios beyond those. The web console uses
 * it to log in and to show, per portfolio, only the actions the API would accept.
 */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class MeResource {

    /** The roles held on one portfolio (with those they imply), beside the global ones. */
    public record PortfolioRoles(String portfolio, List<String> roles) {
    }

    public record Me(String user, List<String> roles, boolean demo, List<PortfolioRoles> portfolios) {
    }

    private final SecurityIdentity identity;
    private final SpendshiftConfig config;

    MeResource(SecurityIdentity identity, SpendshiftConfig config) {
        this.identity = identity;
        this.config = config;
    }

    @GET
    public Me me() {
        Grants g = Grants.of(identity);
        List<PortfolioRoles> portfolios = g.portfolios().entrySet().stream()
                .map(e -> new PortfolioRoles(e.getKey(), Roles.ordered(e.getValue()))).toList();
        return new Me(identity.getPrincipal().getName(), Roles.ordered(g.global()), config.demo(), portfolios);
    }
}
