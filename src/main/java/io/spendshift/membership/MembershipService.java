package io.spendshift.membership;

import io.spendshift.SpendshiftConfig;
import io.spendshift.audit.AuditAction;
import io.spendshift.audit.AuditService;
import io.spendshift.common.Conflict;
import io.spendshift.common.FieldError;
import io.spendshift.common.InvalidInput;
import io.spendshift.common.NotFound;
import io.spendshift.common.Page;
import io.spendshift.portfolio.Portfolio;
import io.spendshift.security.MembershipSource;
import io.spendshift.security.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Demo users' roles on single portfolios ({@code /portfolios/{key}/members}): validated, stored, audited
 * ({@code MEMBERSHIP_GRANTED} for roles added, {@code MEMBERSHIP_REVOKED} for roles taken away, in the transaction
 * of the change). They apply at the user's next demo login; with demo mode off, roles on portfolios come from the
 * bearer token's groups, so nothing is stored then (409).
 */
@ApplicationScoped
@Transactional
public class MembershipService {

    /** At most this many entries in {@code roles} (there are five roles; duplicates are dropped). */
    static final int MAX_ROLES = 20;

    private final MembershipStore store;
    private final AuditService audit;
    private final Clock clock;
    private final boolean demo;

    MembershipService(MembershipStore store, AuditService audit, Clock clock, SpendshiftConfig config) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
        this.demo = config.demo();
    }

    /** The body of a PUT: the roles the user holds on the portfolio from now on (replacing the ones before). */
    public record MemberInput(List<String> roles) {
    }

    /** A member as answered: the roles granted (as granted; each implies what the hierarchy says), the last grant. */
    public record MemberView(String user, List<String> roles, Instant grantedAt, String grantedBy) {
    }

    /** The outcome of a PUT: created when the user held no role on the portfolio before. */
    public record Saved(boolean created, MemberView member) {
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<MemberView> list(String key, int page, int size) {
        Page.check(page, size);
        Portfolio p = Portfolio.require(key);
        Map<String, List<MembershipStore.Grant>> byUser = new TreeMap<>();
        store.page(p.id, page, size).forEach(g -> byUser.computeIfAbsent(g.user(), u -> new ArrayList<>()).add(g));
        return new Page<>(byUser.values().stream().map(MembershipService::view).toList(), page, size, store.count(p.id));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public MemberView get(String key, String user) {
        Portfolio p = Portfolio.require(key);
        List<MembershipStore.Grant> grants = MembershipSource.isUserName(user) ? store.grants(p.id, user) : List.of();
        if (grants.isEmpty()) {
            throw notFound(key, user);
        }
        return view(grants);
    }

    /** Replaces the roles {@code user} holds on the portfolio; audited when anything changes. */
    public Saved put(String key, String user, MemberInput in, String actor) {
        Portfolio p = Portfolio.require(key);
        List<String> roles = validate(user, in);
        requireDemo();
        store.lock(p.id);
        Set<String> before = held(store.grants(p.id, user));
        Instant now = clock.instant();
        List<String> added = roles.stream().filter(r -> !before.contains(r)).toList();
        List<String> removed = Roles.ordered(before).stream().filter(r -> !roles.contains(r)).toList();
        added.forEach(r -> store.insert(p.id, user, r, now, actor));
        removed.forEach(r -> store.delete(p.id, user, r));
        if (!added.isEmpty()) {
            audit.append(event(actor, AuditAction.MEMBERSHIP_GRANTED, key, user, added, roles));
        }
        if (!removed.isEmpty()) {
            audit.append(event(actor, AuditAction.MEMBERSHIP_REVOKED, key, user, removed, roles));
        }
        return new Saved(before.isEmpty(), view(store.grants(p.id, user)));
    }

    /** Takes every role {@code user} holds on the portfolio; audited. */
    public void revoke(String key, String user, String actor) {
        Portfolio p = Portfolio.require(key);
        requireDemo();
        store.lock(p.id);
        List<String> before = MembershipSource.isUserName(user) ? Roles.ordered(held(store.grants(p.id, user)))
                : List.of();
        if (before.isEmpty()) {
            throw notFound(key, user);
        }
        before.forEach(r -> store.delete(p.id, user, r));
        audit.append(event(actor, AuditAction.MEMBERSHIP_REVOKED, key, user, before, List.of()));
    }

    /** Every problem of a PUT at once: the user name, and the roles; the roles in the order of {@link Roles#ALL}. */
    static List<String> validate(String user, MemberInput in) {
        List<FieldError> errors = new ArrayList<>();
        if (!MembershipSource.isUserName(user)) {
            errors.add(FieldError.of("user", "must be 1 to 200 letters, digits, '.', '_', '@', '+' or '-', starting"
                    + " with a letter or digit, and not a name the service acts under (" + String.join(", ",
                    io.spendshift.security.Actors.INTERNAL.stream().sorted().toList()) + ")"));
        }
        Set<String> roles = new LinkedHashSet<>();
        if (in == null || in.roles() == null || in.roles().isEmpty()) {
            errors.add(FieldError.of("roles", "is required: one or more of " + Roles.ALL
                    + " (DELETE the member to take every role)"));
        } else if (in.roles().size() > MAX_ROLES) {
            errors.add(FieldError.of("roles", "must have at most " + MAX_ROLES + " entries"));
        } else {
            for (int i = 0; i < in.roles().size(); i++) {
                String r = in.roles().get(i);
                if (!Roles.isRole(r)) {
                    errors.add(FieldError.of("roles[" + i + "]", "must be one of " + Roles.ALL));
                } else {
                    roles.add(r);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw InvalidInput.of("The membership is not valid", errors);
        }
        return Roles.ordered(roles);
    }

    private void requireDemo() {
        if (!demo) {
            throw new Conflict("Memberships are stored for demo users only; with demo mode off, a user's roles on"
                    + " portfolios come from the bearer token's groups (portfolio:<key>:<role>)");
        }
    }

    private static AuditService.Event event(String actor, AuditAction action, String key, String user,
                                            List<String> roles, List<String> held) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("user", user);
        details.put("roles", roles);
        details.put("held", held);
        return new AuditService.Event(actor, action, "member", user, key, null, details);
    }

    private static Set<String> held(List<MembershipStore.Grant> grants) {
        Set<String> roles = new LinkedHashSet<>();
        grants.forEach(g -> roles.add(g.role()));
        return roles;
    }

    private static MemberView view(List<MembershipStore.Grant> grants) {
        MembershipStore.Grant last = grants.stream().max(Comparator.comparing(MembershipStore.Grant::grantedAt)
                .thenComparing(MembershipStore.Grant::role)).orElseThrow();
        return new MemberView(last.user(), Roles.ordered(held(grants)), last.grantedAt(), last.grantedBy());
    }

    private static NotFound notFound(String key, String user) {
        return new NotFound("Member", key + "/" + user);
    }
}
