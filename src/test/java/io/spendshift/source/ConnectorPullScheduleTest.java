package io.spendshift.source;

import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import io.spendshift.TestClock;
import io.spendshift.connector.FakePlatforms;
import io.spendshift.run.Cycles;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduled source poll pulls a portfolio's connectors once per {@code spendshift.connectors.pull-interval}
 * (the platforms' quotas), a manual pull always.
 */
@QuarkusTest
class ConnectorPullScheduleTest {

    static FakePlatforms fake;

    @Inject
    SourceService sources;
    @Inject
    TestClock clock;

    @BeforeAll
    static void platforms() throws Exception {
        fake = new FakePlatforms(18931);
    }

    @AfterAll
    static void stop() {
        fake.close();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** The insights reads of the account that start a pull (later pages carry {@code after}). */
    static long pulls() {
        return fake.requests("/act_7770001/insights").stream()
                .filter(r -> r.query() == null || !r.query().contains("after=")).count();
    }

    @Test
    void theScheduledPollPullsTheConnectorsOncePerPullInterval() {
        fake.metaCampaign("9911", "Prospecting", 100000L);
        String key = Cycles.portfolio("RECOMMEND", Map.of());
        Api.admin().body(Map.of("name", "good", "kind", "search", "dailyBudget", 1000, "minDailyBudget", 100,
                        "maxDailyBudget", 5000, "target", Map.of("connector", "meta-ads", "account", "7770001",
                                "campaigns", List.of("9911"))))
                .put("/api/v1/portfolios/" + key + "/channels/good").then().statusCode(200);

        sources.poll();
        sources.poll();
        assertThat(pulls()).isEqualTo(1);

        // a manual pull does not wait for the interval
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200);
        assertThat(pulls()).isEqualTo(2);
        sources.poll();
        assertThat(pulls()).isEqualTo(2);

        clock.advance(Duration.ofHours(6).plusMinutes(1));
        sources.poll();
        assertThat(pulls()).isEqualTo(3);
    }
}
