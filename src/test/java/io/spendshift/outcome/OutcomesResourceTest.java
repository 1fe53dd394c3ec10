package io.spendshift.outcome;

import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.spendshift.Api.admin;
import static io.spendshift.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/**
 * The team's customer value beside the platform data: posted by channel or campaign, all or nothing, a re-post
 * replacing the channel-day, and the facts taking new customers and LTV from it with the source named.
 */
@QuarkusTest
class OutcomesResourceTest {

    private static final String D1 = LocalDate.now().minusDays(3).toString();
    private static final String D2 = LocalDate.now().minusDays(2).toString();

    private static String outcomes(String key) {
        return "/api/v1/portfolios/" + key + "/outcomes";
    }

    private static long stored(String key) {
        return as("viewer").get(outcomes(key)).then().statusCode(200).extract().<Number>path("total").longValue();
    }

    private static Map<String, Object> row(String channel, String date, Object customers, String field, Object amount) {
        Map<String, Object> m = new HashMap<>();
        m.put("channel", channel);
        m.put("date", date);
        m.put("newCustomers", customers);
        m.put(field, amount);
        return m;
    }

    @Test
    void rowsByChannelAndByCampaignAreStoredAndARepostReplacesTheChannelDay() {
        String key = Api.portfolioWithChannels("oc", "search", "social");
        admin().body(Map.of("name", "social", "kind", "social", "dailyBudget", 100, "minDailyBudget", 10,
                        "maxDailyBudget", 1000, "aliases", List.of("Prospecting FR")))
                .put("/api/v1/portfolios/" + key + "/channels/social").then().statusCode(200);
        as("ingest").body(List.of(row("search", D1, 4, "ltv", 150.25), row("search", D2, 0, "ltv", 150)))
                .post(outcomes(key)).then().statusCode(200)
                .body("received", equalTo(2)).body("inserted", equalTo(2)).body("replaced", equalTo(0));
        as("ingest").contentType("text/csv").body("campaign,date,newCustomers,value\n\"prospecting fr\"," + D1
                        + ",12.5,2350.00\n")
                .post(outcomes(key)).then().statusCode(200).body("inserted", equalTo(1));
        as("viewer").get(outcomes(key) + "?channel=social").then().statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].date", equalTo(D1))
                .body("items[0].newCustomers", Api.money("12.5"))
                .body("items[0].ltv", Api.money("188.00"))
                .body("items[0].value", Api.money("2350.00"));
        as("viewer").get(outcomes(key) + "?channel=search&from=" + D2).then()
                .body("total", equalTo(1)).body("items[0].ltv", nullValue()).body("items[0].value", Api.money("0"));

        // the cohort matured: posting the channel-day again replaces it
        as("ingest").body(List.of(row("search", D1, 4, "value", 800))).post(outcomes(key)).then().statusCode(200)
                .body("inserted", equalTo(0)).body("replaced", equalTo(1));
        as("viewer").get(outcomes(key) + "?channel=search&to=" + D1).then()
                .body("total", equalTo(1)).body("items[0].ltv", Api.money("200.00"));
        as("viewer").get("/api/v1/audit?action=OUTCOMES_INGESTED&portfolio=" + key + "&order=desc").then()
                .body("items[0].actor", equalTo("ingest"))
                .body("items[0].details.replaced", equalTo(1));
    }

    @Test
    void aBadRowRefusesTheWholePostNamingRowAndFieldAndStoresNothing() {
        String key = Api.portfolioWithChannels("ocbad", "search");
        Map<String, Object> both = row("search", D1, 3, "ltv", 100);
        both.put("value", 300);
        as("ingest").body(List.of(row("search", D1, 3, "ltv", 100), row("nope", D1, 1, "ltv", 10), both,
                        row("search", LocalDate.now().plusDays(2).toString(), 1, "ltv", 10),
                        row("search", D2, -1, "ltv", 10), row("search", D2, 0, "value", 50)))
                .post(outcomes(key)).then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("5 of 6 rows are invalid; nothing was stored"))
                .body("errors.findAll { it.row == 2 }.field", hasItem("channel"))
                .body("errors.findAll { it.row == 3 }.field", hasItem("ltv"))
                .body("errors.findAll { it.row == 4 }.field", hasItem("date"))
                .body("errors.findAll { it.row == 5 }.field", hasItem("newCustomers"))
                .body("errors.findAll { it.row == 6 }.field", hasItem("value"));
        as("ingest").contentType("text/csv").body("campaign,date,newCustomers,ltv\nno such campaign," + D1 + ",1,5\n")
                .post(outcomes(key)).then().statusCode(400)
                .body("errors[0].field", equalTo("campaign")).body("errors[0].row", equalTo(1));
        as("ingest").contentType("text/csv").body("channel,date,spend\nsearch," + D1 + ",5\n")
                .post(outcomes(key)).then().statusCode(400).body("errors[0].field", equalTo("spend"));
        as("ingest").body("{\"channel\":\"search\"}").post(outcomes(key)).then().statusCode(400);
        as("ingest").body("[]").post(outcomes(key)).then().statusCode(400);
        as("viewer").body(List.of(row("search", D1, 3, "ltv", 100))).post(outcomes(key)).then().statusCode(403);
        org.assertj.core.api.Assertions.assertThat(stored(key)).isZero();
    }

    @Test
    void theFactsTakeNewCustomersAndLtvFromTheFeedAndSayWhatTheValueRestsOn() {
        String key = Api.portfolioWithChannels("ocfacts", "search", "social");
        List<Map<String, Object>> platform = new java.util.ArrayList<>();
        for (int d = 1; d <= 10; d++) {
            String day = LocalDate.now().minusDays(d).toString();
            for (String c : List.of("search", "social")) {
                Map<String, Object> m = new HashMap<>(Map.of("channel", c, "date", day, "spend", 100,
                        "impressions", 1000, "clicks", 50, "conversions", 5, "revenue", 300));
                platform.add(m);
            }
        }
        as("ingest").body(platform).post("/api/v1/portfolios/" + key + "/metrics").then().statusCode(200);
        String performance = "/api/v1/portfolios/" + key + "/performance";
        as("viewer").get(performance).then().statusCode(200)
                .body("channels.find { it.channel == 'social' }.valueSource", equalTo("REVENUE"))
                .body("channels.find { it.channel == 'social' }.newCustomers", equalTo(0))
                .body("channels.find { it.channel == 'social' }.ltv", nullValue());
        List<Map<String, Object>> feed = new java.util.ArrayList<>();
        for (int d = 1; d <= 10; d++) {
            feed.add(row("social", LocalDate.now().minusDays(d).toString(), 2, "ltv", 400));
        }
        as("ingest").body(feed).post(outcomes(key)).then().statusCode(200).body("inserted", equalTo(10));
        as("viewer").get(performance).then().statusCode(200)
                .body("channels.find { it.channel == 'social' }.valueSource", equalTo("OUTCOMES"))
                .body("channels.find { it.channel == 'social' }.newCustomers", equalTo(20))
                .body("channels.find { it.channel == 'social' }.ltv", Api.money("400.00"))
                .body("channels.find { it.channel == 'social' }.cac", Api.money("50.00"))
                .body("channels.find { it.channel == 'search' }.valueSource", equalTo("REVENUE"));
        // a revenue-only channel's value may be scaled by its kind's long-term multiplier (policy.ltvMultiplier)
        Number searchValue = as("viewer").get("/api/v1/portfolios/" + key + "/performance").then().extract()
                .path("channels.find { it.channel == 'search' }.ltvRoas");
        org.assertj.core.api.Assertions.assertThat(searchValue).as("no LTV is known for search").isNull();
        Number marginalBefore = as("viewer").get(performance).then().extract()
                .path("channels.find { it.channel == 'search' }.marginalRoas");
        admin().contentType("application/merge-patch+json")
                .body(Map.of("policy", Map.of("ltvMultiplier", Map.of("search", 2.5))))
                .patch("/api/v1/portfolios/" + key).then().statusCode(200)
                .body("policy.ltvMultiplier.search", Api.money("2.5"));
        Number revenue = as("viewer").get(performance).then().extract()
                .path("channels.find { it.channel == 'search' }.revenue");
        Number marginal = as("viewer").get(performance).then().extract()
                .path("channels.find { it.channel == 'search' }.marginalRoas");
        org.assertj.core.api.Assertions.assertThat(revenue.doubleValue()).as("ROAS still reads revenue").isEqualTo(3000.0);
        org.assertj.core.api.Assertions.assertThat(marginal.doubleValue()).as("the marginal value, times 2.5")
                .isCloseTo(marginalBefore.doubleValue() * 2.5, org.assertj.core.data.Offset.offset(0.001))
                .isGreaterThan(0);
        admin().contentType("application/merge-patch+json")
                .body(Map.of("policy", Map.of("ltvMultiplier", Map.of("banner", 2, "social", 0))))
                .patch("/api/v1/portfolios/" + key).then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("policy.ltvMultiplier.banner",
                        "policy.ltvMultiplier.social"));
        Number ltvToCac = as("viewer").get(performance).then().extract()
                .path("channels.find { it.channel == 'social' }.ltvToCac");
        org.assertj.core.api.Assertions.assertThat(ltvToCac.doubleValue()).as("LTV 400 over CAC 50").isEqualTo(8.0);
    }

    @Test
    void aDryRunChecksEveryRowShowsTheFirstTenAndStoresNothing() {
        String key = Api.portfolioWithChannels("ocdry", "search");
        StringBuilder csv = new StringBuilder("channel,date,newCustomers,value\n");
        for (int i = 1; i <= 12; i++) {
            csv.append("search,").append(LocalDate.now().minusDays(i)).append(",2,100\n");
        }
        as("ingest").contentType("text/csv").body(csv.toString()).post(outcomes(key) + "?dryRun=true").then()
                .statusCode(200).body("received", equalTo(12)).body("rows.size()", equalTo(10))
                .body("rows[0].channel", equalTo("search")).body("rows[0].ltv", Api.money("50.00"))
                .body("rows[0].value", Api.money("100.00")).body("errors.size()", equalTo(0))
                .body("invalidRows", equalTo(0));
        // errors are listed with row and field, in a 200: nothing was asked to be stored
        as("ingest").contentType("text/csv").body(csv + "tv," + D1 + ",1,10\n").post(outcomes(key) + "?dryRun=true")
                .then().statusCode(200).body("received", equalTo(13)).body("invalidRows", equalTo(1))
                .body("errors[0].row", equalTo(13)).body("errors[0].field", equalTo("channel"));
        as("ingest").body(List.of(row("search", D1, 1, "ltv", 10))).post(outcomes(key) + "?dryRun=true").then()
                .statusCode(200).body("received", equalTo(1)).body("rows[0].newCustomers", equalTo(1));
        as("ingest").contentType("text/csv").body(csv.toString()).post(outcomes(key) + "?dryRun=maybe").then()
                .statusCode(400);
        org.assertj.core.api.Assertions.assertThat(stored(key)).isZero();

        // stored for real, the newest day comes first with order=desc (how the console finds a channel's latest)
        as("ingest").contentType("text/csv").body(csv.toString()).post(outcomes(key)).then().statusCode(200);
        as("viewer").get(outcomes(key) + "?channel=search&size=1&order=desc").then().statusCode(200)
                .body("total", equalTo(12)).body("items[0].date", equalTo(LocalDate.now().minusDays(1).toString()));
        as("viewer").get(outcomes(key) + "?order=sideways").then().statusCode(400);
    }
}
