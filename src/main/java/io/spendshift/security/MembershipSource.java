package io.spendshift.security;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where demo users' portfolio memberships are stored (the membership API writes them): the roles a user holds on
 * single portfolios. A port, so that this package needs nothing of the portfolios.
 */
public interface MembershipSource {

    /** A user name memberships may be stored for: a demo login name, or an e-mail address. */
    Pattern USER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,199}");

    /** Whether memberships may be stored for {@code user} (the pattern, and not a name the service acts under). */
    static boolean isUserName(String user) {
        return user != null && USER_NAME.matcher(user).matches() && !Actors.isInternal(user);
    }

    /** Portfolio key to the roles {@code user} holds on it; empty for a user without memberships. */
    Map<String, Set<String>> memberships(String user);
}
