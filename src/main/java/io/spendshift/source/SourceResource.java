package io.spendshift.source;

import io.quarkus.security.identity.SecurityIdentity;
import io.spendshift.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A portfolio's performance source: its status, and a pull on demand. */
@Path("/api/v1/portfolios/{key}/source")
@Produces(MediaType.APPLICATION_JSON)
public class SourceResource {

    private final SourceService sources;
    private final SecurityIdentity identity;

    SourceResource(SourceService sources, SecurityIdentity identity) {
        this.sources = sources;
        this.identity = identity;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public SourceService.SourceStatus status(@PathParam("key") String key) {
        return sources.status(key);
    }

    @POST
    @Path("/pull")
    @RolesAllowed({Roles.ADMIN, Roles.INGEST})
    public SourceService.PullReport pull(@PathParam("key") String key) {
        sources.status(key); // 404 for an unknown portfolio before anything is read
        return sources.pull(key, identity.getPrincipal().getName());
    }
}
