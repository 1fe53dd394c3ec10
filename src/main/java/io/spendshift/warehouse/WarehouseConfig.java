package io.spendshift.warehouse;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The warehouses a portfolio's {@code outcomesSource} may query, by name: {@code spendshift.warehouse.<name>.*}.
 * Plain JDBC (PostgreSQL driver shipped), opened per pull, read-only; nothing here is ever stored or shown but
 * the name.
 */
@ConfigMapping(prefix = "spendshift.warehouse")
public interface WarehouseConfig {

    /** The configured warehouses by name. */
    @WithParentName
    Map<String, Warehouse> warehouses();

    interface Warehouse {
        /** JDBC URL, e.g. {@code jdbc:postgresql://dwh:5432/analytics}. */
        String url();

        /** The user; a read-only role is advised. */
        Optional<String> username();

        /** The password (from a Secret); never answered, logged or audited. */
        Optional<String> password();

        /** Time limit of one outcomes query (JDBC statement timeout, whole seconds, at least 1). */
        @WithDefault("PT60S")
        Duration queryTimeout();

        /** The most rows one pull may return; more refuse the pull (nothing stored). */
        @WithDefault("500000")
        int maxRows();
    }
}
