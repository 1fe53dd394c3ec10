package io.spendshift.run;

import io.spendshift.common.Params;
import io.spendshift.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** A run by id (API.md); a portfolio's runs are in {@link PortfolioRunsResource}. */
@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    private final RunService runs;

    RunResource(RunService runs) {
        this.runs = runs;
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    public RunViews.RunView runById(@PathParam("id") String id) {
        return runs.get(Params.id(id));
    }
}
