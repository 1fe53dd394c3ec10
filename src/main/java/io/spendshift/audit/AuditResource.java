package io.spendshift.audit;

import io.spendshift.common.InvalidInput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spendshift.common.Page;
import io.spendshift.common.Params;
import io.spendshift.security.PortfolioAccess;
import io.spendshift.security.PortfolioScoped;
import io.spendshift.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;

/** Reads and verifies the audit trail. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class AuditResource {

    private final AuditService audit;
    private final ObjectMapper json;
    private final PortfolioAccess access;

    AuditResource(AuditService audit, ObjectMapper json, PortfolioAccess access) {
        this.audit = audit;
        this.json = json;
        this.access = access;
    }

    /**
     * An audit entry as the API shows it, with {@code details} as a JSON object; {@code keyId} names the audit key
     * that signed it (null for entries written before audit keys).
     */
    public record AuditView(long seq, Instant at, String actor, String action, String entityType, String entityId,
                            String portfolio, String ruleSetVersion, JsonNode details, String hash, String prevHash,
                            String keyId) {
    }

    /**
     * The entries the caller may read: all for a global viewer; else those of the portfolios they are a viewer of
     * (entries of no portfolio, such as rule loads, are global).
     */
    @GET
    @PortfolioScoped
    public Page<AuditView> list(@QueryParam("portfolio") String portfolio, @QueryParam("entityType") String entityType,
                                @QueryParam("entityId") String entityId, @QueryParam("action") String action,
                                @QueryParam("from") String from, @QueryParam("to") String to,
                                @QueryParam("order") @DefaultValue("asc") String order,
                                @QueryParam("page") @DefaultValue("0") int page,
                                @QueryParam("size") @DefaultValue("50") int size) {
        if (!order.equals("asc") && !order.equals("desc")) {
            throw InvalidInput.of("order", "must be asc or desc");
        }
        AuditService.checkAction(action);
        var q = new AuditService.Query(Params.text("portfolio", portfolio), Params.text("entityType", entityType),
                Params.text("entityId", entityId), Params.text("action", action), Params.instant("from", from, false),
                Params.instant("to", to, true), order.equals("desc"), access.scope(Roles.VIEWER));
        Page<AuditEntry> p = audit.find(q, page, size);
        return new Page<>(p.items().stream().map(this::view).toList(), p.page(), p.size(), p.total());
    }

    @GET
    @Path("/verify")
    public AuditService.Verification verify() {
        return audit.verify();
    }

    /** The newest entry's {@code seq}, {@code hash} and {@code at}: what to keep elsewhere to anchor the chain. */
    @GET
    @Path("/head")
    public AuditService.Head head() {
        return audit.head();
    }

    private AuditView view(AuditEntry e) {
        JsonNode details;
        try {
            details = json.readTree(e.details);
        } catch (Exception ex) {
            details = json.getNodeFactory().textNode(e.details);
        }
        return new AuditView(e.seq, e.at, e.actor, e.action, e.entityType, e.entityId, e.portfolio,
                e.ruleSetVersion, details, e.hash.trim(), e.prevHash.trim(), e.keyId);
    }
}
