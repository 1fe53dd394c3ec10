package io.spendshift.recommendation;

import io.spendshift.common.IfMatch;
import io.spendshift.common.InvalidInput;
import io.quarkus.security.identity.SecurityIdentity;
import io.spendshift.common.Page;
import io.spendshift.common.Params;
import io.spendshift.security.PortfolioAccess;
import io.spendshift.security.PortfolioScoped;
import io.spendshift.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Recommendations (API.md): list, read, approve, reject, apply. Each answers only for the portfolios the caller may
 * see ({@link PortfolioAccess}): the list is filtered, an id of another portfolio is a 404 like an unknown one.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class RecommendationResource {

    private final RecommendationService recommendations;
    private final SecurityIdentity identity;
    private final PortfolioAccess access;

    RecommendationResource(RecommendationService recommendations, SecurityIdentity identity, PortfolioAccess access) {
        this.recommendations = recommendations;
        this.identity = identity;
        this.access = access;
    }

    @GET
    @Path("/recommendations")
    @RolesAllowed(Roles.VIEWER)
    @PortfolioScoped
    public Page<RecommendationViews.RecommendationView> recommendations(@QueryParam("portfolio") String portfolio,
                                                               @QueryParam("status") String status,
                                                               @QueryParam("page") @DefaultValue("0") int page,
                                                               @QueryParam("size") @DefaultValue("50") int size) {
        return recommendations.list(Params.text("portfolio", portfolio), Params.text("status", status),
                access.scope(Roles.VIEWER), page, size);
    }

    @GET
    @Path("/recommendations/{id}")
    @RolesAllowed(Roles.VIEWER)
    @PortfolioScoped
    public Response recommendation(@PathParam("id") String id) {
        return withTag(recommendations.get(visible(id, Roles.VIEWER)));
    }

    /**
     * An approver changes a PROPOSED plan's budgets before deciding: {@code {allocations: [{channel,
     * proposedBudget}], comment}}; channels not named keep their proposed budget. {@code If-Match} honoured.
     */
    @PATCH
    @Path("/recommendations/{id}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @RolesAllowed(Roles.APPROVER)
    @PortfolioScoped
    public Response edit(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
                         RecommendationViews.Edit body) {
        long n = visible(id, Roles.APPROVER);
        if (body == null) {
            throw InvalidInput.of("allocations", "name at least one channel with its proposedBudget");
        }
        return withTag(recommendations.edit(n, version(ifMatch), actor(), body.allocations(),
                comment(new RecommendationViews.Decision(body.comment()))));
    }

    @POST
    @Path("/recommendations/{id}/approve")
    @RolesAllowed(Roles.APPROVER)
    @PortfolioScoped
    public Response approve(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
                            RecommendationViews.Decision body) {
        return withTag(recommendations.approve(visible(id, Roles.APPROVER), version(ifMatch), actor(), comment(body)));
    }

    @POST
    @Path("/recommendations/{id}/reject")
    @RolesAllowed(Roles.APPROVER)
    @PortfolioScoped
    public Response reject(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
                           RecommendationViews.Decision body) {
        return withTag(recommendations.reject(visible(id, Roles.APPROVER), version(ifMatch), actor(), comment(body)));
    }

    @POST
    @Path("/recommendations/{id}/apply")
    @RolesAllowed(Roles.APPROVER)
    @PortfolioScoped
    public Response apply(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch) {
        return withTag(recommendations.apply(visible(id, Roles.APPROVER), version(ifMatch), actor()));
    }

    /** Proposes to undo an applied recommendation: 201, a new recommendation of kind REVERT (API.md). */
    @POST
    @Path("/recommendations/{id}/revert")
    @RolesAllowed(Roles.APPROVER)
    @PortfolioScoped
    public Response revert(@PathParam("id") String id, RecommendationViews.Decision body, @Context UriInfo uri) {
        RecommendationService.Reverted r = recommendations.revert(visible(id, Roles.APPROVER), actor(), comment(body));
        return Response.created(uri.getBaseUriBuilder().path("api/v1/recommendations/{id}").build(r.id()))
                .entity(r.view()).tag(new EntityTag(IfMatch.tagOf(r.view().version()))).build();
    }

    private static String comment(RecommendationViews.Decision body) {
        String c = body == null ? null : body.comment();
        if (c != null && (c.length() > 2000 || Params.hasControlChars(c))) {
            throw InvalidInput.of("comment", "must be printable, at most 2000 characters");
        }
        return c;
    }

    /** The id, once the caller may act with {@code role} on its recommendation's portfolio (else 404 or 403). */
    private long visible(String id, String role) {
        long n = Params.id(id);
        access.requireOf("Recommendation", n, () -> recommendations.portfolioOf(n), role);
        return n;
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    private static Response withTag(RecommendationViews.RecommendationView v) {
        return Response.ok(v).tag(new EntityTag(IfMatch.tagOf(v.version()))).build();
    }

    static IfMatch version(String ifMatch) {
        return IfMatch.parse(ifMatch);
    }
}
