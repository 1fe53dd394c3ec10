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
}
