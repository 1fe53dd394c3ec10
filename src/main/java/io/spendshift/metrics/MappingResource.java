package io.spendshift.metrics;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.spendshift.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Saved custom CSV column mappings of a portfolio, used by {@code POST .../metrics?mapping=<name>}. */
@Path("/api/v1/portfolios/{key}/mappings")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class MappingResource {

    private final MappingService mappings;
    private final SecurityIdentity identity;

    MappingResource(MappingService mappings, SecurityIdentity identity) {
        this.mappings = mappings;
        this.identity = identity;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public MappingService.MappingList list(@PathParam("key") String key) {
        return mappings.list(key);
    }

    @GET
    @Path("/{name}")
    @RolesAllowed(Roles.VIEWER)
    public MappingService.MappingView get(@PathParam("key") String key, @PathParam("name") String name) {
        return mappings.get(key, name);
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response put(@PathParam("key") String key, @PathParam("name") String name,
                        MappingService.MappingInput in) {
        MappingService.Saved s = mappings.save(key, name, in, identity.getPrincipal().getName());
        return Response.status(s.created() ? 201 : 200).entity(s.mapping()).build();
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed(Roles.ADMIN)
    public Response delete(@PathParam("key") String key, @PathParam("name") String name) {
        mappings.delete(key, name, identity.getPrincipal().getName());
        return Response.noContent().build();
    }
}
