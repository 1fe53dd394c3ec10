package io.spendshift;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;

/** Test helpers: requests as each demo user, and portfolios with channels to test against. */
public final class Api {

    private static final AtomicInteger SEQ = new AtomicInteger();

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        // money comes back as BigDecimal, so amounts compare exactly
        RestAssured.config = RestAssured.config().jsonConfig(io.restassured.config.JsonConfig.jsonConfig()
                .numberReturnType(io.restassured.path.json.config.JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    /** Matches a JSON money amount, whatever its scale. */
    public static org.hamcrest.Matcher<Object> money(String amount) {
        java.math.BigDecimal expected = new java.math.BigDecimal(amount);
        return new org.hamcrest.TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(Object actual) {
                return actual instanceof Number && new java.math.BigDecimal(actual.toString()).compareTo(expected) == 0;
            }

            @Override
            public void describeTo(org.hamcrest.Description d) {
                d.appendText("an amount of " + amount);
            }
        };
    }

    private Api() {
    }

    public static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user).contentType(ContentType.JSON);
    }

    public static RequestSpecification admin() {
        return as("admin");
    }

    /** A fresh, unique portfolio key, so tests never see each other's data. */
    public static String uniqueKey(String prefix) {
        return prefix + "-" + System.nanoTime() % 1_000_000_000L + "-" + SEQ.incrementAndGet();
    }

    /** Creates a portfolio (EUR, UTC, defaults) with the given channels, each with budget 100 in [10, 1000]. */
    public static String portfolioWithChannels(String prefix, String... channels) {
        String key = uniqueKey(prefix);
        admin().body(Map.of("key", key, "name", "Test " + key, "currency", "EUR"))
                .post("/api/v1/portfolios").then().statusCode(201);
        for (String c : channels) {
            admin().body(Map.of("name", c, "kind", "search", "dailyBudget", 100, "minDailyBudget", 10,
                            "maxDailyBudget", 1000))
                    .put("/api/v1/portfolios/" + key + "/channels/" + c).then().statusCode(201);
        }
        return key;
    }

    public static Map<String, Object> row(String channel, String date, Object spend, Object impressions, Object clicks,
                                          Object conversions, Object revenue, Object newCustomers, Object ltv) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("channel", channel);
        m.put("date", date);
        m.put("spend", spend);
        m.put("impressions", impressions);
        m.put("clicks", clicks);
        m.put("conversions", conversions);
        m.put("revenue", revenue);
        m.put("newCustomers", newCustomers);
        if (ltv != null) {
            m.put("ltv", ltv);
        }
        return m;
    }

    public static List<Map<String, Object>> rows(Map<String, Object>... rows) {
        return List.of(rows);
    }
}
