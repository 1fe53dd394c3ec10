package io.spendshift.connector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Google Ads API over REST (JSON). Authentication: an OAuth2 access token from the refresh-token exchange
 * ({@code POST oauth-url grant_type=refresh_token}), cached until shortly before it expires and fetched again
 * once when the API answers 401; headers {@code Authorization: Bearer}, {@code developer-token} and
 * {@code login-customer-id}. Reads are GAQL through {@code POST /vNN/customers/{id}/googleAds:searchStream} (an
 * array of result batches; int64 values arrive as strings, money in micros); budgets are set by
 * {@code POST /vNN/customers/{id}/campaignBudgets:mutate} with an update of {@code amountMicros} and its
 * {@code updateMask} ({@code amount_micros}), with {@code partialFailure} (which operations failed is read from
 * {@code partialFailureError}) or {@code validateOnly} for a preview. Shared budgets (explicitly shared, or one
 * budget behind several targeted campaigns) are refused: changing one would move other campaigns' money.
 */
public final class GoogleAdsConnector implements AdConnector {

    public static final String NAME = "google-ads";
    private static final BigDecimal MICROS = BigDecimal.valueOf(1_000_000);
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern SECONDS = Pattern.compile("(\\d+)(?:\\.\\d+)?s");

    /** Settings from {@link ConnectorsConfig.GoogleAds}; secrets may be null when not configured. */
    public record Settings(String baseUrl, String apiVersion, String oauthUrl, String developerToken, String clientId,
                           String clientSecret, String refreshToken, String loginCustomerId) {
    }

    private record Token(String value, Instant refreshAt) {
    }

    private final Settings s;
    private final PlatformCalls calls;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<String, String> currencies = new ConcurrentHashMap<>();
    private Token token;

    GoogleAdsConnector(Settings settings, PlatformCalls calls, ObjectMapper json, Clock clock) {
        this.s = settings;
        this.calls = calls;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean configured() {
        return present(s.developerToken()) && present(s.clientId()) && present(s.clientSecret())
                && present(s.refreshToken());
    }

    @Override
    public String currency(String account) {
        return currencies.computeIfAbsent(account, a -> {
            List<JsonNode> rows = search(a, "SELECT customer.currency_code FROM customer");
            String code = rows.isEmpty() ? "" : rows.get(0).path("customer").path("currencyCode").asText("");
            if (code.isEmpty()) {
                throw new ConnectorException("Google Ads: account " + a + " has no currency in its answer");
            }
            return code;
        });
    }

    @Override
    public List<CampaignDay> dailyMetrics(String account, List<String> campaigns, LocalDate from, LocalDate to) {
        String q = "SELECT segments.date, campaign.id, campaign.name, metrics.cost_micros, metrics.impressions,"
                + " metrics.clicks, metrics.conversions, metrics.conversions_value FROM campaign"
                + " WHERE segments.date BETWEEN '" + from + "' AND '" + to + "' AND campaign.id IN ("
                + ids(campaigns) + ")";
        List<CampaignDay> out = new ArrayList<>();
        for (JsonNode r : search(account, q)) {
            out.add(new CampaignDay(r.path("campaign").path("id").asText(), r.path("campaign").path("name").asText(""),
                    LocalDate.parse(r.path("segments").path("date").asText()),
                    micros(r.path("metrics").path("costMicros")).setScale(6, RoundingMode.UNNECESSARY),
                    r.path("metrics").path("impressions").asLong(0), r.path("metrics").path("clicks").asLong(0),
                    decimal(r.path("metrics").path("conversions")), decimal(r.path("metrics").path("conversionsValue"))));
        }
        return out;
    }

    @Override
    public Budgets budgets(String account, List<String> campaigns) {
        String currency = currency(account);
        int scale = scale(currency);
        String q = "SELECT campaign.id, campaign.name, campaign.status, campaign.campaign_budget,"
                + " campaign_budget.amount_micros, campaign_budget.explicitly_shared FROM campaign"
                + " WHERE campaign.id IN (" + ids(campaigns) + ")";
        List<JsonNode> rows = search(account, q);
        Map<String, Integer> perBudget = new LinkedHashMap<>();
        for (JsonNode r : rows) {
            perBudget.merge(r.path("campaign").path("campaignBudget").asText(""), 1, Integer::sum);
        }
        List<BudgetLine> lines = new ArrayList<>();
        List<String> found = new ArrayList<>();
        for (JsonNode r : rows) {
            JsonNode c = r.path("campaign");
            JsonNode b = r.path("campaignBudget");
            String id = c.path("id").asText();
            String status = c.path("status").asText("UNKNOWN");
            found.add(id);
            String budget = c.path("campaignBudget").asText("");
            String problem = null;
            if ("REMOVED".equals(status)) {
                problem = "campaign " + id + " is removed on Google Ads";
            } else if (b.path("explicitlyShared").asBoolean(false) || perBudget.getOrDefault(budget, 0) > 1) {
                problem = "campaign " + id + " spends from a shared budget; Spendshift never changes shared budgets";
            } else if (budget.isEmpty()) {
                problem = "campaign " + id + " has no campaign budget";
            }
            lines.add(new BudgetLine(id, c.path("name").asText(""), budget, "campaign_budget",
                    micros(b.path("amountMicros")).setScale(scale, RoundingMode.HALF_UP), status, problem));
        }
        List<String> missing = campaigns.stream().filter(x -> !found.contains(x)).toList();
        return new Budgets(currency, scale, lines, missing);
    }

    @Override
    public List<Outcome> setBudgets(String account, List<BudgetUpdate> updates, boolean validateOnly) {
        if (updates.isEmpty()) {
            return List.of();
        }
        ObjectNode body = json.createObjectNode();
        ArrayNode ops = body.putArray("operations");
        for (BudgetUpdate u : updates) {
            ObjectNode op = ops.addObject();
            op.putObject("update").put("resourceName", u.line().budgetId())
                    .put("amountMicros", u.amount().multiply(MICROS).setScale(0, RoundingMode.UNNECESSARY).toPlainString());
            // a FieldMask names fields in the API's proto spelling (snake_case), as Google documents it
            op.put("updateMask", "amount_micros");
        }
        // a preview reports every invalid operation as one error; a real mutate applies the valid ones
        body.put("partialFailure", !validateOnly);
        body.put("validateOnly", validateOnly);
        String path = "/customers/" + digits(account) + "/campaignBudgets:mutate";
        Map<Integer, String> failed = new LinkedHashMap<>();
        try {
            JsonNode res = call(validateOnly ? "budget check" : "budget change", path, body);
            failures(res.path("partialFailureError"), failed);
            JsonNode results = res.path("results");
            if (!validateOnly) {
                for (int i = 0; i < updates.size(); i++) {
                    if (!failed.containsKey(i) && results.path(i).path("resourceName").asText("").isEmpty()) {
                        failed.put(i, "no result for this operation");
                    }
                }
            }
        } catch (Refused e) {
            failures(e.error, failed);
            if (failed.isEmpty()) {
                throw new ConnectorException(e.getMessage());
            }
            if (!validateOnly) {
                // a refused request applies nothing, even the operations its errors do not name
                for (int i = 0; i < updates.size(); i++) {
                    failed.putIfAbsent(i, "not applied: the request was refused");
                }
            }
        }
        List<Outcome> out = new ArrayList<>();
        for (int i = 0; i < updates.size(); i++) {
            out.add(new Outcome(updates.get(i), failed.get(i)));
        }
        return out;
    }

    /** Operation index → error code of a GoogleAdsFailure status (partialFailureError, or a refused request). */
    private static void failures(JsonNode status, Map<Integer, String> into) {
        for (JsonNode d : status.path("details")) {
            for (JsonNode e : d.path("errors")) {
                int index = -1;
                for (JsonNode el : e.path("location").path("fieldPathElements")) {
                    if ("operations".equals(el.path("fieldName").asText())) {
                        index = el.path("index").asInt(-1);
                    }
                }
                if (index >= 0) {
                    into.merge(index, "refused: " + errorCode(e), (a, b) -> a + ", " + b.substring(9));
                }
            }
        }
    }

    /** The error's code, as {@code rangeError TOO_LOW}: enum names only, never the platform's message. */
    private static String errorCode(JsonNode error) {
        JsonNode code = error.path("errorCode");
        var it = code.fields();
        if (it.hasNext()) {
            var f = it.next();
            return f.getKey() + " " + f.getValue().asText();
        }
        return "error";
    }

    private List<JsonNode> search(String account, String gaql) {
        ObjectNode body = json.createObjectNode().put("query", gaql);
        JsonNode res = call("report", "/customers/" + digits(account) + "/googleAds:searchStream", body);
        List<JsonNode> rows = new ArrayList<>();
        // searchStream answers an array of batches, each with its results
        JsonNode batches = res.isArray() ? res : json.createArrayNode().add(res);
        for (JsonNode batch : batches) {
            batch.path("results").forEach(rows::add);
        }
        return rows;
    }

    /** A request refused by the API (400/403/404), with its error status for the caller to read. */
    private static final class Refused extends ConnectorException {
        final transient JsonNode error;

        Refused(String message, JsonNode error) {
            super(message, false);
            this.error = error;
        }
    }

    private JsonNode call(String what, String path, JsonNode body) {
        if (!configured()) {
            throw new ConnectorException("Google Ads is not configured (spendshift.connectors.google-ads.*)");
        }
        for (int auth = 0; ; auth++) {
            String access = accessToken();
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri(s.baseUrl() + "/" + s.apiVersion() + path))
                    .timeout(calls.timeout())
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + access)
                    .header("developer-token", s.developerToken())
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
            if (present(s.loginCustomerId())) {
                rb.header("login-customer-id", digits(s.loginCustomerId()));
            }
            HttpResponse<String> res = calls.send(what, rb.build(), this::judge);
            if (res.statusCode() == 401) {
                synchronized (this) {
                    token = null;
                }
                if (auth == 0) {
                    continue; // the access token may have been revoked early: one fresh one
                }
                throw new ConnectorException("Google Ads refused the credentials (HTTP 401): check the developer"
                        + " token, the OAuth client and the refresh token's access to the account");
            }
            JsonNode node = read(res.body());
            if (res.statusCode() != 200) {
                JsonNode err = node.path("error");
                String reason = firstErrorCode(err);
                throw new Refused("Google Ads refused the " + what + ": HTTP " + res.statusCode()
                        + (reason == null ? "" : " (" + reason + ")"), err);
            }
            return node;
        }
    }

    private PlatformCalls.Verdict judge(HttpResponse<String> res) {
        int st = res.statusCode();
        if (st == 429 || st >= 500) {
            return new PlatformCalls.Retry("HTTP " + st + (st == 429 ? " (RESOURCE_EXHAUSTED)" : ""), retryDelay(res));
        }
        return new PlatformCalls.Done();
    }

    /** The {@code retryDelay} a quota error carries ("30s"), or null. */
    private Duration retryDelay(HttpResponse<String> res) {
        Matcher m = Pattern.compile("\"retryDelay\"\\s*:\\s*\"([^\"]+)\"").matcher(res.body() == null ? "" : res.body());
        if (m.find()) {
            Matcher sec = SECONDS.matcher(m.group(1));
            if (sec.matches()) {
                return Duration.ofSeconds(Long.parseLong(sec.group(1)));
            }
        }
        return null;
    }

    private static String firstErrorCode(JsonNode err) {
        for (JsonNode d : err.path("details")) {
            for (JsonNode e : d.path("errors")) {
                return errorCode(e);
            }
        }
        String status = err.path("status").asText("");
        return status.isEmpty() ? null : status;
    }

    /** A cached access token, or a new one from the refresh-token exchange. */
    private synchronized String accessToken() {
        if (token != null && clock.instant().isBefore(token.refreshAt())) {
            return token.value();
        }
        String form = "grant_type=refresh_token&client_id=" + enc(s.clientId()) + "&client_secret="
                + enc(s.clientSecret()) + "&refresh_token=" + enc(s.refreshToken());
        HttpRequest req = HttpRequest.newBuilder(uri(s.oauthUrl())).timeout(calls.timeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        HttpResponse<String> res = calls.send("token refresh", req, r -> r.statusCode() >= 500 || r.statusCode() == 429
                ? new PlatformCalls.Retry("HTTP " + r.statusCode() + " from the OAuth server", null)
                : new PlatformCalls.Done());
        JsonNode node = read(res.body());
        if (res.statusCode() != 200 || !node.hasNonNull("access_token")) {
            String error = node.path("error").asText("");
            if ("invalid_grant".equals(error)) {
                throw new ConnectorException("Google Ads: the OAuth refresh token is expired or revoked (invalid_grant);"
                        + " create a new one and update spendshift.connectors.google-ads.refresh-token");
            }
            if ("invalid_client".equals(error) || "unauthorized_client".equals(error)) {
                throw new ConnectorException("Google Ads: the OAuth client was refused (" + error + "); check"
                        + " spendshift.connectors.google-ads.client-id and client-secret");
            }
            throw new ConnectorException("Google Ads: the OAuth token exchange failed (HTTP " + res.statusCode() + ")");
        }
        long expiresIn = node.path("expires_in").asLong(3600);
        // refresh a minute early, so a token never expires in flight
        token = new Token(node.path("access_token").asText(),
                clock.instant().plusSeconds(Math.max(0, expiresIn - 60)));
        return token.value();
    }

    private JsonNode read(String body) {
        try {
            return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ConnectorException("Google Ads answered something that is not JSON");
        }
    }

    static BigDecimal micros(JsonNode n) {
        String v = n.asText("0");
        return new BigDecimal(v.isEmpty() ? "0" : v).divide(MICROS);
    }

    private static BigDecimal decimal(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? BigDecimal.ZERO : new BigDecimal(n.asText("0"));
    }

    /** The decimals a currency's budgets may have (JPY: none). */
    static int scale(String currency) {
        try {
            return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            return 2;
        }
    }

    private static String ids(List<String> campaigns) {
        return String.join(", ", campaigns.stream().map(GoogleAdsConnector::digits).toList());
    }

    private static String digits(String s) {
        String d = s.replace("-", "");
        if (!DIGITS.matcher(d).matches()) {
            throw new ConnectorException("Google Ads: ids are digits only");
        }
        return d;
    }

    private static URI uri(String s) {
        try {
            return URI.create(s);
        } catch (IllegalArgumentException e) {
            throw new ConnectorException("Google Ads: the configured URL is not valid");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
