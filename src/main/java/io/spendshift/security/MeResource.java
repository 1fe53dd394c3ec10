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
 * Who the caller is and what their roles let them do (roles as the API checks them, so an admin has all of
 * them). The web console uses it to log in and to show only the actions the API would accept.
 */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
public class MeResource {

    public record Me(String user, List<String> roles, boolean demo) {
    }

    private final SecurityIdentity identity;
    private final SpendshiftConfig config;

    MeResource(SecurityIdentity identity, SpendshiftConfig config) {
        this.identity = identity;
        this.config = config;
    }

    @GET
    public Me me() {
        List<String> roles = Roles.ALL.stream().filter(identity::hasRole).toList();
        return new Me(identity.getPrincipal().getName(), roles, config.demo());
    }
}
