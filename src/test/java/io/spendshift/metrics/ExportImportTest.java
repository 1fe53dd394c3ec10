package io.spendshift.metrics;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.spendshift.Api;
import io.spendshift.source.CsvDropFolder;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.spendshift.Api.as;
import static io.spendshift.Api.money;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** Platform exports, saved mappings, previews, plausibility warnings and refused drop files, end to end. */
@QuarkusTest
class ExportImportTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    CsvDropFolder dropFolder;

    private static String metrics(String key) {
        return "/api/v1/portfolios/" + key + "/metrics";
    }

    private static byte[] sample(String name) throws IOException {
        try (InputStream in = ExportImportTest.class.getResourceAsStream("/exports/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static String portfolio(String prefix) {
        return Api.portfolioWithChannels(prefix);
    }

    /** A channel whose export campaigns are named by {@code aliases} and/or listed by id in its target. */
    private static void channel(String key, String channel, List<String> aliases, String connector,
                                List<String> campaigns) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("name", channel, "kind", "search", "dailyBudget", 100,
                "minDailyBudget", 10, "maxDailyBudget", 1000));
        if (aliases != null) {
            body.put("aliases", aliases);
        }
        if (campaigns != null) {
            body.put("target", Map.of("connector", connector, "account", "1234567890", "campaigns", campaigns));
        }
        Api.admin().body(body).put("/api/v1/portfolios/" + key + "/channels/" + channel).then().statusCode(201);
    }

    private static ValidatableResponse post(String key, String query, byte[] body) {
        return as("ingest").contentType("text/csv").body(body).post(metrics(key) + query).then();
    }

    private static ValidatableResponse post(String key, String query, String body) {
        return post(key, query, body.getBytes(StandardCharsets.UTF_8));
    }

    /** The stored day of a channel: spend, impressions, clicks, conversions, revenue, newCustomers. */
    private static Map<String, Object> day(String key, String channel, String date) {
        List<Map<String, Object>> items = as("viewer").get(metrics(key) + "?channel=" + channel + "&from=" + date
                + "&to=" + date).then().statusCode(200).extract().path("items");
        assertThat(items).as(channel + " on " + date).hasSize(1);
        return items.get(0);
    }

    private static void assertDay(String key, String channel, String date, String spend, long impressions, long clicks,
                                  String conversions, String revenue) {
        Map<String, Object> d = day(key, channel, date);
        assertThat(new BigDecimal(d.get("spend").toString())).as("spend").isEqualByComparingTo(spend);
        assertThat(((Number) d.get("impressions")).longValue()).as("impressions").isEqualTo(impressions);
        assertThat(((Number) d.get("clicks")).longValue()).as("clicks").isEqualTo(clicks);
        assertThat(new BigDecimal(d.get("conversions").toString())).as("conversions").isEqualByComparingTo(conversions);
        assertThat(new BigDecimal(d.get("revenue").toString())).as("revenue").isEqualByComparingTo(revenue);
        assertThat(d.get("newCustomers")).as("an export has no new customers").isNull();
        assertThat(d.get("ltv")).isNull();
    }

    private static long stored(String key) {
        return as("viewer").get(metrics(key)).then().statusCode(200).extract().<Number>path("total").longValue();
    }

    @Test
    void googleAdsReportWithTitleLinesBomTotalsAndThousandsSeparatorsIsSummedPerChannelAndDay() throws IOException {
        String key = portfolio("gads");
        channel(key, "search", null, "google-ads", List.of("111", "222"));
        channel(key, "shopping", List.of("Shopping - All"), null, null);
        post(key, "", sample("google-ads-campaign-report.csv")).statusCode(200)
                .body("format", equalTo("google-ads")).body("detected", equalTo(true))
                .body("received", equalTo(4)).body("inserted", equalTo(4))
                .body("skippedLines", equalTo(5)).body("warningCount", equalTo(0));
        assertDay(key, "search", "2026-09-14", "1644.56", 63214, 3676, "20.00", "4500.00");
        assertDay(key, "search", "2026-09-15", "1499.99", 57500, 3380, "19.25", "3990.01");
        assertDay(key, "shopping", "2026-09-14", "88.10", 9120, 310, "3.5", "420.00");
        assertDay(key, "shopping", "2026-09-15", "90.00", 9000, 300, "4", "450.50");
        assertThat(stored(key)).isEqualTo(4);
        // re-importing the same export updates the same days instead of adding to them
        post(key, "?format=google-ads", sample("google-ads-campaign-report.csv")).statusCode(200)
                .body("detected", equalTo(false)).body("inserted", equalTo(0)).body("updated", equalTo(4));
        assertDay(key, "search", "2026-09-14", "1644.56", 63214, 3676, "20.00", "4500.00");
    }

    @Test
    void metaAdsExportSkipsItsSummaryRowAndReadsEmptyPurchasesAsNone() throws IOException {
        String key = portfolio("meta");
        channel(key, "social", List.of("Prospecting - Broad", "Retargeting - 30d"), null, null);
        channel(key, "video", null, "meta-ads", List.of("120210000000000003"));
        post(key, "", sample("meta-ads-export.csv")).statusCode(200)
                .body("format", equalTo("meta-ads")).body("inserted", equalTo(4)).body("skippedLines", equalTo(1));
        assertDay(key, "social", "2026-09-14", "757.50", 140400, 2090, "49", "6030.40");
        assertDay(key, "social", "2026-09-15", "743.70", 129900, 2030, "47", "5772.00");
        assertDay(key, "video", "2026-09-14", "80.00", 40000, 150, "0", "0");
        assertDay(key, "video", "2026-09-15", "20.00", 100, 0, "0", "0");
    }

    @Test
    void microsoftAdsReportWithItsTitleBlockTotalAndCopyrightFooter() throws IOException {
        String key = portfolio("msads");
        channel(key, "search", List.of("Brand Exact", "brand phrase"), null, null);
        post(key, "?dryRun=true", sample("microsoft-ads-report.csv")).statusCode(200)
                .body("format", equalTo("microsoft-ads")).body("dateFormat", equalTo("M/d/yyyy"))
                .body("skippedLines", equalTo(8)).body("rows", equalTo(2)).body("errors", hasSize(0));
        post(key, "?format=microsoft-ads", sample("microsoft-ads-report.csv")).statusCode(200)
                .body("format", equalTo("microsoft-ads")).body("inserted", equalTo(2));
        assertDay(key, "search", "2026-09-14", "1250.55", 16400, 1002, "26.00", "3560.25");
        assertDay(key, "search", "2026-09-15", "1213.35", 15850, 960, "23.00", "3200.00");
    }

    @Test
    void tiktokAdsExportWithFractionalConversionsAndItsTotalLine() throws IOException {
        String key = portfolio("tiktok");
        channel(key, "social", List.of("Spark - UGC Hooks", "Spark - Creator Whitelist"), null, null);
        post(key, "", sample("tiktok-ads-export.csv")).statusCode(200)
                .body("format", equalTo("tiktok-ads")).body("inserted", equalTo(2));
        assertDay(key, "social", "2026-09-14", "500.00", 126000, 1660, "20.5", "2285.10");
        assertDay(key, "social", "2026-09-15", "500.00", 129500, 1710, "21", "2292.40");
        as("viewer").get(metrics(key) + "?channel=social&from=2026-09-14&to=2026-09-14").then()
                .body("items[0].conversions", money("20.5"));
    }

    @Test
    void aGermanSpreadsheetIsReadThroughASavedMapping() throws IOException {
        String key = portfolio("mapde");
        channel(key, "affiliate", List.of("Gutscheinportale", "Cashback"), null, null);
        Map<String, Object> mapping = Map.of("columns", Map.of("date", "Tag", "campaign", "Kampagne", "spend", "Kosten",
                "impressions", "Impressionen", "clicks", "Klicks", "conversions", "Conversions", "revenue", "Umsatz"),
                "decimal", ",", "dateFormat", "dd.MM.yyyy");
        Api.admin().body(mapping).put("/api/v1/portfolios/" + key + "/mappings/affiliate-de").then().statusCode(201)
                .body("name", equalTo("affiliate-de")).body("columns.spend", equalTo("Kosten"))
                .body("decimal", equalTo(",")).body("updatedBy", equalTo("admin"));
        // without the mapping no preset knows the columns
        post(key, "", sample("affiliate-de-custom-mapping.csv")).statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("No header line of a known format"));
        post(key, "?mapping=affiliate-de", sample("affiliate-de-custom-mapping.csv")).statusCode(200)
                .body("format", equalTo("mapping:affiliate-de")).body("inserted", equalTo(2));
        assertDay(key, "affiliate", "2026-09-14", "1644.56", 63214, 3676, "20.00", "4500.00");
        assertDay(key, "affiliate", "2026-09-15", "1499.99", 57500, 3380, "19.25", "3990.01");
        post(key, "?mapping=nope", sample("affiliate-de-custom-mapping.csv")).statusCode(400)
                .body("errors[0].field", equalTo("mapping"));
    }

    @Test
    void mappingsAreListedReplacedDeletedValidatedAndAudited() {
        String key = portfolio("mapcrud");
        String base = "/api/v1/portfolios/" + key + "/mappings";
        Map<String, Object> columns = Map.of("date", "Tag", "channel", "Kanal", "spend", "Kosten", "impressions", "Impr",
                "clicks", "Klicks", "conversions", "Conv", "revenue", "Umsatz");
        Api.admin().body(Map.of("columns", columns)).put(base + "/basic").then().statusCode(201)
                .body("decimal", equalTo(".")).body("dateFormat", equalTo("yyyy-MM-dd"));
        Api.admin().body(Map.of("columns", columns, "decimal", ",", "skipLines", 2)).put(base + "/basic").then()
                .statusCode(200).body("decimal", equalTo(",")).body("skipLines", equalTo(2));
        as("viewer").get(base).then().statusCode(200).body("items.name", contains("basic"));
        as("viewer").get(base + "/basic").then().statusCode(200).body("columns.channel", equalTo("Kanal"));
        as("viewer").body(Map.of("columns", columns)).put(base + "/other").then().statusCode(403);
        Api.admin().body(Map.of("columns", new java.util.TreeMap<>(Map.of("date", "Tag", "cost", "Kosten", "spend", "Tag")),
                        "decimal", ";", "dateFormat", "ddd.MM.yyyy", "skipLines", -1))
                .put(base + "/bad").then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("columns.cost"))
                .body("errors.field", hasItem("columns.impressions"))
                .body("errors.field", hasItem("columns.revenue"))
                .body("errors.field", hasItem("columns"))
                .body("errors.message", hasItem("header 'Tag' is already mapped to date"))
                .body("errors.field", hasItem("dateFormat"))
                .body("errors.field", hasItem("decimal"))
                .body("errors.field", hasItem("skipLines"));
        as("viewer").get(base + "/bad").then().statusCode(404);
        Api.admin().delete(base + "/basic").then().statusCode(204);
        as("viewer").get(base + "/basic").then().statusCode(404);
        Api.admin().delete(base + "/basic").then().statusCode(404);
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&entityType=mapping").then().statusCode(200)
                .body("items.action", contains("MAPPING_SAVED", "MAPPING_SAVED", "MAPPING_DELETED"));
    }

    @Test
    void unmappedCampaignsRefuseTheBatchByNameUnlessIgnored() throws IOException {
        String key = portfolio("unmapped");
        channel(key, "search", null, "google-ads", List.of("111"));
        post(key, "", sample("google-ads-campaign-report.csv")).statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("'Generic - DE' (id 222)"))
                .body("detail", containsString("'Shopping - All' (id 333)"))
                .body("errors", hasSize(2))
                .body("errors[0].field", equalTo("campaign")).body("errors[0].row", equalTo(5))
                .body("errors[0].message", containsString("lines 5, 8"));
        assertThat(stored(key)).isZero();
        post(key, "?unmapped=ignore", sample("google-ads-campaign-report.csv")).statusCode(200)
                .body("inserted", equalTo(2))
                .body("ignoredCampaigns", contains("'Generic - DE' (id 222)", "'Shopping - All' (id 333)"));
        assertDay(key, "search", "2026-09-14", "1234.56", 45210, 2774, "7.42", "3456.78");
        post(key, "?unmapped=maybe", sample("google-ads-campaign-report.csv")).statusCode(400)
                .body("errors[0].field", equalTo("unmapped"));
    }

    @Test
    void aCurrencyOtherThanThePortfoliosIsRefused() {
        String key = portfolio("currency");
        channel(key, "search", List.of("Brand"), null, null);
        String google = "Day,Campaign,Currency code,Cost,Impr.,Clicks,Conversions,Conv. value\n"
                + "2026-09-14,Brand,USD,10.00,100,10,1,20.00\n2026-09-15,Brand,USD,10.00,100,10,1,20.00\n";
        post(key, "", google).statusCode(400).contentType(PROBLEM)
                .body("errors", hasSize(1)).body("errors[0].field", equalTo("currency"))
                .body("errors[0].message", containsString("USD (first on line 2); the portfolio's currency is EUR"));
        String meta = "Day,Campaign name,Amount spent (USD),Impressions,Link clicks,Purchases,Purchases conversion value\n"
                + "2026-09-14,Brand,10.00,100,10,1,20.00\n";
        post(key, "?format=meta-ads", meta).statusCode(400)
                .body("errors[0].field", equalTo("currency"))
                .body("errors[0].message", containsString("in USD ('Amount spent (USD)')"));
        assertThat(stored(key)).isZero();
    }

    @Test
    void badDatesAndNumbersAreReportedWithTheirLines() {
        String key = portfolio("baddate");
        channel(key, "search", List.of("Brand"), null, null);
        String csv = "Campaign report\nDay,Campaign,Cost,Impr.,Clicks,Conversions,Conv. value\n"
                + "2026-09-14,Brand,10.00,100,10,1,20.00\n"
                + "14.09.2026,Brand,10.00,100,10,1,20.00\n"
                + "2026-09-16,Brand,\"12,50\",100,10,1,20.00\n"
                + LocalDate.now().plusDays(5) + ",Brand,10.00,100,10,1,20.00\n";
        post(key, "", csv).statusCode(400).contentType(PROBLEM)
                .body("errors.row", contains(4, 5, 6))
                .body("errors[0].field", equalTo("date"))
                .body("errors[0].message", containsString("'14.09.2026' is not a date"))
                .body("errors[0].message", containsString("dateFormat="))
                .body("errors[1].field", equalTo("spend"))
                .body("errors[1].message", containsString("decimal=,"))
                .body("errors[2].field", equalTo("date"))
                .body("errors[2].message", containsString("is after today"))
                .body("errorCount", equalTo(3));
        // the day after today is refused by the same rule as for every ingestion, on its line
        String future = "Day,Campaign,Cost,Impr.,Clicks,Conversions,Conv. value\n"
                + LocalDate.now().plusDays(5) + ",Brand,10.00,100,10,1,20.00\n";
        post(key, "", future).statusCode(400).body("errors[0].row", equalTo(2))
                .body("errors[0].message", containsString("is after today"));
        // with the file's own formats given, the same lines read
        String german = "Day,Campaign,Cost,Impr.,Clicks,Conversions,Conv. value\n"
                + "14.09.2026,Brand,\"1.012,50\",\"1.100\",10,\"1,5\",\"20,00\"\n";
        post(key, "?format=google-ads&decimal=,&dateFormat=dd.MM.yyyy", german).statusCode(200)
                .body("inserted", equalTo(1));
        assertDay(key, "search", "2026-09-14", "1012.50", 1100, 10, "1.5", "20.00");
        post(key, "?format=google-ads&dateFormat=ddd.MM.yyyy", german).statusCode(400)
                .body("errors[0].field", equalTo("dateFormat"));
        post(key, "?format=bing", german).statusCode(400).body("errors[0].field", equalTo("format"));
        assertThat(stored(key)).isEqualTo(1);
    }

    @Test
    void aSpendshiftCsvWithAByteOrderMarkIsReadWithoutContradictoryErrors() {
        String key = Api.portfolioWithChannels("bom", "search");
        String csv = "\uFEFFchannel,date,spend,impressions,clicks,conversions,revenue,newCustomers,ltv\n"
                + "search,2026-09-14,10,100,10,2.5,30,1,\n";
        post(key, "", csv).statusCode(200).body("format", equalTo("spendshift")).body("detected", equalTo(true))
                .body("inserted", equalTo(1));
        as("viewer").get(metrics(key)).then().body("items[0].conversions", money("2.5"))
                .body("items[0].newCustomers", equalTo(1));
        // a real mistake in such a file is named once, as what it is (newCustomers may be left out: a missing
        // revenue column is the mistake here)
        String missing = "\uFEFFchannel,date,spend,impressions,clicks,conversions,newCustomers\nsearch,2026-09-14,1,1,1,1,1\n";
        post(key, "", missing).statusCode(400)
                .body("errors.field", contains("revenue"))
                .body("errors.message", everyItem(not(containsString("unknown column"))));
    }

    @Test
    void fractionalCountsUpToSixDecimalsAreAcceptedAndWholeImpressionsStillRequired() {
        String key = Api.portfolioWithChannels("frac", "search");
        as("ingest").body(List.of(Api.row("search", "2026-09-14", 10, 100, 10, 7.42, 30, 0.333333, null)))
                .post(metrics(key)).then().statusCode(200);
        as("viewer").get(metrics(key)).then().body("items[0].conversions", money("7.42"))
                .body("items[0].newCustomers", money("0.333333"));
        as("ingest").body(List.of(Api.row("search", "2026-09-15", 10, 100.5, 10, 1.1234567, 30, 1, null)))
                .post(metrics(key)).then().statusCode(400)
                .body("errors.field", containsInAnyOrder("impressions", "conversions"));
    }

    @Test
    void implausibleRowsAreStoredWithWarningsCountedInTheAudit() {
        String key = Api.portfolioWithChannels("warn", "search", "social");
        String csv = "channel,date,spend,impressions,clicks,conversions,revenue,newCustomers,ltv\n"
                + "search,2026-09-14,100,1000,10,50,0,80,\n"
                + "social,2026-09-14,0,1000,10,0,40,0,\n"
                + "search,2026-09-15,100,1000,100,5,500,3,\n";
        post(key, "", csv).statusCode(200).body("inserted", equalTo(3))
                .body("warningCount", equalTo(5))
                .body("warnings.line", contains(1, 1, 1, 2, 2))
                .body("warnings.channel", contains("search", "search", "search", "social", "social"))
                .body("warnings[0].date", equalTo("2026-09-14"))
                .body("warnings.message", contains(
                        "newCustomers (80) exceed conversions (50)",
                        "conversions (50) exceed clicks (10)",
                        "conversions (50) without revenue: the day adds no value unless newCustomers and ltv are given",
                        "revenue (40) without conversions",
                        "clicks without spend"));
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=METRICS_INGESTED").then().statusCode(200)
                .body("items[0].details.warnings", equalTo(5));
    }

    @Test
    void aDryRunPreviewsEverythingAndStoresNothing() throws IOException {
        String key = portfolio("dry");
        channel(key, "search", null, "google-ads", List.of("111", "222"));
        post(key, "?dryRun=true", sample("google-ads-campaign-report.csv")).statusCode(200)
                .body("format", equalTo("google-ads")).body("detected", equalTo(true))
                .body("mapping.columns.spend", equalTo("Cost")).body("mapping.columns.revenue", equalTo("Conv. value"))
                .body("mapping.columns.date", equalTo("Day"))
                .body("decimal", equalTo(".")).body("dateFormat", equalTo("yyyy-MM-dd"))
                .body("rows", equalTo(2)).body("channels", contains("search"))
                .body("preview", hasSize(2)).body("preview[0].channel", equalTo("search"))
                .body("preview[0].spend", money("1644.56")).body("preview[0].newCustomers", nullValue())
                .body("errors", hasSize(1)).body("errors[0].line", equalTo(6))
                .body("errors[0].field", equalTo("campaign"))
                .body("unmapped", contains("'Shopping - All' (id 333)"))
                .body("warnings", hasSize(0));
        assertThat(stored(key)).isZero();
        // the preview endpoint answers the same without the flag
        as("ingest").contentType("text/csv").body(sample("google-ads-campaign-report.csv"))
                .post(metrics(key) + "/preview?unmapped=ignore").then().statusCode(200)
                .body("rows", equalTo(2)).body("errors", hasSize(0)).body("ignored", contains("'Shopping - All' (id 333)"));
        as("viewer").contentType("text/csv").body("x").post(metrics(key) + "/preview").then().statusCode(403);
        // a Spendshift CSV previews too, with its errors listed rather than refused
        post(key, "?dryRun=true", "channel,date,spend,impressions,clicks,conversions,revenue,newCustomers\n"
                + "search,2026-09-14,10,100,10,1,20,1\nsearch,2026-09-15,-1,100,10,1,20,1\n").statusCode(200)
                .body("format", equalTo("spendshift")).body("rows", equalTo(1))
                .body("errors[0].line", equalTo(3)).body("errors[0].field", equalTo("spend"));
        // its warnings name lines of the file too: the implausible data row 1 is line 2, like an error on it
        post(key, "?dryRun=true", "channel,date,spend,impressions,clicks,conversions,revenue,newCustomers\n"
                + "search,2026-09-14,0,100,10,0,0,0\nsearch,2026-09-15,-1,100,10,1,20,1\n").statusCode(200)
                .body("warnings.line", everyItem(equalTo(2)))
                .body("warnings.message", hasItem("clicks without spend"))
                .body("errors[0].line", equalTo(3));
        post(key, "?dryRun=perhaps", "x").statusCode(400).body("errors[0].field", equalTo("dryRun"));
        assertThat(stored(key)).isZero();
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=METRICS_INGESTED").then()
                .body("total", equalTo(0));
    }

    @Test
    void dropFilesReadPlatformFormatsAndARefusedOneIsVisibleInTheSourceStatus() throws IOException {
        String key = portfolio("dropx");
        channel(key, "search", null, "google-ads", List.of("111", "222"));
        channel(key, "shopping", List.of("Shopping - All"), null, null);
        Path dir = Files.createDirectories(dropFolder.folderOf(key));
        Files.write(dir.resolve(key + ".google-ads.csv"), sample("google-ads-campaign-report.csv"));
        Files.write(dir.resolve(key + ".tiktok-ads.csv"), sample("tiktok-ads-export.csv"));
        Api.admin().post("/api/v1/portfolios/" + key + "/source/pull").then().statusCode(200)
                .body("dropFiles.ingested", contains(true, false));
        assertDay(key, "search", "2026-09-14", "1644.56", 63214, 3676, "20.00", "4500.00");
        assertThat(dir.resolve("failed/" + key + ".tiktok-ads.csv")).exists();
        as("viewer").get("/api/v1/portfolios/" + key + "/source").then().statusCode(200)
                .body("rejectedDrops", hasSize(1))
                .body("rejectedDrops[0].file", equalTo(key + ".tiktok-ads.csv"))
                .body("rejectedDrops[0].at", not(nullValue()))
                .body("rejectedDrops[0].errorCount", equalTo(2))
                .body("rejectedDrops[0].errors[0]", containsString("Spark - UGC Hooks"));
        as("viewer").get("/api/v1/audit?portfolio=" + key + "&action=DROP_REJECTED").then()
                .body("items[0].details.file", equalTo(key + ".tiktok-ads.csv"));
    }
}
