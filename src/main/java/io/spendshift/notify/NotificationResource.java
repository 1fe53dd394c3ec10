package io.spendshift.notify;

import io.quarkus.security.identity.SecurityIdentity;
import io.spendshift.common.Page;
import io.spendshift.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseStatus;

/** A portfolio's notification deliveries, and a test message to every target. */
@Path("/api/v1/portfolios/{key}/notifications")
@Produces(MediaType.APPLICATION_JSON)
public class NotificationResource {

    private final NotificationService notifications;
    private final SecurityIdentity identity;

    NotificationResource(NotificationService notifications, SecurityIdentity identity) {
        this.notifications = notifications;
        this.identity = identity;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public Page<NotificationService.DeliveryView> list(@PathParam("key") String key,
                                                       @QueryParam("page") @DefaultValue("0") int page,
                                                       @QueryParam("size") @DefaultValue("50") int size) {
        return notifications.list(key, page, size);
    }

    @POST
    @Path("/test")
    @RolesAllowed(Roles.ADMIN)
    @ResponseStatus(202)
    public NotificationService.TestQueued test(@PathParam("key") String key) {
        return notifications.test(key, identity.getPrincipal().getName());
    }
}
