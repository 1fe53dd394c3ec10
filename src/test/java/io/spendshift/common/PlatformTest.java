package io.spendshift.common;

import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Health, metrics and the OpenAPI document answer without credentials; the audit chain verifies. */
@QuarkusTest
class PlatformTest {

    @Test
    void readinessIncludesTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void prometheusMetricsAndOpenApiArePublic() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/api/v1/portfolios/{key}/metrics"));
    }

    @Test
    void everyChangeIsAuditedWithItsActorAndTheChainVerifies() {
        String key = Api.portfolioWithChannels("audit", "search");
        Api.as("viewer").get("/api/v1/audit?portfolio=" + key).then().statusCode(200)
                .body("items.action", org.hamcrest.Matchers.contains("PORTFOLIO_CREATED", "CHANNEL_UPSERTED"))
                .body("items.actor", org.hamcrest.Matchers.everyItem(equalTo("admin")))
                .body("items[1].entityId", equalTo(key + "/search"))
                .body("items[1].prevHash", equalTo(Api.as("viewer").get("/api/v1/audit?portfolio=" + key)
                        .then().extract().path("items[0].hash")));
        Api.as("viewer").get("/api/v1/audit?portfolio=" + key + "&order=desc&size=1").then()
                .body("items[0].action", equalTo("CHANNEL_UPSERTED")).body("total", equalTo(2));
        Api.as("viewer").get("/api/v1/audit/verify").then().statusCode(200)
                .body("valid", equalTo(true)).body("firstBrokenSeq", org.hamcrest.Matchers.nullValue());
        Api.as("viewer").get("/api/v1/audit?action=NOPE").then().statusCode(400);
    }
}
