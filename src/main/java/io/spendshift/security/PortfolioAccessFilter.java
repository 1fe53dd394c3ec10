package io.spendshift.security;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.spendshift.common.NotFound;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The portfolio door of every endpoint, in one place. {@code @RolesAllowed} lets in a caller who holds the role
 * globally or on some portfolio ({@link RoleHierarchy} grants it); this filter then decides for a caller who holds
 * none of the endpoint's roles globally:
 * <ul>
 * <li>a path {@code /api/v1/portfolios/{key}/...}: 404 when the caller may not see that
 * portfolio, exactly as for an unknown one; 403 when they see it but hold none of the roles on it;</li>
 * <li>an endpoint marked {@link PortfolioScoped}: let through, it narrows its answer itself;</li>
 * <li>anything else is global (rules, simulations, connectors, the audit chain): 403.</li>
 * </ul>
 * A new endpoint is thus closed to portfolio-scoped callers until its path names the portfolio or it is marked.
 */
public class PortfolioAccessFilter {

    /** The path parameter that names a portfolio, in paths under {@link #PORTFOLIOS}. */
    static final String KEY = "key";
    static final String PORTFOLIOS = "/api/v1/portfolios/";

    private final CurrentIdentityAssociation identities;
    private final Map<String, Door> doors = new ConcurrentHashMap<>();

    PortfolioAccessFilter(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    /** What an endpoint's annotations say: the roles of its door, and whether it narrows its answer itself. */
    record Door(List<String> roles, boolean scoped) {

        static Door of(Class<?> type, Method m) {
            RolesAllowed allowed = m.isAnnotationPresent(RolesAllowed.class) ? m.getAnnotation(RolesAllowed.class)
                    : type.getAnnotation(RolesAllowed.class);
            return new Door(allowed == null ? List.of() : List.of(allowed.value()),
                    m.isAnnotationPresent(PortfolioScoped.class));
        }
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 1)
    public Uni<Void> check(SimpleResourceInfo resource, UriInfo uri) {
        Door door = door(resource);
        if (door.roles().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String path = uri.getPath().startsWith("/") ? uri.getPath() : "/" + uri.getPath();
        String key = path.startsWith(PORTFOLIOS) ? uri.getPathParameters().getFirst(KEY) : null;
        return identities.getDeferredIdentity().invoke(identity -> decide(identity, door, key)).replaceWithVoid();
    }

    static void decide(SecurityIdentity identity, Door door, String key) {
        if (identity.isAnonymous() || door.roles().stream().noneMatch(identity::hasRole)) {
            return; // @RolesAllowed answers: 401 or 403
        }
        Grants g = Grants.of(identity);
        if (door.roles().stream().anyMatch(g::holdsGlobally)) {
            return; // a global role reaches every portfolio; the endpoint's own 404 stays for unknown ones
        }
        if (key != null) {
            PortfolioAccess.check(g, key, () -> new NotFound("Portfolio", key), door.roles().toArray(String[]::new));
            return;
        }
        if (!door.scoped()) {
            throw new ForbiddenException();
        }
    }

    private Door door(SimpleResourceInfo r) {
        String id = r.getResourceClass().getName() + "#" + r.getMethodName() + Arrays.toString(r.parameterTypes());
        return doors.computeIfAbsent(id, k -> {
            try {
                return Door.of(r.getResourceClass(), r.getResourceClass().getMethod(r.getMethodName(), r.parameterTypes()));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("resource method not found: " + k, e);
            }
        });
    }
}
