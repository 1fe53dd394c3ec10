package io.spendshift.run;

import io.spendshift.common.Params;
import io.spendshift.security.PortfolioAccess;
import io.spendshift.security.PortfolioScoped;
import io.spendshift.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * A run by id (API.md); a portfolio's runs are in {@link PortfolioRunsResource}. A run of a portfolio the caller
 * may not see is a 404 like an unknown one.
 */
@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    private final RunService runs;
    private final PortfolioAccess access;

    RunResource(RunService runs, PortfolioAccess access) {
        this.runs = runs;
        this.access = access;
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    @PortfolioScoped
    public RunViews.RunView runById(@PathParam("id") String id) {
        long n = Params.id(id);
        access.requireOf("Run", n, () -> runs.portfolioOf(n), Roles.VIEWER);
        return runs.get(n);
    }
}
