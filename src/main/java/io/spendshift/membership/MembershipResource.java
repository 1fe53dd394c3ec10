package io.spendshift.membership;

import io.quarkus.security.identity.SecurityIdentity;
import io.spendshift.common.Page;
import io.spendshift.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Who holds which roles on a portfolio, for demo users (bearer tokens carry them as groups). Admins only: a global
 * admin, or an admin of this portfolio (the path names it, so {@code PortfolioAccessFilter} checks that).
 */
@Path("/api/v1/portfolios/{key}/members")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class MembershipResource {

    private final MembershipService members;
    private final SecurityIdentity identity;

    MembershipResource(MembershipService members, SecurityIdentity identity) {
        this.members = members;
        this.identity = identity;
    }

    @GET
    public Page<MembershipService.MemberView> list(@PathParam("key") String key,
                                                   @QueryParam("page") @DefaultValue("0") int page,
                                                   @QueryParam("size") @DefaultValue("50") int size) {
        return members.list(key, page, size);
    }

    @GET
    @Path("/{user}")
    public MembershipService.MemberView get(@PathParam("key") String key, @PathParam("user") String user) {
        return members.get(key, user);
    }

    @PUT
    @Path("/{user}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("key") String key, @PathParam("user") String user,
                        MembershipService.MemberInput in) {
        MembershipService.Saved s = members.put(key, user, in, identity.getPrincipal().getName());
        return Response.status(s.created() ? 201 : 200).entity(s.member()).build();
    }

    @DELETE
    @Path("/{user}")
    public Response delete(@PathParam("key") String key, @PathParam("user") String user) {
        members.revoke(key, user, identity.getPrincipal().getName());
        return Response.noContent().build();
    }
}
