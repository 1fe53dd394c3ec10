package io.spendshift.connector;

import io.spendshift.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** The connectors' status, a portfolio's connection test and its budget drift (API.md, issue 16). */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectorResource {

    private final ConnectorService connectors;

    ConnectorResource(ConnectorService connectors) {
        this.connectors = connectors;
    }

    /** {@code {items: [{connector, configured, lastPull, lastError, lastErrorAt}]}}. */
    public record ConnectorList(List<ConnectorService.ConnectorStatus> items) {
    }

    /** {@code {results: [{channel, connector, ok, message}]}}. */
    public record TestResults(List<ConnectorService.TestResult> results) {
    }

    @GET
    @Path("/connectors")
    @RolesAllowed(Roles.VIEWER)
    public ConnectorList list() {
        return new ConnectorList(connectors.statuses());
    }

    @POST
    @Path("/portfolios/{key}/connectors/test")
    @RolesAllowed(Roles.ADMIN)
    public TestResults test(@PathParam("key") String key) {
        return new TestResults(connectors.test(key));
    }

    @GET
    @Path("/portfolios/{key}/drift")
    @RolesAllowed(Roles.VIEWER)
    public ConnectorService.Drift drift(@PathParam("key") String key) {
        return connectors.drift(key);
    }
}
