package io.spendshift.outcome;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
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

import java.io.InputStream;

/**
 * The team's own customer value per channel and acquisition day (API.md, Outcome truth): posted as a JSON array
 * or CSV by the {@code ingest} role, all or nothing, a re-post of a channel-day replacing it; listed page by page.
 */
@Path("/api/v1/portfolios/{key}/outcomes")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class OutcomesResource {

    private final OutcomeIngestService ingest;
    private final OutcomeQueryService query;
    private final ObjectMapper json;
    private final SecurityIdentity identity;

    OutcomesResource(OutcomeIngestService ingest, OutcomeQueryService query, ObjectMapper json,
                     SecurityIdentity identity) {
        this.ingest = ingest;
        this.query = query;
        this.json = json;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.INGEST)
    public OutcomeIngestService.Result postJson(@PathParam("key") String key, InputStream body) {
        return ingest.ingest(key, OutcomeReader.json(json, body), identity.getPrincipal().getName(), "api-json");
    }

    @POST
    @Consumes({"text/csv", "application/csv"})
    @RolesAllowed(Roles.INGEST)
    public OutcomeIngestService.Result postCsv(@PathParam("key") String key, InputStream body) {
        return ingest.ingest(key, OutcomeReader.csv(body), identity.getPrincipal().getName(), "api-csv");
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public Page<OutcomeRow> list(@PathParam("key") String key, @QueryParam("channel") String channel,
                                 @QueryParam("from") String from, @QueryParam("to") String to,
                                 @QueryParam("page") @DefaultValue("0") int page,
                                 @QueryParam("size") @DefaultValue("50") int size) {
        return query.find(key, blank(channel), Params.date("from", from), Params.date("to", to), page, size);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
