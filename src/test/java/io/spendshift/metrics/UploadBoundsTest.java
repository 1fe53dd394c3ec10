package io.spendshift.metrics;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.spendshift.Api;
import io.spendshift.SpendshiftConfig;
import io.spendshift.audit.AuditService;
import io.spendshift.common.TooLarge;
import io.spendshift.portfolio.PortfolioDataStore;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * An upload cannot make the service hold or answer more than a bounded amount, however many campaigns or rows it
 * names: the preview and the refusal list the first 50 campaigns and count the rest, and beyond the configured
 * limits the upload is refused as a whole with a 413 naming the limit.
 */
@QuarkusTest
class UploadBoundsTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String GOOGLE = "Day,Campaign,Cost,Impr.,Clicks,Conversions,Conv. value\n";

    @Inject
    SpendshiftConfig config;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    AuditService audit;
    @Inject
    Clock clock;
    @Inject
    MeterRegistry meters;
    @Inject
    PortfolioDataStore data;

    private static String metrics(String key) {
        return "/api/v1/portfolios/" + key + "/metrics";
    }

    /** A Google Ads export: one line of the claimed campaign {@code Brand}, then {@code n} campaigns no one claims. */
    static String unclaimed(int n) {
        StringBuilder sb = new StringBuilder(n * 40).append(GOOGLE).append("2026-09-14,Brand,10.00,100,10,1,20.00\n");
        for (int i = 0; i < n; i++) {
            sb.append("2026-09-14,Unclaimed ").append(i).append(",1.00,10,1,0,0.00\n");
        }
        return sb.toString();
    }

    private static ExtractableResponse<Response> post(String key, String query, String csv, int status) {
        return as("ingest").contentType("text/csv").body(csv).post(metrics(key) + query).then().statusCode(status)
                .extract();
    }

    private static long stored(String key) {
        return as("viewer").get(metrics(key)).then().statusCode(200).extract().<Number>path("total").longValue();
    }

    private static String portfolio(String prefix) {
        String key = Api.portfolioWithChannels(prefix);
        Api.admin().body(Map.of("name", "Search", "kind", "search", "dailyBudget", 100, "minDailyBudget", 10,
                "maxDailyBudget", 1000, "aliases", List.of("Brand"))).put(metrics(key).replace("/metrics",
                "/channels/search")).then().statusCode(201);
        return key;
    }

    @Test
    void twoHundredThousandUnclaimedCampaignsAreAnsweredAsFiftyAndACountInASmallAnswer() {
        String key = portfolio("many-campaigns");
        int n = 200_000;
        // the eighth campaign once more at the end: line n + 3
        String csv = unclaimed(n) + "2026-09-15,Unclaimed 7,1.00,10,1,0,0.00\n";

        ExtractableResponse<Response> preview = as("ingest").contentType("text/csv").body(csv)
                .post(metrics(key) + "/preview").then().statusCode(200)
                .body("rows", equalTo(1)).body("channels", hasSize(1))
                .body("unmapped", hasSize(50)).body("unmapped[0]", equalTo("'Unclaimed 0'"))
                .body("unmappedCount", equalTo(n)).body("errorCount", equalTo(n))
                .body("errors", hasSize(50))
                .body("errors[7].line", equalTo(10))
                .body("errors[7].message", containsString("'Unclaimed 7' is not mapped to a channel (lines 10, "
                        + (n + 3) + ")"))
                .extract();
        assertThat(preview.asByteArray().length).as("preview bytes").isLessThan(20_000);

        ExtractableResponse<Response> refused = as("ingest").contentType("text/csv").body(csv).post(metrics(key))
                .then().statusCode(400).contentType(PROBLEM)
                .body("errorCount", equalTo(n)).body("errors", hasSize(50))
                .body("unmapped", hasSize(50)).body("unmappedCount", equalTo(n))
                .body("detail", containsString("nothing was stored; unmapped campaigns: 'Unclaimed 0', 'Unclaimed 1',"
                        + " 'Unclaimed 2', 'Unclaimed 3', 'Unclaimed 4' and " + (n - 5) + " more"))
                .extract();
        assertThat(refused.asByteArray().length).as("refusal bytes").isLessThan(20_000);
        assertThat(refused.<String>path("detail")).hasSizeLessThan(300);
        assertThat(stored(key)).isZero();

        ExtractableResponse<Response> ignoredPreview = post(key, "/preview?unmapped=ignore", csv, 200);
        assertThat(ignoredPreview.<List<String>>path("ignored")).hasSize(50);
        assertThat(ignoredPreview.<Integer>path("ignoredCount")).isEqualTo(n);
        assertThat(ignoredPreview.<List<Object>>path("errors")).isEmpty();
        assertThat(ignoredPreview.asByteArray().length).isLessThan(20_000);
        assertThat(stored(key)).as("previews store nothing").isZero();

        ExtractableResponse<Response> imported = post(key, "?unmapped=ignore", csv, 200);
        assertThat(imported.<Integer>path("inserted")).isEqualTo(1);
        assertThat(imported.<List<String>>path("ignoredCampaigns")).hasSize(50);
        assertThat(imported.<Integer>path("ignoredCampaignCount")).isEqualTo(n);
        assertThat(imported.asByteArray().length).isLessThan(20_000);
        assertThat(stored(key)).isEqualTo(1);
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=METRICS_INGESTED").then().statusCode(200)
                .body("items[0].details.ignoredCampaigns", equalTo(n));
    }

    @Test
    void moreDistinctUnclaimedCampaignsThanConfiguredAreA413NamingTheLimitAndStoreNothing() {
        String key = portfolio("too-many-campaigns");
        long max = config.ingest().maxDistinctCampaigns();
        String csv = unclaimed((int) max + 1);
        for (String query : List.of("", "/preview", "?unmapped=ignore")) {
            ExtractableResponse<Response> r = as("ingest").contentType("text/csv").body(csv).post(metrics(key) + query)
                    .then().statusCode(413).contentType(PROBLEM)
                    .body("limit", equalTo("spendshift.ingest.max-distinct-campaigns"))
                    .body("maximum", equalTo((int) max))
                    .body("detail", containsString("more than " + max + " distinct campaigns"))
                    .body("detail", containsString("nothing was stored"))
                    .extract();
            assertThat(r.asByteArray().length).isLessThan(2_000);
        }
        assertThat(stored(key)).isZero();
    }

    /** The service as configured, but with these limits. */
    private MetricIngestService withLimits(long maxRows, long maxDistinct) {
        SpendshiftConfig.Ingest limits = new SpendshiftConfig.Ingest() {
            @Override
            public long maxRows() {
                return maxRows;
            }

            @Override
            public long maxDistinctCampaigns() {
                return maxDistinct;
            }
        };
        SpendshiftConfig small = (SpendshiftConfig) Proxy.newProxyInstance(SpendshiftConfig.class.getClassLoader(),
                new Class<?>[]{SpendshiftConfig.class},
                (proxy, method, args) -> method.getName().equals("ingest") ? limits : method.invoke(config, args));
        return new MetricIngestService(dataSource, audit, clock, meters, data, small);
    }

    @Test
    void moreRowsThanConfiguredRefuseTheWholeBatchEvenAfterChunksWereWritten() {
        String key = Api.portfolioWithChannels("many-rows", "search");
        MetricIngestService small = withLimits(2_500, 10);
        StringBuilder csv = new StringBuilder("channel,date,spend,impressions,clicks,conversions,revenue,newCustomers\n");
        LocalDate first = LocalDate.of(2015, 1, 1);
        for (int i = 0; i <= 2_500; i++) {
            csv.append("search,").append(first.plusDays(i)).append(",1,10,1,0,0,0\n");
        }
        // 2,501 rows: two chunks of 1,000 are written before the limit is met, and rolled back with the rest
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().call(() -> small.ingest(key,
                RawRowReader.csv(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8))), "ingest",
                "api-csv")))
                .isInstanceOfSatisfying(TooLarge.class, e -> {
                    assertThat(e.limit()).isEqualTo("spendshift.ingest.max-rows");
                    assertThat(e.maximum()).isEqualTo(2_500);
                    assertThat(e.getMessage()).contains("more than 2500 rows").contains("nothing was stored");
                });
        assertThat(stored(key)).isZero();
        // a preview of them is refused the same way
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().call(() -> small.check(key,
                RawRowReader.csv(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8))))))
                .isInstanceOf(TooLarge.class);
        // one row fewer is within the limit
        String within = csv.substring(0, csv.lastIndexOf("search,"));
        MetricIngestService.Result r = QuarkusTransaction.requiringNew().call(() -> small.ingest(key,
                RawRowReader.csv(new ByteArrayInputStream(within.getBytes(StandardCharsets.UTF_8))), "ingest",
                "api-csv"));
        assertThat(r.received()).isEqualTo(2_500);
        assertThat(stored(key)).isEqualTo(2_500);
    }
}
