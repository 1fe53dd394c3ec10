package io.spendshift.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.spendshift.common.Keys;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a caller holds: global roles, which mean "on every portfolio", and roles on single portfolios, from groups
 * {@code portfolio:<key>:<role>} (a token's groups claim, or a demo user's stored memberships). The hierarchy
 * ({@link RoleHierarchy#expand}) applies within a portfolio as it does globally: {@code portfolio:acme:admin}
 * holds every role on acme. A group that is not exactly {@code portfolio:<slug>:<one of the five roles>} grants
 * nothing.
 *
 * @param global     the global roles, expanded
 * @param portfolios portfolio key to the roles held on it (expanded), besides the global ones
 */
public record Grants(Set<String> global, Map<String, Set<String>> portfolios) {

    /** The identity attribute {@link RoleHierarchy} stores the grants under. */
    public static final String ATTRIBUTE = "io.spendshift.grants";
    /** The prefix of a portfolio-scoped group. */
    public static final String PREFIX = "portfolio:";

    public Grants {
        global = Set.copyOf(global);
        Map<String, Set<String>> copy = new TreeMap<>();
        portfolios.forEach((k, v) -> copy.put(k, Set.copyOf(v)));
        portfolios = java.util.Collections.unmodifiableMap(copy);
    }

    /** The grants of role and group names: plain roles are global, {@code portfolio:<key>:<role>} scoped. */
    public static Grants of(Collection<String> names) {
        Set<String> global = new HashSet<>();
        Map<String, Set<String>> scoped = new TreeMap<>();
        for (String n : names) {
            if (n == null) {
                continue;
            }
            if (!n.startsWith(PREFIX)) {
                global.add(n);
                continue;
            }
            String[] parts = n.split(":", -1);
            if (parts.length == 3 && Keys.isSlug(parts[1]) && Roles.isRole(parts[2])) {
                scoped.computeIfAbsent(parts[1], k -> new HashSet<>()).add(parts[2]);
            }
        }
        Set<String> expandedGlobal = RoleHierarchy.expand(global);
        Map<String, Set<String>> expanded = new TreeMap<>();
        scoped.forEach((k, roles) -> expanded.put(k, RoleHierarchy.expand(roles)));
        return new Grants(expandedGlobal, expanded);
    }

    /** The grants of an identity: as {@link RoleHierarchy} stored them, else read from its roles. */
    public static Grants of(SecurityIdentity identity) {
        Grants stored = identity.getAttribute(ATTRIBUTE);
        return stored != null ? stored : of(identity.getRoles());
    }

    /** The group name of a role on a portfolio. */
    public static String group(String portfolio, String role) {
        return PREFIX + portfolio + ":" + role;
    }

    /** The roles {@code @RolesAllowed} checks: the global ones and every role held on some portfolio. */
    public Set<String> doorRoles() {
        Set<String> all = new HashSet<>(global);
        portfolios.values().forEach(all::addAll);
        return all;
    }

    /** Whether {@code role} is held globally, i.e. on every portfolio. */
    public boolean holdsGlobally(String role) {
        return global.contains(role);
    }

    /** Whether {@code role} is held on the portfolio {@code key}, globally or there. */
    public boolean holds(String key, String role) {
        return holdsGlobally(role) || portfolios.getOrDefault(key, Set.of()).contains(role);
    }

    /**
     * Whether the portfolio exists for the caller: any global role (a global role reaches every portfolio), or
     * any role on it. A portfolio the caller does not see answers 404, like one that does not exist.
     */
    public boolean sees(String key) {
        return global.stream().anyMatch(Roles::isRole) || portfolios.containsKey(key);
    }

    /** The portfolios on which {@code role} is held: all of them for a global role. */
    public PortfolioScope scope(String role) {
        if (holdsGlobally(role)) {
            return PortfolioScope.ALL;
        }
        Set<String> keys = new java.util.TreeSet<>();
        portfolios.forEach((k, roles) -> {
            if (roles.contains(role)) {
                keys.add(k);
            }
        });
        return PortfolioScope.of(keys);
    }
}
