package io.spendshift.demo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo portfolio looks like an account: plausible ROAS and LTV:CAC, metric rows as platforms report them,
 * and the team's customer value as an outcomes feed for every channel but one left on platform revenue.
 */
@QuarkusTest
class DemoDataTest {

    @Test
    @SuppressWarnings("unchecked")
    void theDemoChannelsHaveAnAccountsEconomicsAndBothValueSources() {
        List<Map<String, Object>> channels = as("viewer").get("/api/v1/portfolios/demo/performance").then()
                .statusCode(200).extract().path("channels");
        assertThat(channels).hasSize(6);
        for (Map<String, Object> c : channels) {
            assertThat(((Number) c.get("roas")).doubleValue()).as("ROAS of %s", c.get("channel")).isBetween(1.5, 6.0);
            if ("video".equals(c.get("channel"))) {
                assertThat(c.get("valueSource")).as("video is left on platform revenue").isEqualTo("REVENUE");
                assertThat(c.get("ltvToCac")).isNull();
            } else {
                assertThat(c.get("valueSource")).as("value source of %s", c.get("channel")).isEqualTo("OUTCOMES");
                assertThat(((Number) c.get("ltvToCac")).doubleValue()).as("LTV:CAC of %s", c.get("channel"))
                        .isBetween(0.8, 5.0);
                assertThat(((Number) c.get("ltvRoas")).doubleValue()).as("LTV-ROAS of %s", c.get("channel"))
                        .isBetween(0.8, 5.0);
            }
        }
        // the platform rows carry no customer data; the feed does
        List<Map<String, Object>> rows = as("viewer").get("/api/v1/portfolios/demo/metrics?channel=search&size=5")
                .then().statusCode(200).extract().path("items");
        assertThat(rows).isNotEmpty().allSatisfy(r -> assertThat(r.get("newCustomers")).isNull())
                .allSatisfy(r -> assertThat(r.get("ltv")).isNull());
        as("viewer").get("/api/v1/portfolios/demo/outcomes?channel=search").then().statusCode(200)
                .body("total", org.hamcrest.Matchers.equalTo(90));
        as("viewer").get("/api/v1/portfolios/demo/outcomes?channel=video").then().statusCode(200)
                .body("total", org.hamcrest.Matchers.equalTo(0));
    }
}
