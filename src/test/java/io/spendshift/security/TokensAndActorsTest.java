package io.spendshift.security;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.spendshift.Api;
import io.spendshift.run.Cycles;
import io.spendshift.source.CsvDropFolder;
import jakarta.inject.Inject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import static io.restassured.RestAssured.given;
import static io.spendshift.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

/**
 * Bearer tokens must be meant for this service (their {@code aud}), cannot take the names the service acts
 * under itself, and every manual action is audited under the caller who made it. Runs in demo mode, where
 * tokens are accepted beside the demo users.
 */
@QuarkusTest
class TokensAndActorsTest {

    @Inject
    CsvDropFolder dropFolder;

    /** A valid token for the service: issuer, audience, a name and roles. */
    static String token(String user, String... roles) {
        return claims(c -> c.upn(user)).groups(Set.of(roles)).sign();
    }

    static JwtClaimsBuilder claims(UnaryOperator<JwtClaimsBuilder> name) {
        return name.apply(Jwt.issuer("spendshift").audience("spendshift").expiresIn(300));
    }

    static RequestSpecification bearer(String user, String... roles) {
        return given().auth().oauth2(token(user, roles)).contentType("application/json");
    }

    @Test
    void aTokenMustNameThisServiceAsItsAudience() {
        bearer("tess", "viewer").get("/api/v1/portfolios").then().statusCode(200);
        String otherAudience = Jwt.issuer("spendshift").audience("another-service").upn("tess").groups("admin")
                .expiresIn(300).sign();
        String noAudience = Jwt.issuer("spendshift").upn("tess").groups("admin").expiresIn(300).sign();
        String someOther = Jwt.issuer("spendshift").audience(Set.of("another-service", "reporting")).upn("tess")
                .groups("admin").expiresIn(300).sign();
        for (String t : List.of(otherAudience, noAudience, someOther)) {
            given().auth().oauth2(t).get("/api/v1/portfolios").then().statusCode(401)
                    .contentType("application/problem+json").body("status", equalTo(401));
        }
        String severalWithOurs = Jwt.issuer("spendshift").audience(Set.of("another-service", "spendshift"))
                .upn("tess").groups("viewer").expiresIn(300).sign();
        given().auth().oauth2(severalWithOurs).get("/api/v1/portfolios").then().statusCode(200);
    }

    @ParameterizedTest(name = "a token named {0} is refused")
    @ValueSource(strings = {"system", "scheduler", "startup", "file-watcher", "System", " SCHEDULER "})
    void aTokenCannotTakeANameTheServiceActsUnder(String name) {
        String key = Api.portfolioWithChannels("internal", "search");
        for (String t : List.of(
                claims(c -> c.upn(name)).groups("admin").sign(),
                claims(c -> c.preferredUserName(name)).groups("admin").sign(),
                claims(c -> c.subject(name)).groups("admin").sign())) {
            given().auth().oauth2(t).contentType("application/json").body(Map.of("name", "Renamed"))
                    .patch("/api/v1/portfolios/" + key).then().statusCode(401)
                    .contentType("application/problem+json");
            given().auth().oauth2(t).get("/api/v1/me").then().statusCode(401);
        }
        as("viewer").get("/api/v1/portfolios/" + key).then().body("name", equalTo("Test " + key));
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=PORTFOLIO_UPDATED").then().body("total", equalTo(0));
    }

    @Test
    void aTokenWhoseNameCannotBeRecordedIsRefused() {
        given().auth().oauth2(claims(c -> c.upn("x".repeat(201))).groups("viewer").sign())
                .get("/api/v1/portfolios").then().statusCode(401);
        given().auth().oauth2(claims(c -> c.upn("eve\nsystem")).groups("viewer").sign())
                .get("/api/v1/portfolios").then().statusCode(401);
        // the name is upn, else preferred_username, else sub
        given().auth().oauth2(claims(c -> c.upn("una").preferredUserName("system").subject("scheduler"))
                        .groups("viewer").sign())
                .get("/api/v1/me").then().statusCode(200).body("user", equalTo("una"));
    }

    @Test
    void portfolioChannelAndMetricWritesAreAuditedUnderTheirCaller() {
        String key = Api.uniqueKey("actors");
        bearer("ada", "admin").body(Map.of("key", key, "name", "n", "currency", "EUR")).post("/api/v1/portfolios")
                .then().statusCode(201);
        bearer("ada", "admin").body(Map.of("name", "Search", "kind", "search", "dailyBudget", 100))
                .put("/api/v1/portfolios/" + key + "/channels/search").then().statusCode(201);
        bearer("ada", "admin").body(Map.of("policy", Map.of("cooldownDays", 5)))
                .patch("/api/v1/portfolios/" + key).then().statusCode(200);
        bearer("iggy", "ingest").body(List.of(Api.row("search", LocalDate.now().minusDays(1).toString(), 10, 100, 5,
                1, 30, 1, null))).post("/api/v1/portfolios/" + key + "/metrics").then().statusCode(200);
        as("viewer").get("/api/v1/audit?portfolio=" + key).then()
                .body("items.action", equalTo(List.of("PORTFOLIO_CREATED", "CHANNEL_UPSERTED", "PORTFOLIO_UPDATED",
                        "METRICS_INGESTED")))
                .body("items.actor", equalTo(List.of("ada", "ada", "ada", "iggy")));
    }

    @Test
    void aManualPullIsAuditedUnderItsCallerNotAsTheSystem() throws Exception {
        String key = Api.portfolioWithChannels("pull", "search");
        Path dir = Files.createDirectories(dropFolder.folderOf(key));
        Files.writeString(dir.resolve("day.csv"), "channel,date,spend,impressions,clicks,conversions,revenue,"
                + "newCustomers,ltv\nsearch," + LocalDate.now().minusDays(2) + ",10,100,5,1,30,1,\n");
        // a source that cannot be reached: the failure is the caller's pull too
        Api.admin().body(Map.of("source", Map.of("type", "HTTP", "url", "http://127.0.0.1:1/feed")))
                .patch("/api/v1/portfolios/" + key).then().statusCode(200);
        bearer("pat", "admin").post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("dropFiles[0].ingested", equalTo(true))
                .body("sourceError", org.hamcrest.Matchers.notNullValue());
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=METRICS_INGESTED").then()
                .body("items", hasSize(1)).body("items[0].actor", equalTo("pat"))
                .body("items[0].details.origin", equalTo("drop-folder:day.csv"));
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=SOURCE_PULL_FAILED").then()
                .body("items", hasSize(1)).body("items[0].actor", equalTo("pat"));

        // a simulated source's rows are the caller's pull as well
        Api.admin().contentType("application/merge-patch+json")
                .body("{\"source\": {\"type\": \"SIMULATED\", \"url\": null, \"seed\": 3}}")
                .patch("/api/v1/portfolios/" + key).then().statusCode(200);
        bearer("ivy", "ingest").post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("sourceRows", org.hamcrest.Matchers.greaterThan(0));
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=METRICS_INGESTED&order=desc").then()
                .body("items[0].actor", equalTo("ivy")).body("items[0].details.origin", equalTo("simulated-market"));
    }

    @Test
    void runsAndDecisionsAreAuditedUnderTheirCallers() {
        String key = Cycles.portfolio();
        int first = bearer("sam", "strategist").body(Map.of()).post("/api/v1/portfolios/" + key + "/runs").then()
                .statusCode(201).body("startedBy", equalTo("sam")).extract().path("recommendationId");
        int second = bearer("sue", "approver").body(Map.of()).post("/api/v1/portfolios/" + key + "/runs").then()
                .statusCode(201).extract().path("recommendationId");
        bearer("rey", "approver").body(Map.of("comment", "no")).post("/api/v1/recommendations/" + second + "/reject")
                .then().statusCode(200).body("decidedBy", equalTo("rey"));
        int third = bearer("sue", "approver").body(Map.of()).post("/api/v1/portfolios/" + key + "/runs").then()
                .statusCode(201).extract().path("recommendationId");
        bearer("apu", "approver").body(Map.of()).post("/api/v1/recommendations/" + third + "/approve").then()
                .statusCode(200).body("decidedBy", equalTo("apu"));
        bearer("apu", "approver").post("/api/v1/recommendations/" + third + "/apply").then().statusCode(200)
                .body("status", equalTo("APPLIED"));

        var audit = as("viewer").get("/api/v1/audit?portfolio=" + key + "&size=500").then().extract().jsonPath();
        List<Map<String, Object>> items = audit.getList("items");
        assertActors(items, "RUN_STARTED", List.of("sam", "sue", "sue"));
        assertActors(items, "RUN_FINISHED", List.of("sam", "sue", "sue"));
        assertActors(items, "RECOMMENDATION_CREATED", List.of("sam", "sue", "sue"));
        // the first run's plan was superseded by sue's run, not by "system"
        assertActors(items, "RECOMMENDATION_SUPERSEDED", List.of("sue"));
        assertActors(items, "RECOMMENDATION_REJECTED", List.of("rey"));
        assertActors(items, "RECOMMENDATION_APPROVED", List.of("apu"));
        assertActors(items, "RECOMMENDATION_APPLIED", List.of("apu"));
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=BUDGET_CHANGED").then()
                .body("items.actor", everyItem(equalTo("apu"))).body("total", equalTo(2));
        as("viewer").get("/api/v1/audit?portfolio=" + key).then().body("items.actor", org.hamcrest.Matchers
                .not(hasItem("system")));
        org.assertj.core.api.Assertions.assertThat(first).isNotEqualTo(second);
    }

    @Test
    void anAutomaticApplyIsTheSystemsAndNamesWhoStartedTheRun() {
        String key = Cycles.portfolio("AUTO_APPLY", Map.of("policy", Map.of("autoApplyMaxShiftPct", 10)));
        int rec = bearer("sam", "strategist").body(Map.of()).post("/api/v1/portfolios/" + key + "/runs").then()
                .statusCode(201).extract().path("recommendationId");
        as("viewer").get("/api/v1/audit?entityType=recommendation&entityId=" + rec + "&action=RECOMMENDATION_APPLIED")
                .then().body("items[0].actor", equalTo("system"))
                .body("items[0].details.runStartedBy", equalTo("sam"));
    }

    static void assertActors(List<Map<String, Object>> items, String action, List<String> actors) {
        org.assertj.core.api.Assertions.assertThat(items.stream().filter(i -> action.equals(i.get("action")))
                .map(i -> i.get("actor"))).as(action).containsExactlyElementsOf(actors);
    }
}
