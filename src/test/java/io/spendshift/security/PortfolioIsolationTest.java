package io.spendshift.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.spendshift.Api;
import io.spendshift.run.Cycles;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * Who may see which portfolio (issue 22, section 4): a user holding roles on portfolio A only reaches A. Every
 * endpoint of the served OpenAPI document is walked (so a new one cannot be forgotten), as an admin of A, against
 * B (404, exactly like an unknown portfolio or id, and nothing of B changes) and against A (let in); lists show A
 * only; global things stay closed. The same for demo users given roles through the membership API.
 */
@QuarkusTest
class PortfolioIsolationTest {

    /** Two portfolios alike: channels good and poor, history, a mapping, a member, a run and its recommendation. */
    record World(String a, String b, Map<String, Long> run, Map<String, Long> recommendation) {
    }

    private static World world;

    static synchronized World world() {
        if (world == null) {
            Map<String, Long> runs = new LinkedHashMap<>();
            Map<String, Long> recs = new LinkedHashMap<>();
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String key = Cycles.portfolio();
                Api.admin().body(Map.of("columns", Map.of("date", "Day", "channel", "Channel", "spend", "Cost",
                                "impressions", "Impr", "clicks", "Clicks", "conversions", "Conv", "revenue", "Value")))
                        .put("/api/v1/portfolios/" + key + "/mappings/m1").then().statusCode(201);
                Api.admin().body(Map.of("roles", List.of("viewer")))
                        .put("/api/v1/portfolios/" + key + "/members/dora").then().statusCode(201);
                var run = Api.admin().body(Map.of()).post("/api/v1/portfolios/" + key + "/runs").then().statusCode(201)
                        .extract().jsonPath();
                runs.put(key, run.getLong("id"));
                recs.put(key, run.getLong("recommendationId"));
                keys.add(key);
            }
            world = new World(keys.get(0), keys.get(1), runs, recs);
        }
        return world;
    }

    static RequestSpecification bearer(String user, String... groups) {
        return TokensAndActorsTest.bearer(user, groups);
    }

    /** One operation of the OpenAPI document. */
    record Operation(String method, String path, String scope, String contentType) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static List<Operation> operations() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(given().get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString());
        List<Operation> ops = new ArrayList<>();
        doc.path("paths").properties().forEach(p -> p.getValue().properties().forEach(m -> {
            JsonNode content = m.getValue().path("requestBody").path("content");
            String type = null;
            for (String t : List.of("application/json", "text/plain", "text/csv", "multipart/form-data")) {
                if (type == null && content.has(t)) {
                    type = t;
                }
            }
            ops.add(new Operation(m.getKey().toUpperCase(java.util.Locale.ROOT), p.getKey(),
                    m.getValue().path("x-scope").asText(null), type));
        }));
        // deletions last, so that what they delete stays there for the others
        ops.sort(Comparator.comparing((Operation o) -> o.method().equals("DELETE")).thenComparing(Operation::toString));
        return ops;
    }

    static final Pattern PARAM = Pattern.compile("\\{([a-zA-Z]+)}");

    /** The path with its parameters filled in for portfolio {@code key}: its objects, never another's. */
    static String path(Operation op, World w, String key) {
        Matcher m = PARAM.matcher(op.path());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "key" -> key;
                case "channel" -> "good";
                case "name" -> "m1";
                case "user" -> "dora";
                case "version" -> "0".repeat(64);
                case "id" -> Long.toString(op.path().startsWith("/api/v1/runs/") ? w.run().get(key)
                        : w.recommendation().get(key));
                default -> throw new AssertionError(op + ": the walk has no value for {" + m.group(1) + "}; add one");
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    static int call(RequestSpecification who, Operation op, String path) {
        RequestSpecification r = who;
        if (op.contentType() != null) {
            r = switch (op.contentType()) {
                case "multipart/form-data" -> r.contentType("multipart/form-data")
                        .multiPart("files", "x.drl", new byte[0]);
                case "text/csv" -> r.contentType("text/csv").body("channel,date\n");
                case "text/plain" -> r.contentType("text/plain").body("");
                default -> r.contentType("application/json").body(op.path().endsWith("/metrics") ? "[]" : "{}");
            };
        }
        return r.request(op.method(), path).statusCode();
    }

    @Test
    void anAdminOfOnePortfolioFindsNothingOfAnotherOnAnyEndpointAndUsesTheirOwn() throws Exception {
        World w = world();
        String group = Grants.group(w.a(), Roles.ADMIN);
        long bAuditBefore = auditTotal(w.b());
        List<String> wrong = new ArrayList<>();
        int walked = 0;
        for (Operation op : operations()) {
            if (!op.path().startsWith("/api/v1")) {
                continue;
            }
            walked++;
            String scope = op.scope() == null ? "(none)" : op.scope();
            switch (scope) {
                case "portfolio" -> {
                    int other = call(bearer("alex", group), op, path(op, w, w.b()));
                    if (other != 404) {
                        wrong.add(op + " on B answered " + other + ", not 404");
                    }
                    int own = call(bearer("alex", group), op, path(op, w, w.a()));
                    if (Set.of(401, 403, 404).contains(own)) {
                        wrong.add(op + " on A answered " + own);
                    }
                }
                case "visible" -> {
                    if (!op.method().equals("GET")) {
                        wrong.add(op + " is a filtered list but not a GET");
                        continue;
                    }
                    List<String> portfolios = bearer("alex", group).get(op.path() + "?size=500").then().statusCode(200)
                            .extract().jsonPath().getList(op.path().endsWith("/portfolios") ? "items.key"
                                    : "items.portfolio", String.class);
                    if (portfolios.isEmpty() || !portfolios.stream().allMatch(w.a()::equals)) {
                        wrong.add(op + " listed " + new java.util.TreeSet<>(portfolios) + ", not A's alone");
                    }
                }
                case "global" -> {
                    int status = call(bearer("alex", group), op, path(op, w, w.a()));
                    if (status != 403) {
                        wrong.add(op + " is global but answered " + status + " to a portfolio admin");
                    }
                }
                case "caller" -> {
                    int status = call(bearer("alex", group), op, op.path());
                    if (status != 200) {
                        wrong.add(op + " answered " + status);
                    }
                }
                default -> wrong.add(op + " has x-scope " + scope + ": classify it in ApiOperations.scope");
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(walked).as("operations walked").isGreaterThanOrEqualTo(45);
        assertThat(auditTotal(w.b())).as("B's audit trail after the walk").isEqualTo(bAuditBefore);
        as("viewer").get("/api/v1/recommendations/" + w.recommendation().get(w.b())).then()
                .body("status", equalTo("PROPOSED"));
        as("admin").get("/api/v1/portfolios/" + w.b() + "/members/dora").then().statusCode(200)
                .body("roles", equalTo(List.of("viewer")));
    }

    @Test
    void anotherPortfoliosKeyOrIdAnswersExactlyAsAnUnknownOne() {
        World w = world();
        String viewer = Grants.group(w.a(), Roles.VIEWER);
        var unknown = bearer("vic", viewer).get("/api/v1/portfolios/no-such-portfolio").then().statusCode(404)
                .contentType("application/problem+json").extract().jsonPath();
        var hidden = bearer("vic", viewer).get("/api/v1/portfolios/" + w.b()).then().statusCode(404)
                .contentType("application/problem+json").extract().jsonPath();
        assertThat(hidden.getString("detail")).isEqualTo(unknown.getString("detail").replace("no-such-portfolio", w.b()));
        assertThat(hidden.getString("title")).isEqualTo(unknown.getString("title"));
        long rec = w.recommendation().get(w.b());
        bearer("vic", viewer).get("/api/v1/recommendations/" + rec).then().statusCode(404)
                .body("detail", equalTo("Recommendation '" + rec + "' does not exist"));
        bearer("vic", viewer).get("/api/v1/recommendations/999999999").then().statusCode(404)
                .body("detail", equalTo("Recommendation '999999999' does not exist"));
        long run = w.run().get(w.b());
        bearer("vic", viewer).get("/api/v1/runs/" + run).then().statusCode(404)
                .body("detail", equalTo("Run '" + run + "' does not exist"));
    }

    @Test
    void theHierarchyAppliesWithinAPortfolio() {
        World w = world();
        String key = Cycles.portfolio();
        long rec = Api.admin().body(Map.of()).post("/api/v1/portfolios/" + key + "/runs").then().statusCode(201)
                .extract().jsonPath().getLong("recommendationId");
        // a viewer of the portfolio sees the plan but may not decide on it (403: it exists for them)
        bearer("vic", Grants.group(key, Roles.VIEWER)).get("/api/v1/recommendations/" + rec).then().statusCode(200);
        bearer("vic", Grants.group(key, Roles.VIEWER)).body(Map.of()).post("/api/v1/recommendations/" + rec + "/approve")
                .then().statusCode(403);
        // an approver of another portfolio does not find it
        bearer("amy", Grants.group(w.a(), Roles.APPROVER)).body(Map.of())
                .post("/api/v1/recommendations/" + rec + "/approve").then().statusCode(404);
        // a user with only the approver role on this portfolio approves and applies its plan, and reads it (viewer)
        bearer("amy", Grants.group(key, Roles.APPROVER)).body(Map.of("comment", "fine"))
                .post("/api/v1/recommendations/" + rec + "/approve").then().statusCode(200)
                .body("status", equalTo("APPROVED")).body("decidedBy", equalTo("amy"));
        bearer("amy", Grants.group(key, Roles.APPROVER)).post("/api/v1/recommendations/" + rec + "/apply").then()
                .statusCode(200).body("status", equalTo("APPLIED"));
        bearer("amy", Grants.group(key, Roles.APPROVER)).get("/api/v1/portfolios/" + key + "/channels").then()
                .statusCode(200);
        // approver is not admin on the portfolio, nor strategist of the rules
        bearer("amy", Grants.group(key, Roles.APPROVER)).body(Map.of("name", "x"))
                .patch("/api/v1/portfolios/" + key).then().statusCode(403);
        bearer("amy", Grants.group(key, Roles.APPROVER)).get("/api/v1/portfolios/" + w.b()).then().statusCode(404);
        // ingest of a portfolio posts its metrics, reads nothing of it; a global viewer with it sees the others only
        bearer("ivy", Grants.group(key, Roles.INGEST)).body("[]").post("/api/v1/portfolios/" + key + "/metrics").then()
                .statusCode(200);
        bearer("ivy", Grants.group(key, Roles.INGEST)).body("[]").post("/api/v1/portfolios/" + w.b() + "/metrics")
                .then().statusCode(404);
        bearer("ivy", Grants.group(key, Roles.INGEST)).get("/api/v1/portfolios/" + key + "/metrics").then()
                .statusCode(403);
        bearer("gil", Roles.VIEWER, Grants.group(key, Roles.APPROVER)).body(Map.of())
                .post("/api/v1/recommendations/" + w.recommendation().get(w.b()) + "/reject").then().statusCode(403);
    }

    @Test
    void listsAndTheAuditShowOnlyThePortfoliosTheCallerMaySee() {
        World w = world();
        String viewer = Grants.group(w.a(), Roles.VIEWER);
        bearer("vic", viewer).get("/api/v1/portfolios?size=500").then().statusCode(200)
                .body("items.key", equalTo(List.of(w.a()))).body("total", equalTo(1));
        bearer("vic", viewer).get("/api/v1/recommendations?size=500").then().statusCode(200)
                .body("items.portfolio", everyItem(equalTo(w.a()))).body("items.id", hasItem(
                        w.recommendation().get(w.a()).intValue()));
        bearer("vic", viewer).get("/api/v1/recommendations?portfolio=" + w.b()).then().statusCode(200)
                .body("items", empty()).body("total", equalTo(0));
        bearer("vic", viewer).get("/api/v1/audit?size=500").then().statusCode(200)
                .body("items.portfolio", everyItem(equalTo(w.a()))).body("items.action", hasItem("RUN_FINISHED"));
        bearer("vic", viewer).get("/api/v1/audit?portfolio=" + w.b()).then().statusCode(200).body("total", equalTo(0));
        bearer("vic", viewer).get("/api/v1/audit?entityType=recommendation&entityId="
                + w.recommendation().get(w.b())).then().statusCode(200).body("total", equalTo(0));
        // a global viewer still sees everything, entries of no portfolio (rule loads) included
        bearer("gail", Roles.VIEWER).get("/api/v1/audit?action=RULES_LOADED").then().statusCode(200)
                .body("total", not(equalTo(0)));
        bearer("gail", Roles.VIEWER).get("/api/v1/portfolios?size=500").then()
                .body("items.key", hasItem(w.b())).body("items.key", hasItem(w.a()));
        // /me names the roles per portfolio, beside the global ones
        bearer("vic", viewer, Grants.group(w.b(), Roles.APPROVER), "portfolio:Bad Key:viewer", "portfolio:x:owner")
                .get("/api/v1/me").then().statusCode(200).body("roles", empty())
                .body("portfolios.portfolio", equalTo(java.util.stream.Stream.of(w.a(), w.b()).sorted().toList()))
                .body("portfolios.find { it.portfolio == '" + w.b() + "' }.roles", equalTo(List.of("viewer", "approver")));
    }

    @Test
    void demoUsersGetRolesOnAPortfolioThroughTheMembershipApiAudited() {
        World w = world();
        String user = "dana" + System.nanoTime() % 100000;
        String members = "/api/v1/portfolios/" + w.a() + "/members/";
        given().auth().preemptive().basic(user, user).get("/api/v1/me").then().statusCode(401);
        Api.admin().body(Map.of("roles", List.of("approver"))).put(members + user).then().statusCode(201)
                .body("user", equalTo(user)).body("roles", equalTo(List.of("approver")))
                .body("grantedBy", equalTo("admin"));
        as(user).get("/api/v1/me").then().statusCode(200).body("roles", empty())
                .body("portfolios", equalTo(List.of(Map.of("portfolio", w.a(), "roles", List.of("viewer", "approver")))));
        as(user).get("/api/v1/portfolios").then().body("items.key", equalTo(List.of(w.a())));
        as(user).get("/api/v1/portfolios/" + w.b()).then().statusCode(404);
        as(user).get("/api/v1/rules").then().statusCode(403);
        as("viewer").get("/api/v1/audit?portfolio=" + w.a() + "&action=MEMBERSHIP_GRANTED&entityId=" + user).then()
                .body("items", org.hamcrest.Matchers.hasSize(1)).body("items[0].actor", equalTo("admin"))
                .body("items[0].entityType", equalTo("member"))
                .body("items[0].details.roles", equalTo(List.of("approver")));

        // replacing approver by viewer takes approver (audited as revoked) and grants viewer
        Api.admin().body(Map.of("roles", List.of("viewer"))).put(members + user).then().statusCode(200)
                .body("roles", equalTo(List.of("viewer")));
        as("viewer").get("/api/v1/audit?portfolio=" + w.a() + "&entityType=member&entityId=" + user).then()
                .body("items.action", equalTo(List.of("MEMBERSHIP_GRANTED", "MEMBERSHIP_GRANTED", "MEMBERSHIP_REVOKED")))
                .body("items[2].details.roles", equalTo(List.of("approver")))
                .body("items[2].details.held", equalTo(List.of("viewer")));
        // the same roles again change nothing and audit nothing
        Api.admin().body(Map.of("roles", List.of("viewer", "viewer"))).put(members + user).then().statusCode(200);
        as("viewer").get("/api/v1/audit?entityType=member&entityId=" + user).then().body("total", equalTo(3));
        Api.admin().get("/api/v1/portfolios/" + w.a() + "/members?size=500").then().statusCode(200)
                .body("items.user", hasItem(user));

        Api.admin().delete(members + user).then().statusCode(204);
        Api.admin().delete(members + user).then().statusCode(404);
        Api.admin().get(members + user).then().statusCode(404);
        as("viewer").get("/api/v1/audit?entityType=member&entityId=" + user + "&action=MEMBERSHIP_REVOKED&order=desc")
                .then().body("items[0].details.roles", equalTo(List.of("viewer")))
                .body("items[0].details.held", equalTo(List.of()));
        given().auth().preemptive().basic(user, user).get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void anAdminOfAPortfolioManagesItsMembersOnly() {
        World w = world();
        String pat = "pat" + System.nanoTime() % 100000;
        Api.admin().body(Map.of("roles", List.of("admin"))).put("/api/v1/portfolios/" + w.a() + "/members/" + pat)
                .then().statusCode(201);
        as(pat).body(Map.of("roles", List.of("strategist"))).put("/api/v1/portfolios/" + w.a() + "/members/quinn")
                .then().statusCode(201);
        as(pat).get("/api/v1/portfolios/" + w.a() + "/members/quinn").then().statusCode(200)
                .body("roles", equalTo(List.of("strategist"))).body("grantedBy", equalTo(pat));
        as(pat).body(Map.of("roles", List.of("admin"))).put("/api/v1/portfolios/" + w.b() + "/members/" + pat)
                .then().statusCode(404);
        as(pat).get("/api/v1/portfolios/" + w.b() + "/members").then().statusCode(404);
        as(pat).body(Map.of("key", Api.uniqueKey("own"), "name", "n", "currency", "EUR")).post("/api/v1/portfolios")
                .then().statusCode(403);
        // a viewer of the portfolio may not manage its members
        String vera = "vera" + System.nanoTime() % 100000;
        as(pat).body(Map.of("roles", List.of("viewer"))).put("/api/v1/portfolios/" + w.a() + "/members/" + vera)
                .then().statusCode(201);
        as(vera).get("/api/v1/portfolios/" + w.a() + "/members").then().statusCode(403);
        as(vera).get("/api/v1/portfolios/" + w.a()).then().statusCode(200);
        Api.admin().delete("/api/v1/portfolios/" + w.a() + "/members/quinn").then().statusCode(204);
    }

    @Test
    void badMembershipsAreRefusedAndChangeNothing() {
        World w = world();
        String members = "/api/v1/portfolios/" + w.a() + "/members/";
        long before = auditTotal(w.a());
        record Case(String user, String body, String field) {
        }
        for (Case c : List.of(
                new Case("erin", "{}", "roles"),
                new Case("erin", "{\"roles\": []}", "roles"),
                new Case("erin", "{\"roles\": null}", "roles"),
                new Case("erin", "{\"roles\": [\"owner\"]}", "roles[0]"),
                new Case("erin", "{\"roles\": [\"viewer\", \"Admin\"]}", "roles[1]"),
                new Case("erin", "{\"roles\": [null]}", "roles[0]"),
                new Case("system", "{\"roles\": [\"viewer\"]}", "user"),
                new Case("-erin", "{\"roles\": [\"viewer\"]}", "user"),
                new Case("x".repeat(201), "{\"roles\": [\"viewer\"]}", "user"))) {
            Api.admin().body(c.body()).put(members + c.user()).then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem(c.field()));
        }
        for (String body : List.of("{\"roles\": \"viewer\"}", "{\"roles\": [\"viewer\"], \"until\": 1}", "[", "")) {
            Api.admin().body(body).put(members + "erin").then().statusCode(400).contentType("application/problem+json");
        }
        Api.admin().get(members + "erin").then().statusCode(404);
        Api.admin().body("{\"roles\": [\"viewer\"]}").put("/api/v1/portfolios/no-such-portfolio/members/erin").then()
                .statusCode(404);
        assertThat(auditTotal(w.a())).isEqualTo(before);
    }

    static long auditTotal(String key) {
        return Api.admin().get("/api/v1/audit?size=1&portfolio=" + key).then().statusCode(200).extract().jsonPath()
                .getLong("total");
    }
}
