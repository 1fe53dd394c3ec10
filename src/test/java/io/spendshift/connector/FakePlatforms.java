package io.spendshift.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google Ads (REST) and Meta Marketing API (Graph) as their documentation describes them, in one in-process HTTP
 * server on 127.0.0.1: the OAuth refresh-token exchange, GAQL searchStream (int64 as strings, money in micros),
 * campaignBudgets:mutate with updateMask, partialFailure and validateOnly, Graph insights with cursor paging,
 * campaigns and ad sets with daily budgets in minor units, rate-limit errors and usage headers. It keeps the
 * platforms' state (budgets), records every request, and fails on demand.
 */
public final class FakePlatforms implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    public static final String GOOGLE_PREFIX = "/google/v21";
    public static final String META_PREFIX = "/graph/v21.0";

    /** One recorded request. */
    public record Request(String method, String path, String query, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** A Google campaign and its budget. */
    public static final class GCampaign {
        public String name;
        public String status = "ENABLED";
        public String budget;

        GCampaign(String name, String budget) {
            this.name = name;
            this.budget = budget;
        }
    }

    public static final class GBudget {
        public long amountMicros;
        public boolean shared;

        GBudget(long amountMicros, boolean shared) {
            this.amountMicros = amountMicros;
            this.shared = shared;
        }
    }

    /** A Meta campaign (daily budget null: budgets on ad sets) or ad set. */
    public static final class MObject {
        public String name;
        public String status = "ACTIVE";
        public Long dailyBudget;
        public Long lifetimeBudget;
        public String campaign;

        MObject(String name, Long dailyBudget, String campaign) {
            this.name = name;
            this.dailyBudget = dailyBudget;
            this.campaign = campaign;
        }
    }

    private final HttpServer server;
    public final List<Request> requests = new CopyOnWriteArrayList<>();
    public final Map<String, GCampaign> gCampaigns = new ConcurrentHashMap<>();
    public final Map<String, GBudget> gBudgets = new ConcurrentHashMap<>();
    public final Map<String, MObject> mCampaigns = new ConcurrentHashMap<>();
    public final Map<String, MObject> mAdSets = new ConcurrentHashMap<>();
    public volatile String googleCurrency = "EUR";
    public volatile String metaCurrency = "EUR";
    public volatile String refreshToken = "test-refresh-token-9f2a";
    public volatile boolean refreshRevoked;
    public volatile int tokensIssued;
    public volatile long expiresIn = 3599;
    /** Answers 503 to every Google (API) call once this many mutates succeeded; -1: never. */
    public volatile int googleDownAfterMutates = -1;
    public volatile int googleMutates;
    /** Budget resources whose mutate fails (partial failure: rangeError TOO_LOW). */
    public final List<String> gRefused = new CopyOnWriteArrayList<>();
    /** Real mutates are applied but answered 503 (as if the answer were lost on the way back). */
    public volatile boolean googleLoseMutateAnswers;
    /** The next real (not validateOnly) mutate is refused whole (400), its error naming only operation 0. */
    public volatile boolean googleRefuseNextMutate;
    /** The next n Google calls answer 429 RESOURCE_EXHAUSTED. */
    public volatile int google429;
    /** The next n Meta calls answer error code 80004 (rate limit) with the given regain time. */
    public volatile int metaRateLimited;
    public volatile int metaRegainMinutes;
    /** Usage percentages sent in x-business-use-case-usage and x-fb-ads-insights-throttle. */
    public volatile int metaUsagePct;
    /** Meta answers 503 to everything once this many budget posts succeeded; -1: never. */
    public volatile int metaDownAfterPosts = -1;
    public volatile int metaPosts;
    public volatile boolean metaTokenExpired;
    /** The next n Meta calls answer a gateway's HTML page with 502. */
    public volatile int metaHtmlGateway;
    /** Insights rows per page. */
    public volatile int metaPageSize = 2;

    public FakePlatforms(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String base() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Google: campaign {@code id} with its own budget of {@code amount} (currency units). */
    public void googleCampaign(String id, String name, String amount) {
        String budget = "customers/1234567890/campaignBudgets/9" + id;
        gBudgets.put(budget, new GBudget(new java.math.BigDecimal(amount).movePointRight(6).longValueExact(), false));
        gCampaigns.put(id, new GCampaign(name, budget));
    }

    public java.math.BigDecimal googleBudget(String campaign) {
        return java.math.BigDecimal.valueOf(gBudgets.get(gCampaigns.get(campaign).budget).amountMicros).movePointLeft(6);
    }

    public void metaCampaign(String id, String name, Long dailyMinor) {
        mCampaigns.put(id, new MObject(name, dailyMinor, null));
    }

    public void metaAdSet(String id, String campaign, String name, Long dailyMinor) {
        mAdSets.put(id, new MObject(name, dailyMinor, campaign));
    }

    public List<Request> requests(String pathPart) {
        return requests.stream().filter(r -> r.path().contains(pathPart)).toList();
    }

    // -------------------------------------------------------------------------------------------- dispatch

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getRawQuery();
        requests.add(new Request(ex.getRequestMethod(), path, query, headers, body));
        try {
            if (path.equals("/oauth/token")) {
                oauth(ex, body);
            } else if (path.startsWith(GOOGLE_PREFIX + "/")) {
                google(ex, path.substring(GOOGLE_PREFIX.length()), headers, body);
            } else if (path.startsWith(META_PREFIX + "/")) {
                meta(ex, path.substring(META_PREFIX.length()), query == null ? Map.of() : params(query), headers, body);
            } else {
                send(ex, 404, "{}");
            }
        } catch (RuntimeException e) {
            send(ex, 500, "{\"error\":{\"message\":\"fake failed: " + e + "\"}}");
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
        ex.close();
    }

    static Map<String, String> params(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                m.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    // -------------------------------------------------------------------------------------------- Google

    private void oauth(HttpExchange ex, String body) throws IOException {
        Map<String, String> f = params(body);
        if (!"refresh_token".equals(f.get("grant_type")) || !"test-client-id".equals(f.get("client_id"))
                || !"test-client-secret-5c1d".equals(f.get("client_secret"))) {
            send(ex, 401, "{\"error\":\"invalid_client\",\"error_description\":\"Unauthorized\"}");
            return;
        }
        if (refreshRevoked || !refreshToken.equals(f.get("refresh_token"))) {
            send(ex, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Token has been expired or revoked.\"}");
            return;
        }
        tokensIssued++;
        send(ex, 200, "{\"access_token\":\"ya29.fake-" + tokensIssued + "\",\"expires_in\":" + expiresIn
                + ",\"scope\":\"https://www.googleapis.com/auth/adwords\",\"token_type\":\"Bearer\"}");
    }

    private void google(HttpExchange ex, String path, Map<String, String> h, String body) throws IOException {
        if (!("Bearer ya29.fake-" + tokensIssued).equals(h.get("authorization")) || h.get("developer-token") == null) {
            send(ex, 401, "{\"error\":{\"code\":401,\"message\":\"Request is missing required authentication credential.\","
                    + "\"status\":\"UNAUTHENTICATED\"}}");
            return;
        }
        if (google429 > 0) {
            google429--;
            send(ex, 429, "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\",\"status\":\"RESOURCE_EXHAUSTED\","
                    + "\"details\":[{\"@type\":\"type.googleapis.com/google.ads.googleads.v21.errors.GoogleAdsFailure\","
                    + "\"errors\":[{\"errorCode\":{\"quotaError\":\"RESOURCE_EXHAUSTED\"},\"message\":\"Too many requests.\","
                    + "\"details\":{\"quotaErrorDetails\":{\"rateScope\":\"ACCOUNT\",\"rateName\":\"Requests\","
                    + "\"retryDelay\":\"1s\"}}}]}]}}");
            return;
        }
        if (googleDownAfterMutates >= 0 && googleMutates >= googleDownAfterMutates) {
            send(ex, 503, "{\"error\":{\"code\":503,\"message\":\"The service is currently unavailable.\",\"status\":\"UNAVAILABLE\"}}");
            return;
        }
        Matcher m = Pattern.compile("/customers/(\\d+)/(googleAds:searchStream|campaignBudgets:mutate)").matcher(path);
        if (!m.matches()) {
            send(ex, 404, "{}");
            return;
        }
        JsonNode req = JSON.readTree(body);
        if (m.group(2).equals("googleAds:searchStream")) {
            send(ex, 200, search(m.group(1), req.path("query").asText()).toString());
        } else {
            mutate(ex, m.group(1), req);
        }
    }

    private ArrayNode search(String customer, String q) {
        ArrayNode batches = JSON.createArrayNode();
        ObjectNode batch = batches.addObject();
        ArrayNode results = batch.putArray("results");
        batch.put("requestId", "fake-request");
        if (q.contains("FROM customer")) {
            results.addObject().putObject("customer").put("resourceName", "customers/" + customer)
                    .put("currencyCode", googleCurrency);
            batch.put("fieldMask", "customer.currencyCode");
            return batches;
        }
        List<String> ids = new ArrayList<>();
        Matcher in = Pattern.compile("campaign\\.id IN \\(([^)]*)\\)").matcher(q);
        if (in.find()) {
            for (String s : in.group(1).split(",")) {
                ids.add(s.trim());
            }
        }
        if (q.contains("metrics.cost_micros")) {
            Matcher between = Pattern.compile("BETWEEN '([^']+)' AND '([^']+)'").matcher(q);
            between.find();
            LocalDate from = LocalDate.parse(between.group(1));
            LocalDate to = LocalDate.parse(between.group(2));
            for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                for (String id : ids) {
                    GCampaign c = gCampaigns.get(id);
                    if (c == null) {
                        continue;
                    }
                    ObjectNode r = results.addObject();
                    r.putObject("segments").put("date", d.toString());
                    r.putObject("campaign").put("resourceName", "customers/" + customer + "/campaigns/" + id)
                            .put("id", id).put("name", c.name);
                    boolean first = id.equals(ids.get(0));
                    r.putObject("metrics").put("costMicros", first ? "12340000" : "7660000")
                            .put("impressions", first ? "1000" : "500").put("clicks", first ? "50" : "20")
                            .put("conversions", first ? 2.5 : 1.5).put("conversionsValue", first ? 100.25 : 49.75);
                }
            }
            batch.put("fieldMask", "segments.date,campaign.id,campaign.name,metrics.costMicros,metrics.impressions,"
                    + "metrics.clicks,metrics.conversions,metrics.conversionsValue");
            return batches;
        }
        for (String id : ids) {
            GCampaign c = gCampaigns.get(id);
            if (c == null) {
                continue;
            }
            GBudget b = gBudgets.get(c.budget);
            ObjectNode r = results.addObject();
            r.putObject("campaign").put("resourceName", "customers/" + customer + "/campaigns/" + id).put("id", id)
                    .put("name", c.name).put("status", c.status).put("campaignBudget", c.budget);
            r.putObject("campaignBudget").put("resourceName", c.budget).put("amountMicros", Long.toString(b.amountMicros))
                    .put("explicitlyShared", b.shared);
        }
        batch.put("fieldMask", "campaign.id,campaign.name,campaign.status,campaign.campaignBudget,"
                + "campaignBudget.amountMicros,campaignBudget.explicitlyShared");
        return batches;
    }

    private void mutate(HttpExchange ex, String customer, JsonNode req) throws IOException {
        boolean validateOnly = req.path("validateOnly").asBoolean(false);
        boolean partial = req.path("partialFailure").asBoolean(false);
        if (!validateOnly && googleRefuseNextMutate) {
            googleRefuseNextMutate = false;
            send(ex, 400, "{\"error\":{\"code\":400,\"status\":\"INVALID_ARGUMENT\",\"message\":\"Request contains an invalid argument.\","
                    + "\"details\":[{\"@type\":\"type.googleapis.com/google.ads.googleads.v21.errors.GoogleAdsFailure\","
                    + "\"errors\":[{\"errorCode\":{\"mutateError\":\"RESOURCE_NOT_FOUND\"},\"message\":\"Not found.\","
                    + "\"location\":{\"fieldPathElements\":[{\"fieldName\":\"operations\",\"index\":0}]}}]}]}}");
            return;
        }
        ArrayNode errors = JSON.createArrayNode();
        List<Runnable> writes = new ArrayList<>();
        ArrayNode results = JSON.createArrayNode();
        int i = 0;
        for (JsonNode op : req.path("operations")) {
            String resource = op.path("update").path("resourceName").asText();
            long micros = Long.parseLong(op.path("update").path("amountMicros").asText());
            GBudget b = gBudgets.get(resource);
            String code = null;
            if (!"amount_micros".equals(op.path("updateMask").asText())) {
                code = "{\"fieldMaskError\":\"FIELD_NOT_FOUND\"}";
            } else if (b == null) {
                code = "{\"campaignBudgetError\":\"CAMPAIGN_BUDGET_REMOVED\"}";
            } else if (gRefused.contains(resource) || micros <= 0 || micros % 10000 != 0) {
                code = "{\"rangeError\":\"TOO_LOW\"}";
            }
            if (code != null) {
                errors.add(JSON.readTree("{\"errorCode\":" + code + ",\"message\":\"The budget is not valid.\","
                        + "\"location\":{\"fieldPathElements\":[{\"fieldName\":\"operations\",\"index\":" + i
                        + "},{\"fieldName\":\"update\"},{\"fieldName\":\"amount_micros\"}]}}"));
                results.addObject();
            } else {
                writes.add(() -> b.amountMicros = micros);
                results.addObject().put("resourceName", resource);
            }
            i++;
        }
        String failure = "{\"code\":3,\"message\":\"Multiple errors in ‘details’. First error: The budget is not valid.\","
                + "\"details\":[{\"@type\":\"type.googleapis.com/google.ads.googleads.v21.errors.GoogleAdsFailure\","
                + "\"errors\":" + errors + ",\"requestId\":\"fake\"}]}";
        if (!errors.isEmpty() && !partial) {
            send(ex, 400, "{\"error\":" + failure.replace("\"code\":3", "\"code\":400,\"status\":\"INVALID_ARGUMENT\"") + "}");
            return;
        }
        if (validateOnly) {
            send(ex, 200, "{}");
            return;
        }
        writes.forEach(Runnable::run);
        googleMutates++;
        if (googleLoseMutateAnswers) {
            send(ex, 503, "{\"error\":{\"code\":503,\"status\":\"UNAVAILABLE\",\"message\":\"The service is unavailable.\"}}");
            return;
        }
        ObjectNode res = JSON.createObjectNode();
        res.set("results", results);
        if (!errors.isEmpty()) {
            res.set("partialFailureError", JSON.readTree(failure));
        }
        send(ex, 200, res.toString());
    }

    // -------------------------------------------------------------------------------------------- Meta

    private void meta(HttpExchange ex, String path, Map<String, String> q, Map<String, String> h, String body)
            throws IOException {
        ex.getResponseHeaders().add("x-business-use-case-usage", "{\"1234\":[{\"type\":\"ads_management\",\"call_count\":"
                + metaUsagePct + ",\"total_cputime\":1,\"total_time\":1,\"estimated_time_to_regain_access\":"
                + (metaRateLimited > 0 ? metaRegainMinutes : 0) + "}]}");
        if (path.contains("/insights")) {
            ex.getResponseHeaders().add("x-fb-ads-insights-throttle", "{\"app_id_util_pct\":" + metaUsagePct
                    + ",\"acc_id_util_pct\":1,\"ads_api_access_tier\":\"standard_access\"}");
        }
        if (metaHtmlGateway > 0) {
            metaHtmlGateway--;
            byte[] page = "<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>"
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/html");
            ex.sendResponseHeaders(502, page.length);
            ex.getResponseBody().write(page);
            ex.close();
            return;
        }
        if (metaTokenExpired || !"Bearer test-meta-token-77aa".equals(h.get("authorization"))) {
            send(ex, 400, "{\"error\":{\"message\":\"Error validating access token: Session has expired\","
                    + "\"type\":\"OAuthException\",\"code\":190,\"error_subcode\":463,\"fbtrace_id\":\"Fake\"}}");
            return;
        }
        if (metaRateLimited > 0) {
            metaRateLimited--;
            send(ex, 400, "{\"error\":{\"message\":\"(#80004) There have been too many calls to this ad-account.\","
                    + "\"type\":\"OAuthException\",\"code\":80004,\"error_subcode\":2446079,\"fbtrace_id\":\"Fake\"}}");
            return;
        }
        if (metaDownAfterPosts >= 0 && metaPosts >= metaDownAfterPosts) {
            send(ex, 503, "{\"error\":{\"message\":\"Service temporarily unavailable\",\"code\":2,\"is_transient\":true}}");
            return;
        }
        Matcher account = Pattern.compile("/act_(\\d+)(/insights)?").matcher(path);
        Matcher object = Pattern.compile("/(\\d+)(/adsets)?").matcher(path);
        if (account.matches() && account.group(2) == null) {
            send(ex, 200, "{\"currency\":\"" + metaCurrency + "\",\"id\":\"act_" + account.group(1) + "\"}");
        } else if (account.matches()) {
            insights(ex, account.group(1), q);
        } else if (object.matches() && "POST".equals(ex.getRequestMethod())) {
            Map<String, String> f = params(body);
            MObject o = mCampaigns.containsKey(object.group(1)) ? mCampaigns.get(object.group(1)) : mAdSets.get(object.group(1));
            if (o == null) {
                send(ex, 400, unsupported(object.group(1)));
                return;
            }
            long minor = Long.parseLong(f.get("daily_budget"));
            if (minor < 100) {
                send(ex, 400, "{\"error\":{\"message\":\"Invalid parameter\",\"type\":\"OAuthException\",\"code\":100,"
                        + "\"error_subcode\":1885272,\"fbtrace_id\":\"Fake\"}}");
                return;
            }
            if (!"[\"validate_only\"]".equals(f.get("execution_options"))) {
                o.dailyBudget = minor;
                metaPosts++;
            }
            send(ex, 200, "{\"success\":true}");
        } else if (object.matches() && object.group(2) != null) {
            ObjectNode res = JSON.createObjectNode();
            ArrayNode data = res.putArray("data");
            mAdSets.forEach((id, a) -> {
                if (a.campaign.equals(object.group(1))) {
                    ObjectNode n = data.addObject().put("id", id).put("name", a.name).put("effective_status", a.status);
                    if (a.dailyBudget != null) {
                        n.put("daily_budget", Long.toString(a.dailyBudget));
                    }
                }
            });
            send(ex, 200, res.toString());
        } else if (object.matches()) {
            MObject c = mCampaigns.get(object.group(1));
            if (c == null) {
                send(ex, 400, unsupported(object.group(1)));
                return;
            }
            ObjectNode n = JSON.createObjectNode().put("id", object.group(1)).put("name", c.name)
                    .put("effective_status", c.status);
            if (c.dailyBudget != null) {
                n.put("daily_budget", Long.toString(c.dailyBudget));
            }
            if (c.lifetimeBudget != null) {
                n.put("lifetime_budget", Long.toString(c.lifetimeBudget));
            }
            send(ex, 200, n.toString());
        } else {
            send(ex, 404, "{}");
        }
    }

    private static String unsupported(String id) {
        return "{\"error\":{\"message\":\"Unsupported get request. Object with ID '" + id + "' does not exist\","
                + "\"type\":\"GraphMethodException\",\"code\":100,\"error_subcode\":33,\"fbtrace_id\":\"Fake\"}}";
    }

    private void insights(HttpExchange ex, String account, Map<String, String> q) throws IOException {
        JsonNode range = JSON.readTree(q.get("time_range"));
        JsonNode filter = JSON.readTree(q.get("filtering"));
        List<String> ids = new ArrayList<>();
        filter.get(0).path("value").forEach(v -> ids.add(v.asText()));
        List<ObjectNode> rows = new ArrayList<>();
        for (LocalDate d = LocalDate.parse(range.path("since").asText());
             !d.isAfter(LocalDate.parse(range.path("until").asText())); d = d.plusDays(1)) {
            for (String id : ids) {
                MObject c = mCampaigns.get(id);
                if (c == null) {
                    continue;
                }
                ObjectNode r = JSON.createObjectNode().put("campaign_id", id).put("campaign_name", c.name)
                        .put("spend", "10.50").put("impressions", "800").put("clicks", "30")
                        .put("date_start", d.toString()).put("date_stop", d.toString());
                ArrayNode actions = r.putArray("actions");
                actions.addObject().put("action_type", "link_click").put("value", "30");
                actions.addObject().put("action_type", "offsite_conversion.fb_pixel_purchase").put("value", "2");
                actions.addObject().put("action_type", "purchase").put("value", "3");
                ArrayNode values = r.putArray("action_values");
                values.addObject().put("action_type", "offsite_conversion.fb_pixel_purchase").put("value", "60.00");
                values.addObject().put("action_type", "purchase").put("value", "80.25");
                rows.add(r);
            }
        }
        int start = q.containsKey("after") ? Integer.parseInt(q.get("after").substring(1)) : 0;
        int end = Math.min(rows.size(), start + metaPageSize);
        ObjectNode res = JSON.createObjectNode();
        ArrayNode data = res.putArray("data");
        rows.subList(start, end).forEach(data::add);
        ObjectNode paging = res.putObject("paging");
        paging.putObject("cursors").put("before", "c" + start).put("after", "c" + end);
        if (end < rows.size()) {
            paging.put("next", "https://graph.example.invalid" + META_PREFIX + "/act_" + account + "/insights?after=c" + end);
        }
        send(ex, 200, res.toString());
    }
}
