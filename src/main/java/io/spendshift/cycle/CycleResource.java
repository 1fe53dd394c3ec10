package io.spendshift.cycle;

import io.quarkus.security.identity.SecurityIdentity;
import io.spendshift.common.Page;
import io.spendshift.common.Params;
import io.spendshift.common.ProblemException;
import io.spendshift.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Runs by id and recommendations (API.md); a portfolio's runs are in {@link PortfolioRunsResource}. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class CycleResource {

    private final RunService runs;
    private final RecommendationService recommendations;
    private final SecurityIdentity identity;

    CycleResource(RunService runs, RecommendationService recommendations, SecurityIdentity identity) {
        this.runs = runs;
        this.recommendations = recommendations;
        this.identity = identity;
    }

    @GET
    @Path("/runs/{id}")
    @RolesAllowed(Roles.VIEWER)
    public CycleViews.RunView runById(@PathParam("id") String id) {
        return runs.get(id(id));
    }

    @GET
    @Path("/recommendations")
    @RolesAllowed(Roles.VIEWER)
    public Page<CycleViews.RecommendationView> recommendations(@QueryParam("portfolio") String portfolio,
                                                               @QueryParam("status") String status,
                                                               @QueryParam("page") @DefaultValue("0") int page,
                                                               @QueryParam("size") @DefaultValue("50") int size) {
        return recommendations.list(Params.text("portfolio", portfolio), Params.text("status", status), page, size);
    }

    @GET
    @Path("/recommendations/{id}")
    @RolesAllowed(Roles.VIEWER)
    public Response recommendation(@PathParam("id") String id) {
        return withTag(recommendations.get(id(id)));
    }

    @POST
    @Path("/recommendations/{id}/approve")
    @RolesAllowed(Roles.APPROVER)
    public Response approve(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
                            CycleViews.Decision body) {
        return withTag(recommendations.approve(id(id), version(ifMatch), actor(), comment(body)));
    }

    @POST
    @Path("/recommendations/{id}/reject")
    @RolesAllowed(Roles.APPROVER)
    public Response reject(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
                           CycleViews.Decision body) {
        return withTag(recommendations.reject(id(id), version(ifMatch), actor(), comment(body)));
    }

    @POST
    @Path("/recommendations/{id}/apply")
    @RolesAllowed(Roles.APPROVER)
    public Response apply(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch) {
        return withTag(recommendations.apply(id(id), version(ifMatch), actor(), false));
    }

    private static String comment(CycleViews.Decision body) {
        String c = body == null ? null : body.comment();
        if (c != null && (c.length() > 2000 || Params.hasControlChars(c))) {
            throw io.spendshift.common.ProblemException.badRequest("comment", "must be printable, at most 2000 characters");
        }
        return c;
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    private static Response withTag(CycleViews.RecommendationView v) {
        return Response.ok(v).tag(new EntityTag(Long.toString(v.version()))).build();
    }

    private static long id(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("Resource", id);
        }
    }

    static Long version(String ifMatch) {
        return io.spendshift.portfolio.PortfolioResource.version(ifMatch);
    }
}
