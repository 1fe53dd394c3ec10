package io.spendshift.portfolio;

import io.spendshift.common.IfMatch;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.identity.SecurityIdentity;
import io.spendshift.common.Page;
import io.spendshift.portfolio.PortfolioDtos.ChannelInput;
import io.spendshift.portfolio.PortfolioDtos.ChannelView;
import io.spendshift.portfolio.PortfolioDtos.PortfolioInput;
import io.spendshift.portfolio.PortfolioDtos.PortfolioView;
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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;

/** Portfolios and their channels (API.md). */
@Path("/api/v1/portfolios")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class PortfolioResource {

    private final PortfolioService service;
    private final SecurityIdentity identity;
    private final PortfolioAccess access;

    PortfolioResource(PortfolioService service, SecurityIdentity identity, PortfolioAccess access) {
        this.service = service;
        this.identity = identity;
        this.access = access;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response create(PortfolioInput in, UriInfo uri) {
        PortfolioView v = service.create(in, actor());
        return Response.created(uri.getAbsolutePathBuilder().path(v.key()).build())
                .tag(etag(v)).entity(v).build();
    }

    /** The portfolios the caller may see: all of them for a global viewer, else those they are a viewer of. */
    @GET
    @PortfolioScoped
    public Page<PortfolioView> list(@QueryParam("page") @DefaultValue("0") int page,
                                    @QueryParam("size") @DefaultValue("50") int size) {
        return service.list(access.scope(Roles.VIEWER), page, size);
    }

    @GET
    @Path("/{key}")
    public Response get(@PathParam("key") String key) {
        PortfolioView v = service.get(key);
        return Response.ok(v).tag(etag(v)).build();
    }

    @PATCH
    @Path("/{key}")
    @Consumes({"application/merge-patch+json", MediaType.APPLICATION_JSON})
    @RolesAllowed(Roles.ADMIN)
    public Response patch(@PathParam("key") String key, @HeaderParam("If-Match") String ifMatch, JsonNode patch) {
        PortfolioView v = service.patch(key, patch, version(ifMatch), actor());
        return Response.ok(v).tag(etag(v)).build();
    }

    @PUT
    @Path("/{key}/channels/{channel}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response upsertChannel(@PathParam("key") String key, @PathParam("channel") String channel,
                                  ChannelInput in) {
        PortfolioService.Upserted u = service.upsertChannel(key, channel, in, actor());
        return Response.status(u.created() ? 201 : 200).entity(u.channel()).build();
    }

    /** The channel list; wrapped in {@code items} as API.md shows it. */
    public record ChannelList(List<ChannelView> items) {
    }

    @GET
    @Path("/{key}/channels")
    public ChannelList channels(@PathParam("key") String key) {
        return new ChannelList(service.channels(key));
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    private static EntityTag etag(PortfolioView v) {
        return new EntityTag(IfMatch.tagOf(v.version()));
    }

    /** {@code If-Match}: the entity tag of the version the change is based on ({@link IfMatch}). */
    public static IfMatch version(String ifMatch) {
        return IfMatch.parse(ifMatch);
    }
}
