package io.spendshift.outcome;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.spendshift.common.Page;
import io.spendshift.common.Params;
import io.spendshift.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
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
 * or CSV by the {@code ingest} role, all or nothing, a re-post of a channel-day replacing it ({@code dryRun=true}:
 * checked and previewed, nothing stored); listed page by page.
 */
@Path("/api/v1/portfolios/{key}/outcomes")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class OutcomesResource {

    private static final String DRY_RUN = "true: check every row, answer the preview, store nothing";

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
    @APIResponse(responseCode = "200", description = "What was stored (`OutcomeIngestResult`); with `dryRun=true`"
            + " the preview (`OutcomePreview`), nothing stored", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(oneOf = {OutcomeIngestService.Result.class, OutcomeIngestService.Preview.class})))
    public Object postJson(@PathParam("key") String key, @QueryParam("dryRun") @Parameter(description = DRY_RUN)
                           String dryRun, InputStream body) {
        OutcomeReader rows = OutcomeReader.json(json, body);
        return Params.bool("dryRun", dryRun) ? ingest.preview(key, rows)
                : ingest.ingest(key, rows, identity.getPrincipal().getName(), "api-json");
    }

    @POST
    @Consumes({"text/csv", "application/csv"})
    @RolesAllowed(Roles.INGEST)
    @APIResponse(responseCode = "200", description = "What was stored (`OutcomeIngestResult`); with `dryRun=true`"
            + " the preview (`OutcomePreview`), nothing stored", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(oneOf = {OutcomeIngestService.Result.class, OutcomeIngestService.Preview.class})))
    public Object postCsv(@PathParam("key") String key, @QueryParam("dryRun") @Parameter(description = DRY_RUN)
                          String dryRun, InputStream body) {
        OutcomeReader rows = OutcomeReader.csv(body);
        return Params.bool("dryRun", dryRun) ? ingest.preview(key, rows)
                : ingest.ingest(key, rows, identity.getPrincipal().getName(), "api-csv");
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public Page<OutcomeRow> list(@PathParam("key") String key, @QueryParam("channel") String channel,
                                 @QueryParam("from") String from, @QueryParam("to") String to,
                                 @QueryParam("page") @DefaultValue("0") int page,
                                 @QueryParam("size") @DefaultValue("50") int size,
                                 @QueryParam("order") @Parameter(description = "asc (default): oldest day first;"
                                         + " desc: newest first") String order) {
        return query.find(key, blank(channel), Params.date("from", from), Params.date("to", to), page, size,
                newestFirst(order));
    }

    /** {@code order=desc}: the newest day first (the console reads a channel's latest row with size=1). */
    private static boolean newestFirst(String order) {
        if (order == null || order.isBlank() || order.equalsIgnoreCase("asc")) {
            return false;
        }
        if (order.equalsIgnoreCase("desc")) {
            return true;
        }
        throw io.spendshift.common.InvalidInput.of("order", "must be asc or desc");
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
