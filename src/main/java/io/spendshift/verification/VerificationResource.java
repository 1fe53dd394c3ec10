package io.spendshift.verification;

import io.spendshift.common.Params;
import io.spendshift.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** An applied plan checked against its forecast (API.md "Verification and undo"). */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class VerificationResource {

    private final VerificationService verification;

    VerificationResource(VerificationService verification) {
        this.verification = verification;
    }

    @GET
    @Path("/recommendations/{id}/verification")
    @RolesAllowed(Roles.VIEWER)
    public VerificationService.VerificationView verification(@PathParam("id") String id) {
        return verification.get(Params.id(id));
    }
}
