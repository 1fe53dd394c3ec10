package io.spendshift.security;

import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.restassured.RestAssured.given;

/**
 * Who may do what (API.md): every endpoint against every role. A status of 2xx/4xx other than 401/403 means
 * the role got through the door; the table checks exactly the door: 403 where the role is not allowed.
 */
@QuarkusTest
class RolesTableTest {

    @ParameterizedTest(name = "{0} {1} as {2} -> {3}")
    @CsvSource({
            // method, path, role, allowed
            "GET,  /api/v1/portfolios,                 viewer,     true",
            "GET,  /api/v1/portfolios,                 ingest,     false",
            "POST, /api/v1/portfolios,                 viewer,     false",
            "POST, /api/v1/portfolios,                 strategist, false",
            "POST, /api/v1/portfolios,                 approver,   false",
            "POST, /api/v1/portfolios,                 admin,      true",
            "PUT,  /api/v1/portfolios/demo/channels/x, approver,   false",
            "PUT,  /api/v1/portfolios/demo/channels/x, admin,      true",
            "POST, /api/v1/portfolios/demo/metrics,    ingest,     true",
            "POST, /api/v1/portfolios/demo/metrics,    admin,      true",
            "POST, /api/v1/portfolios/demo/metrics,    strategist, false",
            "GET,  /api/v1/portfolios/demo/metrics,    ingest,     false",
            "POST, /api/v1/portfolios/demo/runs,       viewer,     false",
            "POST, /api/v1/portfolios/demo/runs,       strategist, true",
            "POST, /api/v1/portfolios/demo/runs,       approver,   true",
            "POST, /api/v1/portfolios/demo/runs,       admin,      true",
            "POST, /api/v1/recommendations/1/approve,  viewer,     false",
            "POST, /api/v1/recommendations/1/approve,  strategist, false",
            "POST, /api/v1/recommendations/1/approve,  approver,   true",
            "POST, /api/v1/recommendations/1/reject,   strategist, false",
            "POST, /api/v1/recommendations/1/apply,    viewer,     false",
            "POST, /api/v1/recommendations/1/apply,    admin,      true",
            "GET,  /api/v1/recommendations,            viewer,     true",
            "POST, /api/v1/rules/reload,               approver,   false",
            "POST, /api/v1/rules/reload,               strategist, true",
            "POST, /api/v1/rules/scenarios,            viewer,     false",
            "POST, /api/v1/rules/scenarios,            strategist, true",
            "GET,  /api/v1/audit,                      viewer,     true",
            "GET,  /api/v1/audit,                      ingest,     false",
            "GET,  /api/v1/audit/head,                 viewer,     true",
            "GET,  /api/v1/audit/head,                 ingest,     false",
            "POST, /api/v1/portfolios/demo/source/pull, viewer,    false",
    })
    void eachRoleGetsThroughOnlyTheDoorsItHolds(String method, String path, String role, boolean allowed) {
        int status = Api.as(role).body(path.endsWith("/metrics") ? "[]" : "{}").request(method, path).statusCode();
        if (allowed) {
            org.assertj.core.api.Assertions.assertThat(status).as("%s %s as %s", method, path, role)
                    .isNotIn(401, 403);
        } else {
            org.assertj.core.api.Assertions.assertThat(status).as("%s %s as %s", method, path, role).isEqualTo(403);
        }
        given().body("{}").contentType("application/json").request(method, path).then().statusCode(401);
    }
}
