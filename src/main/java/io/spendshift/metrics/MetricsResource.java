package io.spendshift.metrics;

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

/** Daily performance per channel: ingestion (JSON array or CSV) and listing. */
@Path("/api/v1/portfolios/{key}/metrics")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class MetricsResource {

    private final MetricIngestService ingest;
    private final ExportImportService imports;
    private final MetricQueryService query;
    private final ObjectMapper json;
    private final SecurityIdentity identity;

    MetricsResource(MetricIngestService ingest, ExportImportService imports, MetricQueryService query, ObjectMapper json,
                    SecurityIdentity identity) {
        this.ingest = ingest;
        this.imports = imports;
        this.query = query;
        this.json = json;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.INGEST)
    public MetricIngestService.Result postJson(@PathParam("key") String key, InputStream body) {
        return ingest.ingest(key, RawRowReader.json(json, body), identity.getPrincipal().getName(), "api-json");
    }

    @POST
    @Consumes({"text/csv", "application/csv"})
    @RolesAllowed(Roles.INGEST)
    public Object postCsv(@PathParam("key") String key, @QueryParam("format") String format,
                          @QueryParam("mapping") String mapping, @QueryParam("decimal") String decimal,
                          @QueryParam("dateFormat") String dateFormat, @QueryParam("unmapped") String unmapped,
                          @QueryParam("dryRun") String dryRun, InputStream body) {
        ExportImportService.Options o = new ExportImportService.Options(blankToNull(format), blankToNull(mapping),
                blankToNull(decimal), blankToNull(dateFormat), blankToNull(unmapped), Params.bool("dryRun", dryRun));
        return imports.importCsv(key, body, o, identity.getPrincipal().getName(), "api-csv");
    }

    /** The same as {@code POST ...?dryRun=true}: how a CSV would be read and what would be stored; stores nothing. */
    @POST
    @Path("/preview")
    @Consumes({"text/csv", "application/csv"})
    @RolesAllowed(Roles.INGEST)
    public ImportPreview preview(@PathParam("key") String key, @QueryParam("format") String format,
                                 @QueryParam("mapping") String mapping, @QueryParam("decimal") String decimal,
                                 @QueryParam("dateFormat") String dateFormat, @QueryParam("unmapped") String unmapped,
                                 InputStream body) {
        ExportImportService.Options o = new ExportImportService.Options(blankToNull(format), blankToNull(mapping),
                blankToNull(decimal), blankToNull(dateFormat), blankToNull(unmapped), true);
        return (ImportPreview) imports.importCsv(key, body, o, identity.getPrincipal().getName(), "api-csv");
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public Page<MetricRow> list(@PathParam("key") String key, @QueryParam("channel") String channel,
                                @QueryParam("from") String from, @QueryParam("to") String to,
                                @QueryParam("page") @DefaultValue("0") int page,
                                @QueryParam("size") @DefaultValue("50") int size) {
        return query.find(key, blankToNull(channel), Params.date("from", from), Params.date("to", to), page, size);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
