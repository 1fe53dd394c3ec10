package io.spendshift.run;

import io.quarkus.security.identity.SecurityIdentity;
import io.spendshift.common.Page;
import io.spendshift.common.Params;
import io.spendshift.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** A portfolio's runs: start one, list them. */
@Path("/api/v1/portfolios/{key}/runs")
@Produces(MediaType.APPLICATION_JSON)
public class PortfolioRunsResource {

    private final RunService runs;
    private final SecurityIdentity identity;

    PortfolioRunsResource(RunService runs, SecurityIdentity identity) {
        this.runs = runs;
        this.identity = identity;
    }

    @POST
        @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.STRATEGIST, Roles.APPROVER})
    public Response run(@PathParam("key") String key, RunViews.RunRequest body, UriInfo uri) {
        RunViews.RunRequest req = body == null ? new RunViews.RunRequest(false, null) : body;
        RunViews.RunView v = runs.run(key, Params.date("asOf", req.asOf()), Boolean.TRUE.equals(req.dryRun()),
                Run.Trigger.MANUAL, identity.getPrincipal().getName());
        return Response.created(uri.getBaseUriBuilder().path("api/v1/runs").path(Long.toString(v.id())).build())
                .entity(v).build();
    }

    @GET
        @RolesAllowed(Roles.VIEWER)
    public Page<RunViews.RunView> runs(@PathParam("key") String key, @QueryParam("page") @DefaultValue("0") int page,
                                         @QueryParam("size") @DefaultValue("50") int size) {
        return runs.list(key, page, size);
    }

}
