package io.spendshift.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashSet;
import java.util.Set;

/**
 * The role hierarchy of API.md, applied to every identity whatever authenticated it (demo users or bearer
 * tokens): {@code admin} holds every role, {@code strategist} and {@code approver} are viewers too. It applies
 * within a portfolio as globally: groups {@code portfolio:<key>:<role>} become {@link Grants} (stored as the
 * identity's attribute {@link Grants#ATTRIBUTE}), and each role held on some portfolio is added to the identity's
 * roles, so that {@code @RolesAllowed} lets the caller through the door; {@link PortfolioAccessFilter} then
 * decides on the portfolio.
 */
@ApplicationScoped
public class RoleHierarchy implements SecurityIdentityAugmentor {

    static Set<String> expand(Set<String> roles) {
        Set<String> all = new HashSet<>(roles);
        if (roles.contains(Roles.ADMIN)) {
            all.addAll(Roles.ALL);
        }
        if (roles.contains(Roles.STRATEGIST) || roles.contains(Roles.APPROVER)) {
            all.add(Roles.VIEWER);
        }
        return all;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        Grants grants = Grants.of(identity.getRoles());
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRoles(grants.doorRoles())
                .addAttribute(Grants.ATTRIBUTE, grants).build());
    }
}
