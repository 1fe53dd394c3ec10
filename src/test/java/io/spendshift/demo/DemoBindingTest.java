package io.spendshift.demo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** The running test service is in demo mode, so it listens on 127.0.0.1, decided by {@link DemoBindsLoopback}. */
@QuarkusTest
class DemoBindingTest {

    @Test
    void aDemoServiceListensOnLoopbackOnly() {
        var host = ConfigProvider.getConfig().getConfigValue("quarkus.http.host");
        assertThat(host.getValue()).isEqualTo("127.0.0.1");
        assertThat(host.getSourceName()).isEqualTo(DemoBindsLoopback.SOURCE);
        RestAssured.given().baseUri("http://127.0.0.1").get("/q/health/live").then().statusCode(200)
                .body("status", equalTo("UP"));
    }
}
