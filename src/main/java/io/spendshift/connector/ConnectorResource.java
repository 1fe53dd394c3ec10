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

/** The connectors' status (API.md, issue 16); a portfolio's test and drift are in the nested classes. */
@Path("/api/v1/connectors")
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
    @RolesAllowed(Roles.VIEWER)
    public ConnectorList list() {
        return new ConnectorList(connectors.statuses());
    }

    /** A portfolio's connection test (its own class path: JAX-RS picks a class by its path before its methods). */
    @Path("/api/v1/portfolios/{key}/connectors")
    @Produces(MediaType.APPLICATION_JSON)
    public static class PortfolioConnectors {

        private final ConnectorService connectors;

        PortfolioConnectors(ConnectorService connectors) {
            this.connectors = connectors;
        }

        @POST
        @Path("/test")
        @RolesAllowed(Roles.ADMIN)
        public TestResults test(@PathParam("key") String key) {
            return new TestResults(connectors.test(key));
        }
    }

    /** A portfolio's budgets against the platforms'. */
    @Path("/api/v1/portfolios/{key}/drift")
    @Produces(MediaType.APPLICATION_JSON)
    public static class PortfolioDrift {

        private final ConnectorService connectors;

        PortfolioDrift(ConnectorService connectors) {
            this.connectors = connectors;
        }

        @GET
        @RolesAllowed(Roles.VIEWER)
        public ConnectorService.Drift drift(@PathParam("key") String key) {
            return connectors.drift(key);
        }
    }
}
