package io.spendshift.metrics;

import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.spendshift.Api.as;
import static io.spendshift.Api.row;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class MetricsResourceTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String D1 = LocalDate.now().minusDays(3).toString();
    private static final String D2 = LocalDate.now().minusDays(2).toString();

    private static String metrics(String key) {
        return "/api/v1/portfolios/" + key + "/metrics";
    }

    private static long stored(String key) {
        return as("viewer").get(metrics(key)).then().statusCode(200).extract().<Number>path("total").longValue();
    }

    @Test
    void jsonRowsAreInsertedAndReadBack() {
        String key = Api.portfolioWithChannels("mj", "search", "social");
        as("ingest").body(List.of(
                        row("search", D1, 100.5, 1000, 50, 5, 400, 3, 120.25),
                        row("social", D1, 80, 2000, 40, 2, 90, 2, null)))
                .post(metrics(key))
                .then().statusCode(200)
                .body("received", equalTo(2)).body("inserted", equalTo(2)).body("updated", equalTo(0));
        as("viewer").get(metrics(key) + "?channel=search")
                .then().statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].date", equalTo(D1))
                .body("items[0].spend", Api.money("100.5"))
                .body("items[0].ltv", Api.money("120.25"))
                .body("items[0].newCustomers", equalTo(3));
    }

    @Test
    void rowsWithoutNewCustomersAreStoredWithThemUnknownFromJsonAndCsv() {
        String key = Api.portfolioWithChannels("nocust", "search", "social");
        Map<String, Object> platformRow = new HashMap<>(Map.of("channel", "search", "date", D1, "spend", 100,
                "impressions", 1000, "clicks", 50, "conversions", 4.5, "revenue", 300));
        as("ingest").body(List.of(platformRow)).post(metrics(key)).then().statusCode(200).body("inserted", equalTo(1));
        as("ingest").contentType("text/csv").body("channel,date,spend,impressions,clicks,conversions,revenue\n"
                        + "social," + D1 + ",80,2000,40,2,90\n")
                .post(metrics(key)).then().statusCode(200).body("inserted", equalTo(1));
        as("viewer").get(metrics(key) + "?channel=search").then().statusCode(200)
                .body("items[0].newCustomers", org.hamcrest.Matchers.nullValue())
                .body("items[0].ltv", org.hamcrest.Matchers.nullValue())
                .body("items[0].conversions", Api.money("4.5"));
        as("viewer").get(metrics(key) + "?channel=social").then().statusCode(200)
                .body("items[0].newCustomers", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void reingestingTheSameRowsUpdatesInsteadOfDuplicating() {
        String key = Api.portfolioWithChannels("idem", "search");
        var body = List.of(row("search", D1, 10, 100, 10, 1, 20, 1, null), row("search", D2, 11, 100, 10, 1, 21, 1, null));
        as("ingest").body(body).post(metrics(key)).then().statusCode(200).body("inserted", equalTo(2));
        as("ingest").body(body).post(metrics(key)).then().statusCode(200)
                .body("inserted", equalTo(0)).body("updated", equalTo(2));
        as("ingest").body(List.of(row("search", D1, 99, 100, 10, 1, 20, 1, null))).post(metrics(key))
                .then().statusCode(200).body("updated", equalTo(1));
        org.assertj.core.api.Assertions.assertThat(stored(key)).isEqualTo(2);
        as("viewer").get(metrics(key) + "?from=" + D1 + "&to=" + D1).then().body("items[0].spend", Api.money("99"));
    }

    @Test
    void csvWithQuotedFieldsAndAnyColumnOrderIsIngested() {
        String key = Api.portfolioWithChannels("csv", "search", "social");
        String csv = "date,channel,spend,impressions,clicks,conversions,revenue,newCustomers,ltv\n"
                + D1 + ",\"search\",\"1200.50\",10000,300,20,4000,15,\n"
                + "\n"
                + D1 + ",social,50,500,5,1,30,1,80.5\n";
        as("ingest").contentType("text/csv").body(csv).post(metrics(key))
                .then().statusCode(200).body("received", equalTo(2)).body("inserted", equalTo(2));
        as("viewer").get(metrics(key) + "?channel=search").then().body("items[0].spend", Api.money("1200.5"))
                .body("items[0].ltv", org.hamcrest.Matchers.nullValue());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown channel|channel|radio",
            "negative spend|spend|-1",
            "three decimals|spend|1.234",
            "money above 10^12|revenue|1000000000001",
            "seven decimals in a count|conversions|1.1234567",
            "fractional clicks|clicks|1.5",
            "negative count|newCustomers|-2",
            "text for a number|impressions|lots",
            "bad date|date|2026-02-30",
            "future date|date|FUTURE",
            "missing field|revenue|MISSING",
            "unknown field|colour|red",
    })
    void aBadRowRejectsTheWholeBatchWithOneErrorPerBadRow(String title, String field, String value) {
        String key = Api.portfolioWithChannels("bad", "search");
        Map<String, Object> bad = new HashMap<>(row("search", D2, 10, 100, 10, 1, 20, 1, null));
        Object v = switch (value) {
            case "FUTURE" -> LocalDate.now().plusDays(2).toString();
            case "MISSING" -> null;
            default -> value.matches("-?[0-9.]+") ? new java.math.BigDecimal(value) : value;
        };
        if (field.equals("date") || field.equals("channel")) {
            v = value.equals("FUTURE") ? v : value;
        }
        if (v == null) {
            bad.remove(field);
        } else {
            bad.put(field, v);
        }
        as("ingest").body(List.of(row("search", D1, 10, 100, 10, 1, 20, 1, null), bad))
                .post(metrics(key))
                .then().statusCode(400).contentType(PROBLEM)
                .body("errors", hasSize(1))
                .body("errors[0].field", equalTo(field))
                .body("errors[0].row", equalTo(2))
                .body("detail", containsString("nothing was stored"));
        org.assertj.core.api.Assertions.assertThat(stored(key)).isZero();
    }

    @Test
    void clicksAboveImpressionsAndDuplicatesInOneBatchAreRowErrors() {
        String key = Api.portfolioWithChannels("clk", "search");
        as("ingest").body(List.of(
                        row("search", D1, 10, 10, 11, 1, 20, 1, null),
                        row("search", D2, 10, 100, 10, 1, 20, 1, null),
                        row("search", D2, 10, 100, 10, 1, 20, 1, null)))
                .post(metrics(key))
                .then().statusCode(400)
                .body("errors.row", contains(1, 3))
                .body("errors.field", contains("clicks", "date"));
        org.assertj.core.api.Assertions.assertThat(stored(key)).isZero();
    }

    @Test
    void csvRowErrorsCountDataRowsNotTheHeader() {
        String key = Api.portfolioWithChannels("csvbad", "search");
        String csv = "channel,date,spend,impressions,clicks,conversions,revenue,newCustomers\n"
                + "search," + D1 + ",10,100,10,1,20,1\n"
                + "search," + D2 + ",abc,100,10,1,20,1\n"
                + "search," + D2 + ",10,100\n";
        as("ingest").contentType("text/csv").body(csv).post(metrics(key))
                .then().statusCode(400)
                .body("errors.row", contains(2, 3))
                .body("errors[0].field", equalTo("spend"));
        org.assertj.core.api.Assertions.assertThat(stored(key)).isZero();
    }

    @Test
    void malformedBodiesAreProblems() {
        String key = Api.portfolioWithChannels("malformed", "search");
        as("ingest").body("[{\"channel\": \"search\", ").post(metrics(key))
                .then().statusCode(400).contentType(PROBLEM).body("title", equalTo("Malformed JSON"));
        as("ingest").body("{\"channel\": \"search\"}").post(metrics(key))
                .then().statusCode(400).body("errors[0].field", equalTo("body"));
        as("ingest").contentType("text/csv").body("channel,date,spend,impressions,clicks,conversions,revenue,newCustomers\n"
                        + "\"search," + D1 + ",1,1,1,1,1,1\n")
                .post(metrics(key)).then().statusCode(400).contentType(PROBLEM).body("title", equalTo("Malformed CSV"));
        as("ingest").contentType("text/csv").body("channel,date,spend\nsearch," + D1 + ",1\n")
                .post(metrics(key)).then().statusCode(400)
                .body("errors.field", hasItem("impressions"));
        as("ingest").contentType("text/csv").body("").post(metrics(key)).then().statusCode(400);
        as("ingest").contentType("application/xml").body("<x/>").post(metrics(key)).then().statusCode(415);
        org.assertj.core.api.Assertions.assertThat(stored(key)).isZero();
    }

    @Test
    void nanAndHugeNumbersInJsonAreRefused() {
        String key = Api.portfolioWithChannels("nan", "search");
        as("ingest").body("[{\"channel\":\"search\",\"date\":\"" + D1 + "\",\"spend\":NaN,\"impressions\":1,"
                        + "\"clicks\":1,\"conversions\":1,\"revenue\":1,\"newCustomers\":1}]")
                .post(metrics(key)).then().statusCode(400).contentType(PROBLEM);
        as("ingest").body("[{\"channel\":\"search\",\"date\":\"" + D1 + "\",\"spend\":1e400,\"impressions\":1,"
                        + "\"clicks\":1,\"conversions\":1,\"revenue\":1,\"newCustomers\":1}]")
                .post(metrics(key)).then().statusCode(400).body("errors[0].field", equalTo("spend"));
    }

    @Test
    void metricsEndpointsCheckRolesAndPortfolios() {
        String key = Api.portfolioWithChannels("mrole", "search");
        as("viewer").body(List.of()).post(metrics(key)).then().statusCode(403);
        as("strategist").body(List.of()).post(metrics(key)).then().statusCode(403);
        as("admin").body(List.of()).post(metrics(key)).then().statusCode(200).body("received", equalTo(0));
        as("ingest").get(metrics(key)).then().statusCode(403);
        as("ingest").body(List.of()).post(metrics("no-such-portfolio")).then().statusCode(404);
        as("viewer").get(metrics(key) + "?channel=nope").then().statusCode(404);
        as("viewer").get(metrics(key) + "?from=yesterday").then().statusCode(400)
                .body("errors[0].field", equalTo("from"));
    }

    @Test
    void theDemoPortfolioHasSixChannelsAndNinetyDaysOfMetrics() {
        as("viewer").get("/api/v1/portfolios/demo").then().statusCode(200).body("channels", equalTo(6));
        as("viewer").get("/api/v1/portfolios/demo/channels").then()
                .body("items.kind", org.hamcrest.Matchers.containsInAnyOrder("search", "social", "display", "video",
                        "commerce", "email"));
        as("viewer").get(metrics("demo") + "?channel=search").then().body("total", equalTo(90));
        as("viewer").get(metrics("demo")).then().body("total", equalTo(540));
    }
}
