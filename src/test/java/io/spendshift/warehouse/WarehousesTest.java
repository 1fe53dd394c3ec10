package io.spendshift.warehouse;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What leaves a warehouse error never carries its password, however the driver or URL put it there. */
class WarehousesTest {

    private static WarehouseConfig.Warehouse warehouse(String url, String password) {
        return new WarehouseConfig.Warehouse() {
            public String url() {
                return url;
            }

            public Optional<String> username() {
                return Optional.of("reader");
            }

            public Optional<String> password() {
                return Optional.ofNullable(password);
            }

            public Duration queryTimeout() {
                return Duration.ofSeconds(60);
            }

            public int maxRows() {
                return 10;
            }
        };
    }

    private final Warehouses warehouses = new Warehouses(() -> Map.of(
            "dwh", warehouse("jdbc:postgresql://dwh/a", "s3cr3t-Pw"),
            "crm", warehouse("jdbc:postgresql://crm/b?password=inline-pw&ssl=true", null)));

    @Test
    void thePasswordAndAnyPasswordParameterAreRedacted() {
        assertThat(warehouses.redact("dwh", "FATAL: auth failed for 'reader' with s3cr3t-Pw"))
                .isEqualTo("FATAL: auth failed for 'reader' with ***");
        assertThat(warehouses.redact("crm", "cannot connect to jdbc:postgresql://crm/b?password=inline-pw&ssl=true"))
                .isEqualTo("cannot connect to jdbc:postgresql://crm/b?password=***&ssl=true");
        assertThat(warehouses.redact("gone", null)).isNull();
    }

    @Test
    void namesAreSortedAndAnUnknownNameIsRefusedBeforeAnyConnection() {
        assertThat(warehouses.names()).containsExactly("crm", "dwh");
        assertThat(warehouses.get("nope")).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> warehouses.open("nope"))
                .hasMessageContaining("'nope' is not configured").hasMessageContaining("[crm, dwh]");
    }
}
