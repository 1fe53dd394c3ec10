package io.spendshift.portfolio;

import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static io.spendshift.Api.admin;
import static io.spendshift.Api.as;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
class PortfolioResourceTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void createsAPortfolioWithPolicyDefaultsAndALocation() {
        String key = Api.uniqueKey("create");
        admin().body(Map.of("key", key, "name", "Brand FR", "currency", "EUR", "timeZone", "Europe/Paris",
                        "policy", Map.of("maxShiftPct", 15)))
                .post("/api/v1/portfolios")
                .then().statusCode(201)
                .header("Location", endsWith("/api/v1/portfolios/" + key))
                .body("key", equalTo(key))
                .body("mode", equalTo("RECOMMEND"))
                .body("timeZone", equalTo("Europe/Paris"))
                .body("policy.maxShiftPct", Api.money("15"))
                .body("policy.lookbackDays", equalTo(28))
                .body("policy.minConversions", equalTo(30))
                .body("policy.cooldownDays", equalTo(3))
                .body("policy.autoApplyMaxShiftPct", Api.money("10"))
                .body("policy.minLtvToCac", Api.money("3"))
                .body("policy.targetRoas", nullValue());

        as("viewer").get("/api/v1/portfolios/" + key).then().statusCode(200).body("name", equalTo("Brand FR"));
    }

    @Test
    void timeZoneDefaultsToUtc() {
        String key = Api.uniqueKey("utc");
        admin().body(Map.of("key", key, "name", "n", "currency", "USD")).post("/api/v1/portfolios")
                .then().statusCode(201).body("timeZone", equalTo("UTC"));
    }

    @Test
    void aSecondPortfolioWithTheSameKeyIsAConflict() {
        String key = Api.portfolioWithChannels("dup");
        admin().body(Map.of("key", key, "name", "again", "currency", "EUR")).post("/api/v1/portfolios")
                .then().statusCode(409).contentType(PROBLEM);
    }

    @ParameterizedTest(name = "{0} = {1} is refused")
    @CsvSource(delimiter = '|', value = {
            "key|Not A Slug",
            "key|-starts-with-dash",
            "currency|EURO",
            "currency|XYZ",
            "timeZone|Mars/Olympus",
            "mode|SOMETIMES",
            "schedule|every day at six",
    })
    void invalidPortfolioFieldsAreReportedByName(String field, String value) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("key", Api.uniqueKey("bad"), "name", "n",
                "currency", "EUR"));
        body.put(field, value);
        admin().body(body).post("/api/v1/portfolios")
                .then().statusCode(400).contentType(PROBLEM)
                .body("status", equalTo(400))
                .body("errors.field", hasItem(field));
    }

    @ParameterizedTest(name = "policy.{0} = {1} is refused")
    @CsvSource({"lookbackDays,0", "maxShiftPct,0", "maxShiftPct,101", "cooldownDays,-1", "contributionMargin,1.5",
            "minLtvToCac,-1", "autoApplyMaxShiftPct,-5"})
    void invalidPolicyValuesAreRefused(String field, String value) {
        admin().body(Map.of("key", Api.uniqueKey("pol"), "name", "n", "currency", "EUR",
                        "policy", Map.of(field, new java.math.BigDecimal(value))))
                .post("/api/v1/portfolios")
                .then().statusCode(400).body("errors.field", hasItem("policy." + field));
    }

    @Test
    void listsArePagedAndSizeIsBounded() {
        Api.portfolioWithChannels("page");
        Api.portfolioWithChannels("page");
        as("viewer").get("/api/v1/portfolios?page=0&size=1")
                .then().statusCode(200).body("items", hasSize(1)).body("size", equalTo(1)).body("page", equalTo(0));
        as("viewer").get("/api/v1/portfolios?size=501").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("size"));
    }

    @Test
    void mergePatchChangesOnlyWhatItNamesAndNullRestoresTheDefault() {
        String key = Api.uniqueKey("patch");
        admin().body(Map.of("key", key, "name", "n", "currency", "EUR", "policy", Map.of("cooldownDays", 7)))
                .post("/api/v1/portfolios").then().statusCode(201);
        admin().contentType("application/merge-patch+json")
                .body("{\"mode\":\"AUTO_APPLY\",\"policy\":{\"maxShiftPct\":12,\"cooldownDays\":null}}")
                .patch("/api/v1/portfolios/" + key)
                .then().statusCode(200)
                .body("mode", equalTo("AUTO_APPLY"))
                .body("name", equalTo("n"))
                .body("policy.maxShiftPct", Api.money("12"))
                .body("policy.cooldownDays", equalTo(3));
    }

    @Test
    void patchHonoursIfMatchAndRefusesAKeyChange() {
        String key = Api.portfolioWithChannels("ifm");
        int version = as("viewer").get("/api/v1/portfolios/" + key).then().extract().path("version");
        admin().header("If-Match", "\"" + (version + 5) + "\"").body(Map.of("name", "x"))
                .patch("/api/v1/portfolios/" + key).then().statusCode(412).contentType(PROBLEM);
        admin().header("If-Match", "\"" + version + "\"").body(Map.of("name", "renamed"))
                .patch("/api/v1/portfolios/" + key).then().statusCode(200).body("name", equalTo("renamed"));
        admin().body(Map.of("key", "other")).patch("/api/v1/portfolios/" + key)
                .then().statusCode(400).body("errors[0].field", equalTo("key"));
        admin().body("{\"currency\":\"NOPE\"}").patch("/api/v1/portfolios/" + key)
                .then().statusCode(400).body("errors[0].field", equalTo("currency"));
        as("viewer").get("/api/v1/portfolios/" + key).then().body("currency", equalTo("EUR"));
    }

    @Test
    void unknownPortfolioIs404EverywhereItIsNamed() {
        as("viewer").get("/api/v1/portfolios/nope-none").then().statusCode(404).contentType(PROBLEM)
                .body("title", equalTo("Not found"));
        admin().body(Map.of("name", "x")).patch("/api/v1/portfolios/nope-none").then().statusCode(404);
        as("viewer").get("/api/v1/portfolios/nope-none/channels").then().statusCode(404);
        admin().body(Map.of("name", "c", "kind", "search", "dailyBudget", 10))
                .put("/api/v1/portfolios/nope-none/channels/c1").then().statusCode(404);
    }

    @Test
    void channelUpsertCreatesThenReplaces() {
        String key = Api.portfolioWithChannels("chan");
        admin().body(Map.of("name", "Search", "platform", "ads", "kind", "search", "dailyBudget", 250.5,
                        "minDailyBudget", 50, "maxDailyBudget", 900))
                .put("/api/v1/portfolios/" + key + "/channels/search")
                .then().statusCode(201).body("dailyBudget", Api.money("250.5")).body("locked", equalTo(false));
        admin().body(Map.of("name", "Search 2", "kind", "search", "dailyBudget", 300, "locked", true))
                .put("/api/v1/portfolios/" + key + "/channels/search")
                .then().statusCode(200).body("name", equalTo("Search 2")).body("locked", equalTo(true))
                .body("minDailyBudget", Api.money("0")).body("maxDailyBudget", nullValue());
        as("viewer").get("/api/v1/portfolios/" + key + "/channels")
                .then().statusCode(200)
                .body("items.key", containsInAnyOrder("search"))
                .body("items[0].lastChangedOn", nullValue());
        as("viewer").get("/api/v1/portfolios/" + key).then().body("totalDailyBudget", Api.money("300")).body("channels", equalTo(1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "daily below min|{\"name\":\"c\",\"kind\":\"search\",\"dailyBudget\":10,\"minDailyBudget\":20}|minDailyBudget",
            "daily above max|{\"name\":\"c\",\"kind\":\"search\",\"dailyBudget\":100,\"maxDailyBudget\":20}|maxDailyBudget",
            "negative money|{\"name\":\"c\",\"kind\":\"search\",\"dailyBudget\":-1}|dailyBudget",
            "three decimals|{\"name\":\"c\",\"kind\":\"search\",\"dailyBudget\":1.234}|dailyBudget",
            "unknown kind|{\"name\":\"c\",\"kind\":\"radio\",\"dailyBudget\":1}|kind",
            "missing budget|{\"name\":\"c\",\"kind\":\"search\"}|dailyBudget",
            "string budget|{\"name\":\"c\",\"kind\":\"search\",\"dailyBudget\":\"ten\"}|dailyBudget",
            "unknown field|{\"name\":\"c\",\"kind\":\"search\",\"dailyBudget\":1,\"colour\":\"red\"}|colour",
            "tag not a slug|{\"name\":\"c\",\"kind\":\"search\",\"dailyBudget\":1,\"tags\":[\"Brand Search\"]}|tags[0]",
    })
    void invalidChannelsAreRefusedAndNothingChanges(String title, String body, String field) {
        String key = Api.portfolioWithChannels("badchan");
        admin().body(body).put("/api/v1/portfolios/" + key + "/channels/c1")
                .then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItem(field));
        as("viewer").get("/api/v1/portfolios/" + key + "/channels").then().body("items", hasSize(0));
    }

    @Test
    void aChannelsTagsAreStoredAndShown() {
        String key = Api.portfolioWithChannels("tags");
        admin().body(Map.of("name", "Brand search", "platform", "google-ads", "kind", "search", "dailyBudget", 100,
                        "tags", java.util.List.of("brand", "search", "brand")))
                .put("/api/v1/portfolios/" + key + "/channels/brand-search")
                .then().statusCode(201).body("tags", org.hamcrest.Matchers.contains("brand", "search"));
        as("viewer").get("/api/v1/portfolios/" + key + "/channels").then().statusCode(200)
                .body("items[0].tags", org.hamcrest.Matchers.contains("brand", "search"))
                .body("items[0].platform", equalTo("google-ads"));
        as("viewer").get("/api/v1/portfolios/" + key + "/performance").then().statusCode(200)
                .body("channels[0].tags", org.hamcrest.Matchers.contains("brand", "search"))
                .body("channels[0].platform", equalTo("google-ads"))
                .body("channels[0].flags", hasSize(0));
        // replaced without tags: none
        admin().body(Map.of("name", "Brand search", "kind", "search", "dailyBudget", 100))
                .put("/api/v1/portfolios/" + key + "/channels/brand-search")
                .then().statusCode(200).body("tags", hasSize(0));
    }

    @Test
    void channelKeyMustBeASlug() {
        String key = Api.portfolioWithChannels("slug");
        admin().body(Map.of("name", "c", "kind", "search", "dailyBudget", 1))
                .put("/api/v1/portfolios/" + key + "/channels/Bad_Key").then().statusCode(400)
                .body("errors[0].field", equalTo("channel"));
    }

    @Test
    void rolesAreEnforcedAndErrorsAreProblems() {
        given().get("/api/v1/portfolios").then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", startsWith("Basic"));
        given().auth().preemptive().basic("viewer", "wrong").get("/api/v1/portfolios").then().statusCode(401);
        as("viewer").body(Map.of("key", "v", "name", "n", "currency", "EUR")).post("/api/v1/portfolios")
                .then().statusCode(403).contentType(PROBLEM);
        as("strategist").body(Map.of("key", "v", "name", "n", "currency", "EUR")).post("/api/v1/portfolios")
                .then().statusCode(403);
        as("ingest").get("/api/v1/portfolios").then().statusCode(403);
    }

    @Test
    void malformedJsonUnknownRoutesAndWrongContentTypesAreProblems() {
        admin().body("{\"key\": ").post("/api/v1/portfolios").then().statusCode(400).contentType(PROBLEM)
                .body("title", equalTo("Malformed JSON"));
        admin().body("[1,2]").post("/api/v1/portfolios").then().statusCode(400).contentType(PROBLEM);
        as("viewer").get("/api/v1/no-such-thing").then().statusCode(404).contentType(PROBLEM)
                .body("instance", equalTo("/api/v1/no-such-thing"));
        admin().contentType("text/xml").body("<p/>").post("/api/v1/portfolios").then().statusCode(415)
                .contentType(PROBLEM);
        as("viewer").delete("/api/v1/portfolios").then().statusCode(405).contentType(PROBLEM);
    }
}
