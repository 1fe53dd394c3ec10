package io.spendshift.run;

import io.spendshift.Api;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A portfolio whose history makes the default policy move budget from "poor" to "good". */
public final class Cycles {

    private Cycles() {
    }

    /**
     * Two search channels at 1,000 a day for 60 days, spend varying ±10%: "good" wins a customer worth 100 per
     * 10 of spend (marginal value about 10), "poor" one per 100 (about 1). The default pack trims poor by 20%
     * and boosts good: a shift of 200.
     */
    public static String portfolio(String mode, Map<String, Object> extra) {
        String key = Api.uniqueKey("cyc");
        Map<String, Object> body = new java.util.HashMap<>(Map.of("key", key, "name", "Cycle " + key,
                "currency", "EUR", "mode", mode));
        body.putAll(extra);
        Api.admin().body(body).post("/api/v1/portfolios").then().statusCode(201);
        for (String c : List.of("good", "poor")) {
            Api.admin().body(Map.of("name", c, "kind", "search", "dailyBudget", 1000, "minDailyBudget", 100,
                    "maxDailyBudget", 5000)).put("/api/v1/portfolios/" + key + "/channels/" + c).then().statusCode(201);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        LocalDate today = LocalDate.now();
        for (int d = 1; d <= 60; d++) {
            double spend = 1000 * (1 + 0.1 * Math.sin(d * 1.7));
            long goodCustomers = Math.round(spend / 10);
            long poorCustomers = Math.round(spend / 100);
            String date = today.minusDays(d).toString();
            String s = String.format(java.util.Locale.ROOT, "%.2f", spend);
            rows.add(Api.row("good", date, new java.math.BigDecimal(s), 100000, 5000, goodCustomers,
                    goodCustomers * 60, goodCustomers, 100));
            rows.add(Api.row("poor", date, new java.math.BigDecimal(s), 100000, 5000, poorCustomers,
                    poorCustomers * 60, poorCustomers, 100));
        }
        Api.as("ingest").body(rows).post("/api/v1/portfolios/" + key + "/metrics").then().statusCode(200);
        return key;
    }

    public static String portfolio() {
        return portfolio("RECOMMEND", Map.of());
    }

    /**
     * Adds a third search channel to a cycle portfolio, before its run: 1,000 a day within [100, 5,000] and 60 days as
     * poor as "poor" (one customer worth 100 per 100 of spend) but with spend varying on its own (an identical series
     * would leave the response model unable to tell the channels apart: no confident estimate, only exploration).
     * The default pack then trims it and "poor" by 100 each and boosts "good" by 200.
     */
    public static void addChannel(String key, String channel) {
        Api.admin().body(Map.of("name", channel, "kind", "search", "dailyBudget", 1000, "minDailyBudget", 100,
                "maxDailyBudget", 5000)).put("/api/v1/portfolios/" + key + "/channels/" + channel).then().statusCode(201);
        List<Map<String, Object>> rows = new ArrayList<>();
        LocalDate today = LocalDate.now();
        for (int d = 1; d <= 60; d++) {
            double spend = 1000 * (1 + 0.1 * Math.cos(d * 1.3));
            long customers = Math.round(spend / 100);
            String s = String.format(java.util.Locale.ROOT, "%.2f", spend);
            rows.add(Api.row(channel, today.minusDays(d).toString(), new java.math.BigDecimal(s), 100000, 5000, customers,
                    customers * 60, customers, 100));
        }
        Api.as("ingest").body(rows).post("/api/v1/portfolios/" + key + "/metrics").then().statusCode(200);
    }
}
