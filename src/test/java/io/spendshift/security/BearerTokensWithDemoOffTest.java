package io.spendshift.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** With demo mode off there are no demo users: only signed bearer tokens authenticate, with their roles. */
@QuarkusTest
@TestProfile(BearerTokensWithDemoOffTest.DemoOff.class)
class BearerTokensWithDemoOffTest {

    public static class DemoOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // outside demo mode the audit key must be configured: start-up fails without one
            return Map.of("spendshift.demo", "false", "spendshift.audit.key", "demo-off-test-audit-key-0123456789abcdef");
        }
    }

    static String token(String user, String... roles) {
        return Jwt.issuer("spendshift").audience("spendshift").upn(user).groups(Set.of(roles)).expiresIn(300).sign();
    }

    @Test
    void demoPasswordsAreRefused() {
        for (String u : new String[]{"viewer", "strategist", "approver", "admin", "ingest"}) {
            given().auth().preemptive().basic(u, u).get("/api/v1/portfolios").then().statusCode(401)
                    .contentType("application/problem+json");
        }
        given().auth().oauth2(token("anna", "viewer")).get("/api/v1/portfolios").then().statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void tokenRolesDecideAndTheTokenUserIsTheActor() {
        String key = "jwt-" + System.nanoTime() % 100000;
        given().auth().oauth2(token("vera", "approver")).contentType("application/json")
                .body(Map.of("key", key, "name", "n", "currency", "EUR")).post("/api/v1/portfolios")
                .then().statusCode(403);
        given().auth().oauth2(token("ada", "admin")).contentType("application/json")
                .body(Map.of("key", key, "name", "n", "currency", "EUR")).post("/api/v1/portfolios")
                .then().statusCode(201);
        given().auth().oauth2(token("vera", "approver")).get("/api/v1/audit?portfolio=" + key).then()
                .statusCode(200).body("items[0].actor", equalTo("ada"));
    }

    @Test
    void forgedAndExpiredTokensAreRefused() {
        String expired = Jwt.issuer("spendshift").audience("spendshift").upn("old").groups("admin")
                .issuedAt(Instant.now().minusSeconds(7200)).expiresAt(Instant.now().minusSeconds(3600)).sign();
        given().auth().oauth2(expired).get("/api/v1/portfolios").then().statusCode(401);
        String otherIssuer = Jwt.issuer("someone-else").audience("spendshift").upn("x").groups("admin").expiresIn(300).sign();
        given().auth().oauth2(otherIssuer).get("/api/v1/portfolios").then().statusCode(401);
        given().auth().oauth2("not.a.token").get("/api/v1/portfolios").then().statusCode(401);
    }

    @Test
    void rolesOnAPortfolioComeFromTheTokensGroupsAndNoMembershipIsStored() {
        String mine = "jwt-mine-" + System.nanoTime() % 100000;
        String other = "jwt-other-" + System.nanoTime() % 100000;
        for (String key : new String[]{mine, other}) {
            given().auth().oauth2(token("ada", "admin")).contentType("application/json")
                    .body(Map.of("key", key, "name", "n", "currency", "EUR")).post("/api/v1/portfolios")
                    .then().statusCode(201);
        }
        String scoped = token("sol", Grants.group(mine, Roles.ADMIN));
        given().auth().oauth2(scoped).get("/api/v1/portfolios").then().statusCode(200)
                .body("items.key", equalTo(java.util.List.of(mine)));
        given().auth().oauth2(scoped).contentType("application/json").body(Map.of("name", "Mine"))
                .patch("/api/v1/portfolios/" + mine).then().statusCode(200);
        given().auth().oauth2(scoped).get("/api/v1/portfolios/" + other).then().statusCode(404);
        // with demo mode off, the membership API stores nothing: the token's groups are the truth
        given().auth().oauth2(scoped).contentType("application/json").body(Map.of("roles", java.util.List.of("viewer")))
                .put("/api/v1/portfolios/" + mine + "/members/someone").then().statusCode(409)
                .contentType("application/problem+json");
        given().auth().oauth2(scoped).get("/api/v1/portfolios/" + mine + "/members").then().statusCode(200)
                .body("total", equalTo(0));
        given().auth().oauth2(token("ada", "admin")).get("/api/v1/audit?portfolio=" + mine + "&entityType=member")
                .then().statusCode(200).body("total", equalTo(0));
    }
}
