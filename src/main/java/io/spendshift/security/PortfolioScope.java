package io.spendshift.security;

import java.util.Set;

/**
 * The portfolios a list may show a caller: every one (a global role), or those named (roles on single
 * portfolios; possibly none).
 */
public record PortfolioScope(boolean all, Set<String> keys) {

    /** Every portfolio. */
    public static final PortfolioScope ALL = new PortfolioScope(true, Set.of());

    public PortfolioScope {
        keys = Set.copyOf(keys);
    }

    /** Only these portfolios. */
    public static PortfolioScope of(Set<String> keys) {
        return new PortfolioScope(false, keys);
    }

    /** Whether the portfolio {@code key} is in the scope. */
    public boolean includes(String key) {
        return all || keys.contains(key);
    }

    /** Whether nothing at all is in the scope (a list answers an empty page without asking the database). */
    public boolean isEmpty() {
        return !all && keys.isEmpty();
    }
}
