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
 * The role hierarchy of API.md, applied to every identity whatever authenticated it (demo users or
 * bearer tokens): {@code admin} holds every role, {@code strategist} and {@code approver} are viewers too.
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
        Set<String> expanded = expand(identity.getRoles());
        if (expanded.equals(identity.getRoles())) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRoles(expanded).build());
    }
}
