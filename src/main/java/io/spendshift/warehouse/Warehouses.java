package io.spendshift.warehouse;

import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opens read-only JDBC connections to the configured warehouses ({@link WarehouseConfig}): plain
 * {@link DriverManager} connections, one per pull (pulls are hours apart, a pool would only hold idle sessions),
 * so no build-time named datasource is needed and a warehouse is added by configuration alone.
 */
@ApplicationScoped
public class Warehouses {

    private final WarehouseConfig config;

    Warehouses(WarehouseConfig config) {
        this.config = config;
    }

    /** The configured names, sorted. */
    public Set<String> names() {
        return new TreeSet<>(config.warehouses().keySet());
    }

    public Optional<WarehouseConfig.Warehouse> get(String name) {
        return Optional.ofNullable(name == null ? null : config.warehouses().get(name));
    }

    /**
     * A connection in a read-only transaction: {@code setReadOnly(true)} and, on PostgreSQL,
     * {@code SET TRANSACTION READ ONLY}, so even a data-modifying {@code WITH} is refused by the warehouse itself.
     * The caller closes it (a rollback ends the transaction).
     */
    public Connection open(String name) throws SQLException {
        WarehouseConfig.Warehouse w = get(name).orElseThrow(() -> new SQLException("datasource '" + name
                + "' is not configured; configured: " + names()));
        Properties props = new Properties();
        w.username().ifPresent(u -> props.setProperty("user", u));
        w.password().ifPresent(p -> props.setProperty("password", p));
        Connection con = DriverManager.getConnection(w.url(), props);
        try {
            con.setReadOnly(true);
            con.setAutoCommit(false);
            if (w.url().startsWith("jdbc:postgresql:")) {
                try (Statement s = con.createStatement()) {
                    s.execute("SET TRANSACTION READ ONLY");
                }
            }
            return con;
        } catch (SQLException | RuntimeException e) {
            con.close();
            throw e;
        }
    }

    /**
     * A message fit to show, log and audit: without the datasource's password, and without any
     * {@code password=} parameter a URL might carry.
     */
    public String redact(String name, String message) {
        if (message == null) {
            return null;
        }
        String out = message.replaceAll("(?i)(password=)[^&;\\s]*", "$1***");
        Optional<String> password = get(name).flatMap(WarehouseConfig.Warehouse::password);
        if (password.isPresent() && !password.get().isEmpty()) {
            out = out.replace(password.get(), "***");
        }
        return out;
    }
}
