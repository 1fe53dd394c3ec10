package io.spendshift.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint without a {@code {key}} in its path that a caller holding its role on some portfolios only
 * may still call, because the endpoint narrows what it answers itself with {@link PortfolioAccess}: a list filtered
 * to the visible portfolios, or a recommendation or run by id checked against its portfolio. An endpoint without a
 * {@code {key}} that is not marked is global: only global roles open it ({@link PortfolioAccessFilter}).
 */
@Target(ElementType.METHOD) // never a whole class: a method added later stays closed until it is marked itself
@Retention(RetentionPolicy.RUNTIME)
public @interface PortfolioScoped {
}
