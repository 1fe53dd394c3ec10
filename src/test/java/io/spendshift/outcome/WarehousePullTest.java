package io.spendshift.outcome;

import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.spendshift.Api.admin;
import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * The outcomes feed pulled from a real PostgreSQL warehouse (the machine's, database {@code test}, a schema made
 * and dropped here; datasource {@code dwh} of application.properties): rows land and the facts rest on them; a bad
 * query, a timeout or bad rows store nothing and show in the source's status; the password is never answered.
 */
@QuarkusTest
class WarehousePullTest {

    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String PASSWORD = "test-warehouse-secret-4d1c";
    private static final String SCHEMA = "wh_" + Long.toString(System.nanoTime(), 36);

    @Inject
    WarehousePull warehouse;

    /** Whether a PostgreSQL server to play the warehouse is required (CI) or its absence skips this class. */
    static final boolean REQUIRED = Boolean.getBoolean("test.postgres.required");
    private static boolean created;

    @BeforeAll
    static void warehouseRows() throws SQLException {
        try (Connection ignored = DriverManager.getConnection(URL, "postgres", "")) {
            // reachable
        } catch (SQLException e) {
            String why = "WarehousePullTest reads from a real PostgreSQL at " + URL + " (user postgres), which is not"
                    + " reachable: " + e.getMessage() + ". Start PostgreSQL, or it is skipped unless"
                    + " -Dtest.postgres.required=true";
            if (REQUIRED) {
                throw new AssertionError(why, e);
            }
            org.junit.jupiter.api.Assumptions.abort(why);
        }
        created = true;
        try (Connection c = DriverManager.getConnection(URL, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + SCHEMA);
            s.execute("CREATE TABLE " + SCHEMA + ".cohorts (channel_key TEXT, acquired DATE, new_customers NUMERIC,"
                    + " ltv NUMERIC)");
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + SCHEMA + ".cohorts VALUES (?, ?, ?, ?)")) {
                for (int d = 1; d <= 10; d++) {
                    p.setString(1, "social");
                    p.setObject(2, LocalDate.now().minusDays(d));
                    p.setBigDecimal(3, new java.math.BigDecimal("2"));
                    p.setBigDecimal(4, new java.math.BigDecimal("400.00"));
                    p.addBatch();
                }
                p.executeBatch();
            }
        }
    }

    @AfterAll
    static void dropWarehouse() throws SQLException {
        if (!created) {
            return;
        }
        try (Connection c = DriverManager.getConnection(URL, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    private static String portfolio(String key) {
        return "/api/v1/portfolios/" + key;
    }

    private static Map<String, Object> sql(String query, String interval) {
        Map<String, Object> m = new HashMap<>();
        m.put("type", "SQL");
        m.put("datasource", "dwh");
        m.put("query", query);
        m.put("interval", interval);
        return m;
    }

    private static void configure(String key, String query) {
        admin().body(Map.of("outcomesSource", sql(query, "PT1H"))).patch(portfolio(key)).then()
                .log().ifValidationFails().statusCode(200);
    }

    private static long stored(String key) {
        return as("viewer").get(portfolio(key) + "/outcomes").then().statusCode(200).extract()
                .<Number>path("total").longValue();
    }

    private static String pull(String key) {
        return admin().post(portfolio(key) + "/source/pull").then().log().ifValidationFails().statusCode(200)
                .extract().asString();
    }

    @Test
    void aWarehouseQueryFeedsTheOutcomesAndTheFactsRestOnThem() {
        String key = Api.portfolioWithChannels("whok", "search", "social");
        List<Map<String, Object>> platform = new ArrayList<>();
        for (int d = 1; d <= 10; d++) {
            for (String c : List.of("search", "social")) {
                platform.add(new HashMap<>(Map.of("channel", c, "date", LocalDate.now().minusDays(d).toString(),
                        "spend", 100, "impressions", 1000, "clicks", 50, "conversions", 5, "revenue", 300)));
            }
        }
        as("ingest").body(platform).post(portfolio(key) + "/metrics").then().statusCode(200);
        String query = "SELECT channel_key AS channel, acquired AS date, new_customers, ltv FROM " + SCHEMA
                + ".cohorts -- the CRM's cohorts";
        String answer = admin().body(Map.of("outcomesSource", sql(query, null))).patch(portfolio(key)).then()
                .statusCode(200)
                .body("outcomesSource.type", equalTo("SQL"))
                .body("outcomesSource.datasource", equalTo("dwh"))
                .body("outcomesSource.interval", equalTo("PT6H"))
                .extract().asString();
        assertThat(answer).doesNotContain(PASSWORD).doesNotContain("127.0.0.1:5432");

        String report = pull(key);
        assertThat(report).contains("\"outcomeRows\":10").doesNotContain(PASSWORD);
        assertThat(stored(key)).isEqualTo(10);
        as("viewer").get(portfolio(key) + "/performance").then().statusCode(200)
                .body("channels.find { it.channel == 'social' }.valueSource", equalTo("OUTCOMES"))
                .body("channels.find { it.channel == 'social' }.newCustomers", equalTo(20))
                .body("channels.find { it.channel == 'social' }.ltv", Api.money("400.00"))
                .body("channels.find { it.channel == 'search' }.valueSource", equalTo("REVENUE"));
        String status = as("viewer").get(portfolio(key) + "/source").then().statusCode(200)
                .body("outcomes.datasource", equalTo("dwh"))
                .body("outcomes.interval", equalTo("PT6H"))
                .body("outcomes.lastPull", notNullValue())
                .body("outcomes.lastSuccess", notNullValue())
                .body("outcomes.lastError", nullValue())
                .body("outcomes.rowsIngested", equalTo(10))
                .extract().asString();
        assertThat(status).doesNotContain(PASSWORD);
        String audit = as("viewer").get("/api/v1/audit?action=OUTCOMES_INGESTED&portfolio=" + key + "&order=desc")
                .then().statusCode(200)
                .body("items[0].details.origin", equalTo("warehouse"))
                .body("items[0].details.received", equalTo(10))
                .extract().asString();
        assertThat(audit).doesNotContain(PASSWORD);

        // pulled again, the same channel-days are replaced, not added
        assertThat(pull(key)).contains("\"outcomeRows\":10");
        assertThat(stored(key)).isEqualTo(10);
    }

    @Test
    void aBadQueryATimeoutOrBadRowsShowInTheSourceAreAuditedAndStoreNothing() {
        String key = Api.portfolioWithChannels("whbad", "social");
        admin().body(Map.of("notify", List.of(Map.of("type", "EMAIL", "target", "ops@example.com",
                "events", List.of("SOURCE_FAILED"))))).patch(portfolio(key)).then().statusCode(200);
        configure(key, "SELECT channel_key AS channel, acquired AS date, new_customers, ltv FROM " + SCHEMA
                + ".no_such_table");
        assertThat(pull(key)).contains("does not exist").doesNotContain(PASSWORD);
        as("viewer").get(portfolio(key) + "/source").then().statusCode(200)
                .body("outcomes.lastError", containsString("no_such_table"))
                .body("outcomes.lastSuccess", nullValue())
                .body("outcomes.rowsIngested", equalTo(0));
        as("viewer").get("/api/v1/audit?action=SOURCE_PULL_FAILED&portfolio=" + key + "&order=desc").then()
                .statusCode(200)
                .body("items[0].details.source", equalTo("OUTCOMES_SQL"))
                .body("items[0].details.datasource", equalTo("dwh"))
                .body("items[0].details.error", containsString("no_such_table"));
        String notified = as("viewer").get(portfolio(key) + "/notifications").then().statusCode(200)
                .body("items[0].event", equalTo("SOURCE_FAILED"))
                .extract().asString();
        assertThat(notified).doesNotContain(PASSWORD);

        // the datasource's query-timeout (PT2S in tests) cancels the statement in the warehouse
        configure(key, "SELECT 'social' AS channel, CURRENT_DATE - 1 AS date, 1 AS new_customers, 10 AS ltv"
                + " FROM pg_sleep(30)");
        assertThat(pull(key)).contains("time limit of 2 s");
        as("viewer").get(portfolio(key) + "/source").then()
                .body("outcomes.lastError", containsString("exceeded its time limit"));

        // one bad row refuses the whole pull, as a post: the good row is not stored either
        configure(key, "SELECT channel_key AS channel, acquired AS date, new_customers, ltv FROM " + SCHEMA
                + ".cohorts WHERE acquired = CURRENT_DATE - 1"
                + " UNION ALL SELECT 'nope', CURRENT_DATE - 2, 1, 5");
        assertThat(pull(key)).contains("1 of 2 rows are invalid");
        as("viewer").get(portfolio(key) + "/source").then()
                .body("outcomes.lastError", containsString("row 2 channel: unknown channel 'nope'"));

        // a column the feed does not know
        configure(key, "SELECT channel_key AS channel, acquired AS date, new_customers, ltv, 1 AS spend FROM "
                + SCHEMA + ".cohorts");
        assertThat(pull(key)).contains("spend: unknown column");

        // the read-only transaction refuses a data-modifying WITH
        configure(key, "WITH gone AS (DELETE FROM " + SCHEMA + ".cohorts RETURNING *) SELECT channel_key AS channel,"
                + " acquired AS date, new_customers, ltv FROM gone");
        assertThat(pull(key)).contains("read-only");

        // more rows than the datasource's max-rows (3 for `small`)
        Map<String, Object> small = sql("SELECT channel_key AS channel, acquired AS date, new_customers, ltv FROM "
                + SCHEMA + ".cohorts", "PT1H");
        small.put("datasource", "small");
        admin().body(Map.of("outcomesSource", small)).patch(portfolio(key)).then().statusCode(200);
        assertThat(pull(key)).contains("returned more than 3 rows");

        // a datasource removed from the configuration after the portfolio named it
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> io.spendshift.portfolio.Portfolio
                .update("outcomesDatasource = 'retired' where key = ?1", key));
        assertThat(pull(key)).contains("datasource 'retired' is not configured");
        assertThat(stored(key)).as("no failed pull stored anything").isZero();
        assertThat(stored(key)).isZero();
        as("viewer").get(portfolio(key) + "/source").then().body(not(containsString(PASSWORD)));
    }

    @Test
    void theScheduleClaimsAPullOncePerInterval() {
        String key = Api.portfolioWithChannels("whsched", "social");
        configure(key, "SELECT channel_key AS channel, acquired AS date, new_customers, ltv FROM " + SCHEMA
                + ".cohorts");
        WarehousePull.Pulled first = warehouse.pull(key, "system", true);
        assertThat(first).isNotNull();
        assertThat(first.rows()).isEqualTo(10);
        assertThat(warehouse.pull(key, "system", true)).as("not due within PT1H: another poll or replica pulled")
                .isNull();
        assertThat(warehouse.pull(key, "admin", false)).as("by hand it always pulls").isNotNull();
    }

    @Test
    void theOutcomesSourceIsCheckedBeforeItIsStored() {
        String key = Api.portfolioWithChannels("whval", "social");
        Map<String, Object> http = sql("SELECT 1", null);
        http.put("type", "HTTP");
        admin().body(Map.of("outcomesSource", http)).patch(portfolio(key)).then().statusCode(400)
                .body("errors.find { it.field == 'outcomesSource.type' }.message", containsString("SQL"));
        Map<String, Object> unknown = sql("SELECT 1", null);
        unknown.put("datasource", "crm");
        admin().body(Map.of("outcomesSource", unknown)).patch(portfolio(key)).then().statusCode(400)
                .body("errors.find { it.field == 'outcomesSource.datasource' }.message",
                        equalTo("'crm' is not a configured warehouse; configured: [dwh, small]"));
        for (String query : List.of("", "DELETE FROM t", "SELECT 1; DROP TABLE t", "SELECT 1 /* open")) {
            admin().body(Map.of("outcomesSource", sql(query, null))).patch(portfolio(key)).then().statusCode(400)
                    .body("errors[0].field", equalTo("outcomesSource.query"));
        }
        for (String interval : List.of("PT14M", "6 hours")) {
            admin().body(Map.of("outcomesSource", sql("SELECT 1", interval))).patch(portfolio(key)).then()
                    .statusCode(400).body("errors[0].field", equalTo("outcomesSource.interval"));
        }
        admin().body(Map.of("outcomesSource", sql("WITH x AS (SELECT ';' AS c) SELECT c FROM x", "PT15M")))
                .patch(portfolio(key)).then().statusCode(200).body("outcomesSource.interval", equalTo("PT15M"));
        as("viewer").get(portfolio(key) + "/source").then().body("outcomes.lastPull", nullValue());
    }
}
