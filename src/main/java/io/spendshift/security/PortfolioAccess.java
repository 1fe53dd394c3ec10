package io.spendshift.security;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.spendshift.common.NotFound;
import jakarta.enterprise.context.RequestScoped;

import java.util.Arrays;

/**
 * The one check of "may this caller reach this portfolio", for requests: {@link PortfolioAccessFilter} applies it to
 * every {@code /portfolios/{key}/...} endpoint, and the endpoints that reach portfolio data otherwise (a
 * recommendation or run by id, the lists) call it themselves. A portfolio the caller may not see is a 404 worded as
 * for one that does not exist; one they see but hold none of the roles on is a 403.
 */
@RequestScoped
public class PortfolioAccess {

    private final SecurityIdentity identity;

    PortfolioAccess(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The caller's grants. */
    public Grants grants() {
        return Grants.of(identity);
    }

    /** The portfolio {@code key} with one of {@code roles} on it: else 404 (not seen) or 403 (seen, no role). */
    public void require(String key, String... roles) {
        check(grants(), key, () -> new NotFound("Portfolio", key), roles);
    }

    /**
     * Something of a portfolio named by an id ({@code what} {@code id}, e.g. a recommendation): 404 as for an unknown
     * id when the caller may not see its portfolio, 403 when they hold none of {@code roles} there. {@code portfolio}
     * looks the portfolio up (404 itself for an unknown id); it is not asked when a role is held globally.
     */
    public void requireOf(String what, long id, java.util.function.Supplier<String> portfolio, String... roles) {
        Grants g = grants();
        if (Arrays.stream(roles).anyMatch(g::holdsGlobally)) {
            return;
        }
        check(g, portfolio.get(), () -> new NotFound(what, Long.toString(id)), roles);
    }

    /** The portfolios a list may show for {@code role}. */
    public PortfolioScope scope(String role) {
        return grants().scope(role);
    }

    static void check(Grants g, String key, java.util.function.Supplier<NotFound> unseen, String... roles) {
        if (!g.sees(key)) {
            throw unseen.get();
        }
        if (Arrays.stream(roles).noneMatch(r -> g.holds(key, r))) {
            throw new ForbiddenException();
        }
    }
}
