package io.spendshift.connector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Meta Marketing API (Graph). Metrics: {@code GET /act_<id>/insights?level=campaign&time_increment=1} with
 * spend, impressions, clicks and purchases from {@code actions}/{@code action_values} ({@code purchase}, else
 * {@code offsite_conversion.fb_pixel_purchase}), page after page ({@code paging.next} says there is more, the
 * {@code cursors.after} cursor is sent on our own URL, so a link in an answer is never followed). Budgets: a
 * campaign with a campaign budget (CBO) has its {@code daily_budget} set, otherwise each of its ad sets' daily
 * budgets; amounts are in the account currency's minor units (its offset: 100, or 1 for currencies without minor
 * units such as JPY); {@code POST /<id>} with {@code daily_budget} applies ({@code execution_options=
 * ["validate_only"]} previews). Lifetime budgets are refused. Rate limits: error codes 4, 17, 32, 613 and 80000-80014
 * (80004: ads management) are retried after the time {@code x-business-use-case-usage} asks for, or the backoff;
 * usage near its limit in that header or in {@code x-fb-ads-insights-throttle} pauses the next call. The token is
 * sent as {@code Authorization: Bearer}, never in a URL.
 */
public final class MetaAdsConnector implements AdConnector {

    public static final String NAME = "meta-ads";
    /** Currencies whose Meta offset is 1 (no minor units in budgets). */
    static final Set<String> OFFSET_ONE = Set.of("CLP", "COP", "CRC", "HUF", "ISK", "IDR", "JPY", "KRW", "PYG",
            "TWD", "VND");
    private static final Set<String> PURCHASES = Set.of("purchase", "offsite_conversion.fb_pixel_purchase");
    private static final Set<String> GONE = Set.of("DELETED", "ARCHIVED");
    /** Usage percentages from which the next call waits. */
    static final int BUSY_PCT = 90;

    public record Settings(String baseUrl, String apiVersion, String accessToken) {
    }

    private final Settings s;
    private final PlatformCalls calls;
    private final ObjectMapper json;
    private final Map<String, String> currencies = new ConcurrentHashMap<>();
    private volatile Duration pauseNext = Duration.ZERO;
    private volatile String pauseReason;

    MetaAdsConnector(Settings settings, PlatformCalls calls, ObjectMapper json) {
        this.s = settings;
        this.calls = calls;
        this.json = json;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean configured() {
        return s.accessToken() != null && !s.accessToken().isBlank();
    }

    @Override
    public String currency(String account) {
        return currencies.computeIfAbsent(account, a -> {
            JsonNode n = get("account", "/act_" + digits(a) + "?fields=currency");
            String c = n.path("currency").asText("");
            if (c.isEmpty()) {
                throw new ConnectorException("Meta Ads: ad account " + a + " has no currency in its answer");
            }
            return c;
        });
    }

    /** The account currency's offset: minor units per unit. */
    static int offset(String currency) {
        return OFFSET_ONE.contains(currency) ? 1 : 100;
    }

    @Override
    public List<CampaignDay> dailyMetrics(String account, List<String> campaigns, LocalDate from, LocalDate to) {
        String filter = "[{\"field\":\"campaign.id\",\"operator\":\"IN\",\"value\":["
                + String.join(",", campaigns.stream().map(c -> "\"" + digits(c) + "\"").toList()) + "]}]";
        String base = "/act_" + digits(account) + "/insights?level=campaign&time_increment=1&limit=500"
                + "&fields=campaign_id,campaign_name,spend,impressions,clicks,actions,action_values"
                + "&time_range=" + enc("{\"since\":\"" + from + "\",\"until\":\"" + to + "\"}")
                + "&filtering=" + enc(filter);
        List<CampaignDay> out = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 1000; page++) {
            JsonNode n = get("insights", after == null ? base : base + "&after=" + enc(after));
            for (JsonNode r : n.path("data")) {
                out.add(new CampaignDay(r.path("campaign_id").asText(), r.path("campaign_name").asText(""),
                        LocalDate.parse(r.path("date_start").asText()), decimal(r.path("spend")),
                        r.path("impressions").asLong(0), r.path("clicks").asLong(0),
                        purchases(r.path("actions")), purchases(r.path("action_values"))));
            }
            JsonNode paging = n.path("paging");
            after = paging.path("cursors").path("after").asText("");
            if (!paging.hasNonNull("next") || after.isEmpty()) {
                return out;
            }
        }
        throw new ConnectorException("Meta Ads: more than 1000 pages of insights");
    }

    /** The purchases among actions: {@code purchase} (every source), else the pixel's. */
    static BigDecimal purchases(JsonNode actions) {
        BigDecimal all = null;
        BigDecimal pixel = null;
        for (JsonNode a : actions) {
            String type = a.path("action_type").asText();
            if (PURCHASES.contains(type)) {
                BigDecimal v = decimal(a.path("value"));
                if (type.equals("purchase")) {
                    all = v;
                } else {
                    pixel = v;
                }
            }
        }
        return all != null ? all : pixel != null ? pixel : BigDecimal.ZERO;
    }

    @Override
    public Budgets budgets(String account, List<String> campaigns) {
        String currency = currency(account);
        int off = offset(currency);
        int scale = off == 1 ? 0 : 2;
        List<BudgetLine> lines = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String c : campaigns) {
            JsonNode n;
            try {
                n = get("campaign", "/" + digits(c) + "?fields=id,name,effective_status,daily_budget,lifetime_budget");
            } catch (NotFound e) {
                missing.add(c);
                continue;
            }
            String status = n.path("effective_status").asText("UNKNOWN");
            String name = n.path("name").asText("");
            if (GONE.contains(status)) {
                lines.add(new BudgetLine(c, name, c, "campaign", BigDecimal.ZERO.setScale(scale), status,
                        "campaign " + c + " is " + status.toLowerCase(java.util.Locale.ROOT) + " on Meta Ads"));
                continue;
            }
            if (minor(n.path("daily_budget")) > 0) {
                lines.add(new BudgetLine(c, name, c, "campaign", amount(n.path("daily_budget"), off, scale), status, null));
                continue;
            }
            if (minor(n.path("lifetime_budget")) > 0) {
                lines.add(new BudgetLine(c, name, c, "campaign", BigDecimal.ZERO.setScale(scale), status, "campaign " + c
                        + " has a lifetime budget; Spendshift sets daily budgets only"));
                continue;
            }
            // no campaign budget: the ad sets carry the budgets
            JsonNode sets = get("ad sets", "/" + digits(c) + "/adsets?fields=id,name,effective_status,daily_budget,"
                    + "lifetime_budget&limit=200");
            int before = lines.size();
            for (JsonNode a : sets.path("data")) {
                String st = a.path("effective_status").asText("UNKNOWN");
                if (GONE.contains(st)) {
                    continue;
                }
                String id = a.path("id").asText();
                String problem = minor(a.path("daily_budget")) > 0 ? null : "ad set " + id + " of campaign " + c
                        + " has no daily budget; Spendshift sets daily budgets only";
                lines.add(new BudgetLine(c, name, id, "adset", amount(a.path("daily_budget"), off, scale), st, problem));
            }
            if (lines.size() == before) {
                lines.add(new BudgetLine(c, name, c, "campaign", BigDecimal.ZERO.setScale(scale), status,
                        "campaign " + c + " has neither a daily budget nor ad sets with one"));
            }
        }
        return new Budgets(currency, scale, lines, missing);
    }

    @Override
    public List<Outcome> setBudgets(String account, List<BudgetUpdate> updates, boolean validateOnly) {
        List<Outcome> out = new ArrayList<>();
        int off = offset(currency(account));
        for (BudgetUpdate u : updates) {
            if (!out.isEmpty() && !out.get(out.size() - 1).ok()) {
                out.add(new Outcome(u, "not attempted: an earlier change failed"));
                continue;
            }
            long minor = u.amount().multiply(BigDecimal.valueOf(off)).setScale(0, RoundingMode.UNNECESSARY).longValueExact();
            String form = "daily_budget=" + minor + (validateOnly ? "&execution_options=" + enc("[\"validate_only\"]") : "");
            try {
                JsonNode n = send(validateOnly ? "budget check" : "budget change", "/" + digits(u.line().budgetId()),
                        HttpRequest.BodyPublishers.ofString(form));
                out.add(new Outcome(u, n.path("success").asBoolean(false) ? null : "no success in the answer"));
            } catch (ConnectorException e) {
                if (out.isEmpty() && e.unavailable()) {
                    throw e; // nothing changed: the whole call failed
                }
                out.add(new Outcome(u, e.getMessage()));
            }
        }
        return out;
    }

    /** A Graph object that does not exist (error code 100, subcode 33). */
    private static final class NotFound extends ConnectorException {
        NotFound() {
            super("Meta Ads: no such object", false);
        }
    }

    private JsonNode get(String what, String pathAndQuery) {
        return send(what, pathAndQuery, null);
    }

    private JsonNode send(String what, String pathAndQuery, HttpRequest.BodyPublisher form) {
        if (!configured()) {
            throw new ConnectorException("Meta Ads is not configured (spendshift.connectors.meta-ads.access-token)");
        }
        if (!pauseNext.isZero()) {
            Duration p = pauseNext;
            pauseNext = Duration.ZERO;
            calls.pause(p, pauseReason);
        }
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri(s.baseUrl() + "/" + s.apiVersion() + pathAndQuery))
                .timeout(calls.timeout()).header("Authorization", "Bearer " + s.accessToken());
        if (form == null) {
            rb.GET();
        } else {
            rb.header("Content-Type", "application/x-www-form-urlencoded").POST(form);
        }
        HttpResponse<String> res = calls.send(what, rb.build(), this::judge);
        watchUsage(res);
        JsonNode n = read(res.body());
        if (res.statusCode() != 200) {
            JsonNode err = n.path("error");
            int code = err.path("code").asInt(0);
            if (code == 190) {
                throw new ConnectorException("Meta Ads: the access token is expired or invalid (code 190); issue a new"
                        + " system-user token and update spendshift.connectors.meta-ads.access-token");
            }
            if (code == 100 && err.path("error_subcode").asInt(0) == 33 || res.statusCode() == 404) {
                throw new NotFound();
            }
            if (code == 200 || code == 10 || res.statusCode() == 403) {
                throw new ConnectorException("Meta Ads refused the " + what + ": permission denied (code " + code
                        + "); the token needs ads_read and ads_management on the account");
            }
            throw new ConnectorException("Meta Ads refused the " + what + ": HTTP " + res.statusCode() + " (code "
                    + code + (err.has("error_subcode") ? ", subcode " + err.path("error_subcode").asInt() : "") + ")");
        }
        return n;
    }

    /** 5xx and rate-limit error codes are worth another attempt, after the time the platform asks for. */
    private PlatformCalls.Verdict judge(HttpResponse<String> res) {
        int st = res.statusCode();
        if (st == 200) {
            return new PlatformCalls.Done();
        }
        // the status first: a gateway in front of the Graph API answers its own (HTML) pages, which are no refusal
        int code = lenient(res.body()).path("error").path("code").asInt(0);
        if (st >= 500 || st == 429) {
            long minutes = rateLimited(code) ? regainMinutes(res) : 0;
            return new PlatformCalls.Retry("HTTP " + st, minutes > 0 ? Duration.ofMinutes(minutes) : null);
        }
        if (rateLimited(code)) {
            long minutes = regainMinutes(res);
            return new PlatformCalls.Retry("rate limited (code " + code + ")",
                    minutes > 0 ? Duration.ofMinutes(minutes) : null);
        }
        return new PlatformCalls.Done();
    }

    /** The body as JSON, or an empty object when it is none (an HTML error page). */
    private JsonNode lenient(String body) {
        try {
            return read(body);
        } catch (ConnectorException e) {
            return json.createObjectNode();
        }
    }

    static boolean rateLimited(int code) {
        return code == 4 || code == 17 || code == 32 || code == 613 || code >= 80000 && code <= 80014;
    }

    /** The longest {@code estimated_time_to_regain_access} (minutes) in {@code x-business-use-case-usage}. */
    private long regainMinutes(HttpResponse<String> res) {
        long max = 0;
        for (JsonNode entries : header(res, "x-business-use-case-usage")) {
            for (JsonNode e : entries) {
                max = Math.max(max, e.path("estimated_time_to_regain_access").asLong(0));
            }
        }
        return max;
    }

    /** Usage near the limit: the next call waits (longer the closer the usage is to 100%). */
    private void watchUsage(HttpResponse<String> res) {
        int pct = 0;
        for (JsonNode entries : header(res, "x-business-use-case-usage")) {
            for (JsonNode e : entries) {
                pct = Math.max(pct, Math.max(e.path("call_count").asInt(0),
                        Math.max(e.path("total_cputime").asInt(0), e.path("total_time").asInt(0))));
            }
        }
        JsonNode insights = header(res, "x-fb-ads-insights-throttle");
        pct = Math.max(pct, Math.max((int) insights.path("app_id_util_pct").asDouble(0),
                (int) insights.path("acc_id_util_pct").asDouble(0)));
        if (pct >= BUSY_PCT) {
            pauseReason = "usage at " + pct + "% of the rate limit";
            pauseNext = Duration.ofSeconds(Math.min(60, 5L * (pct - BUSY_PCT + 1)));
        }
    }

    private JsonNode header(HttpResponse<String> res, String name) {
        String v = res.headers().firstValue(name).orElse("");
        if (v.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(v);
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }

    private JsonNode read(String body) {
        try {
            return body == null || body.isBlank() ? json.createObjectNode() : json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ConnectorException("Meta Ads answered something that is not JSON");
        }
    }

    private static long minor(JsonNode n) {
        String v = n.asText("");
        try {
            return v.isEmpty() ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static BigDecimal amount(JsonNode n, int offset, int scale) {
        return BigDecimal.valueOf(minor(n)).divide(BigDecimal.valueOf(offset)).setScale(scale, RoundingMode.UNNECESSARY);
    }

    private static BigDecimal decimal(JsonNode n) {
        String v = n.asText("");
        return v.isEmpty() ? BigDecimal.ZERO : new BigDecimal(v);
    }

    private static String digits(String s) {
        if (!s.matches("\\d+")) {
            throw new ConnectorException("Meta Ads: ids are digits only");
        }
        return s;
    }

    private static URI uri(String s) {
        try {
            return URI.create(s);
        } catch (IllegalArgumentException e) {
            throw new ConnectorException("Meta Ads: the configured URL is not valid");
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
