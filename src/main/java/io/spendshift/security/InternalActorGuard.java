package io.spendshift.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Refuses (401) an authenticated caller whose name is one the service acts under itself ({@link Actors}), so
 * that nobody can act as {@code system} or {@code scheduler} in the audit trail, and a name that could not be
 * recorded as it is (blank, control characters, longer than the audit's 200 characters). For a bearer token
 * the name is its {@code upn}, else {@code preferred_username}, else {@code sub}.
 */
@ApplicationScoped
public class InternalActorGuard implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(InternalActorGuard.class);
    static final int MAX_NAME = 200;

    @Override
    public int priority() {
        return 100; // before the role hierarchy: a refused caller gets no roles at all
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        String name = identity.getPrincipal() == null ? null : identity.getPrincipal().getName();
        if (name == null || name.isBlank() || name.length() > MAX_NAME
                || name.chars().anyMatch(Character::isISOControl)) {
            LOG.warn("Refused a caller whose name is blank, too long or not printable");
            return Uni.createFrom().failure(new AuthenticationFailedException("unusable caller name"));
        }
        if (Actors.isInternal(name)) {
            LOG.warnf("Refused a caller named '%s': the service acts under that name itself", name.strip());
            return Uni.createFrom().failure(new AuthenticationFailedException("internal actor name"));
        }
        return Uni.createFrom().item(identity);
    }
}
