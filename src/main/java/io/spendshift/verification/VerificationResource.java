package io.spendshift.verification;

import io.spendshift.common.Params;
import io.spendshift.recommendation.RecommendationService;
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
 * An applied plan checked against its forecast (API.md "Verification and undo"); a recommendation of a portfolio
 * the caller may not see is a 404 like an unknown one.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class VerificationResource {

    private final VerificationService verification;
    private final RecommendationService recommendations;
    private final PortfolioAccess access;

    VerificationResource(VerificationService verification, RecommendationService recommendations,
                         PortfolioAccess access) {
        this.verification = verification;
        this.recommendations = recommendations;
        this.access = access;
    }

    @GET
    @Path("/recommendations/{id}/verification")
    @RolesAllowed(Roles.VIEWER)
    @PortfolioScoped
    public VerificationService.VerificationView verification(@PathParam("id") String id) {
        long n = Params.id(id);
        access.requireOf("Recommendation", n, () -> recommendations.portfolioOf(n), Roles.VIEWER);
        return verification.get(n);
    }
}
