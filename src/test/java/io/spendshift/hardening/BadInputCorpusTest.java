package io.spendshift.hardening;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.spendshift.Api;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generated corpus of malformed requests across every writing endpoint and the query parameters of the
 * reading ones: wrong types, missing fields, huge numbers, NaN, negative money, unknown keys, an oversized
 * body, broken CSV, bad dates, injection strings, wrong content types, CSV exports naming hundreds of thousands of
 * campaigns no channel claims. Every one must get a 4xx problem+json answer of at most
 * {@value #MAX_ANSWER_BYTES} bytes (no input may be amplified into a large answer), and the database must be
 * unchanged afterwards (row counts and checksums).
 */
@QuarkusTest
class BadInputCorpusTest {

    static final String[] TABLES = {"portfolio", "channel", "metric", "audit_entry", "audit_head", "run", "run_lock",
            "recommendation", "budget_change", "rule_set_version", "source_status"};
    static final String[] NASTY = {"'; DROP TABLE portfolio; --", "<script>alert(1)</script>", "../../etc/passwd",
            "${jndi:ldap://x/a}", "\u0000", "ünïcödé-ключ", "a".repeat(300), "%00", "1 OR 1=1", "{{7*7}}"};

    /** The largest answer any request of the corpus may get. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;

    @Inject
    EntityManager em;
    @Inject
    io.spendshift.SpendshiftConfig config;

    /** One request; {@code expect}: the status it must get, where any 4xx would not say enough (null: any 4xx). */
    record Bad(String name, String method, String path, String contentType, String body, Map<String, String> headers,
               Integer expect) {

        Bad(String name, String method, String path, String contentType, String body) {
            this(name, method, path, contentType, body, Map.of(), null);
        }
    }

    /**
     * Plans that outlive their guardrails (issue 22): an APPROVED plan whose "good" (1,000 → 1,200) was locked since,
     * one whose "good" got a maximum of 1,000 and "poor" (1,000 → 800) a minimum of 900 since, and a PROPOSED plan of
     * three channels whose "good" was locked since, with an edit of the two others that is valid on its own.
     */
    record Outlived(int locked, int narrowed, int edited, String edit) {
    }

    static Outlived outlived() {
        String a = io.spendshift.run.CyclesAccess.portfolio();
        int locked = io.spendshift.run.CyclesAccess.recommendation(a);
        Api.as("approver").post("/api/v1/recommendations/" + locked + "/approve").then().statusCode(200);
        channel(a, "good", 100, 5000, true);

        String b = io.spendshift.run.CyclesAccess.portfolio();
        int narrowed = io.spendshift.run.CyclesAccess.recommendation(b);
        Api.as("approver").post("/api/v1/recommendations/" + narrowed + "/approve").then().statusCode(200);
        channel(b, "good", 100, 1000, false);
        channel(b, "poor", 900, 5000, false);

        String c = io.spendshift.run.CyclesAccess.portfolio();
        io.spendshift.run.Cycles.addChannel(c, "mid");
        int edited = io.spendshift.run.CyclesAccess.recommendation(c);
        var plan = Api.as("viewer").get("/api/v1/recommendations/" + edited).then().extract().jsonPath();
        java.math.BigDecimal poor = new java.math.BigDecimal(plan.getString("allocations.find { it.channel == 'poor' }.proposedBudget"));
        java.math.BigDecimal mid = new java.math.BigDecimal(plan.getString("allocations.find { it.channel == 'mid' }.proposedBudget"));
        channel(c, "good", 100, 5000, true);
        String edit = "{\"allocations\":[{\"channel\":\"poor\",\"proposedBudget\":" + poor.add(java.math.BigDecimal.TEN)
                + "},{\"channel\":\"mid\",\"proposedBudget\":" + mid.subtract(java.math.BigDecimal.TEN) + "}]}";
        return new Outlived(locked, narrowed, edited, edit);
    }

    static void channel(String key, String channel, int min, int max, boolean locked) {
        Api.admin().body(Map.of("name", channel, "kind", "search", "dailyBudget", 1000, "minDailyBudget", min,
                "maxDailyBudget", max, "locked", locked)).put("/api/v1/portfolios/" + key + "/channels/" + channel)
                .then().statusCode(200);
    }

    @Test
    void everyMalformedRequestIsA4xxProblemAndChangesNothing() throws Exception {
        String key = io.spendshift.run.CyclesAccess.portfolio();
        int rec = io.spendshift.run.CyclesAccess.recommendation(key);
        List<Bad> corpus = corpus(key, rec);
        corpus.addAll(outlivedGuardrails(key, rec, outlived()));
        corpus.addAll(amplifiers(key, config.ingest().maxDistinctCampaigns()));
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(300);
        Map<String, String> before = snapshot();
        long ruleCallsBefore = ruleTextAudits();
        Map<Integer, Integer> tally = new java.util.TreeMap<>();
        int largest = 0;
        String largestName = "";
        List<String> wrong = new ArrayList<>();
        var client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        String auth = "Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes());
        for (Bad b : corpus) {
            var rb = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + RestAssured.port
                    + b.path())).header("Authorization", auth).method(b.method(), b.body() == null
                    ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofString(b.body()));
            if (b.contentType() != null) {
                rb.header("Content-Type", b.contentType());
            }
            b.headers().forEach(rb::header);
            var res = client.send(rb.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            int s = res.statusCode();
            tally.merge(s, 1, Integer::sum);
            String ct = res.headers().firstValue("Content-Type").orElse("");
            if (s < 400 || s >= 500 || !ct.startsWith("application/problem+json")
                    || b.expect() != null && b.expect() != s
                    || res.body().contains("Exception") || res.body().contains("java.")) {
                wrong.add(b.name() + " -> " + s + " " + ct + " " + res.body().substring(0, Math.min(200, res.body().length())));
            }
            int bytes = res.body().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_ANSWER_BYTES) {
                wrong.add(b.name() + " -> an answer of " + bytes + " bytes");
            }
            if (bytes > largest) {
                largest = bytes;
                largestName = b.name();
            }
        }
        // an oversized body: 70 MB announced, refused from its announced length before a byte of it is read,
        // with a problem document like the rest (a raw socket, so that nothing but the headers is sent)
        String answer;
        try (java.net.Socket socket = new java.net.Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/v1/portfolios/" + key + "/metrics HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes())
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + (70L * 1024 * 1024) + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        int bigStatus = Integer.parseInt(answer.substring(9, 12));
        tally.merge(bigStatus, 1, Integer::sum);
        if (bigStatus != 413 || !answer.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/problem+json")
                || !answer.contains("\"status\":413")) {
            wrong.add("oversized body -> " + answer);
        }
        System.out.printf("Bad-input corpus: %d requests, answers %s; largest answer %d bytes (%s)%n",
                corpus.size() + 1, tally, largest, largestName);
        assertThat(wrong).as("requests not answered with a 4xx problem").isEmpty();
        assertThat(snapshot()).as("database after the corpus").isEqualTo(before);
        // the one exception, required of every call that takes rule text: the refused candidate is audited
        assertThat(ruleTextAudits() - ruleCallsBefore).as("audited rule-text calls").isEqualTo(1);
    }

    long ruleTextAudits() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT COUNT(*) FROM audit_entry WHERE action = 'RULES_VALIDATED'").getSingleResult()).longValue());
    }

    /** Row count and sha-256 of every application table, rows in a stable order. */
    Map<String, String> snapshot() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<String, String> out = new LinkedHashMap<>();
            for (String t : TABLES) {
                if (t.equals("audit_head")) {
                    // moves with every entry, also the audit of refused rule text below
                    continue;
                }
                @SuppressWarnings("unchecked")
                List<Object> rows = em.createNativeQuery("SELECT * FROM " + t + (t.equals("audit_entry")
                        ? " WHERE action NOT IN ('RULES_VALIDATED', 'SCENARIOS_RUN', 'SIMULATION_RUN')" : "")).getResultList();
                List<String> lines = new ArrayList<>();
                for (Object r : rows) {
                    lines.add(r instanceof Object[] a ? Arrays.deepToString(a) : String.valueOf(r));
                }
                lines.sort(String::compareTo);
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                lines.forEach(l -> md.update(l.getBytes(StandardCharsets.UTF_8)));
                out.put(t, rows.size() + ":" + HexFormat.of().formatHex(md.digest()));
            }
            return out;
        });
    }

    static List<Bad> corpus(String key, int rec) {
        List<Bad> c = new ArrayList<>();
        String json = "application/json";
        String p = "/api/v1/portfolios";
        String m = p + "/" + key + "/metrics";
        String yesterday = LocalDate.now().minusDays(1).toString();

        // portfolios: wrong types, missing fields, unknown keys, bad values, injection
        Map<String, String> portfolioFields = new LinkedHashMap<>();
        portfolioFields.put("key", "\"Bad Key\"");
        portfolioFields.put("name", "42");
        portfolioFields.put("currency", "\"EURO\"");
        portfolioFields.put("timeZone", "\"Mars/Base\"");
        portfolioFields.put("mode", "\"SOMETIMES\"");
        portfolioFields.put("schedule", "\"every day\"");
        portfolioFields.put("policy", "\"strict\"");
        portfolioFields.put("source", "{\"type\":\"FTP\"}");
        portfolioFields.put("webhook", "{\"url\":\"not a url\",\"secret\":\"short\"}");
        portfolioFields.put("colour", "\"red\"");
        for (Map.Entry<String, String> f : portfolioFields.entrySet()) {
            c.add(new Bad("portfolio " + f.getKey(), "POST", p, json,
                    "{\"key\":\"bad-" + f.getKey().toLowerCase() + "\",\"name\":\"n\",\"currency\":\"EUR\",\""
                            + f.getKey() + "\":" + f.getValue() + "}"));
            c.add(new Bad("patch " + f.getKey(), "PATCH", p + "/" + key, "application/merge-patch+json",
                    "{\"" + f.getKey() + "\":" + f.getValue() + "}"));
        }
        String[] policyBad = {"\"lookbackDays\":0", "\"lookbackDays\":1.5", "\"lookbackDays\":\"28\"", "\"maxShiftPct\":-1",
                "\"maxShiftPct\":1e400", "\"minConversions\":-3", "\"cooldownDays\":9999", "\"contributionMargin\":2",
                "\"minLtvToCac\":-0.1", "\"targetRoas\":0", "\"autoApplyMaxShiftPct\":101", "\"unknown\":1"};
        for (String pb : policyBad) {
            c.add(new Bad("policy " + pb, "POST", p, json, "{\"key\":\"pol-bad\",\"name\":\"n\",\"currency\":\"EUR\",\"policy\":{" + pb + "}}"));
            c.add(new Bad("patch policy " + pb, "PATCH", p + "/" + key, json, "{\"policy\":{" + pb + "}}"));
        }
        c.add(new Bad("portfolio missing all", "POST", p, json, "{}"));
        c.add(new Bad("portfolio null body", "POST", p, json, "null"));
        c.add(new Bad("portfolio array", "POST", p, json, "[]"));
        c.add(new Bad("portfolio duplicate key", "POST", p, json, "{\"key\":\"" + key + "\",\"name\":\"n\",\"currency\":\"EUR\"}"));
        c.add(new Bad("patch key change", "PATCH", p + "/" + key, json, "{\"key\":\"other\"}"));
        c.add(new Bad("patch if-match", "PATCH", p + "/" + key + "?x", json, "{\"name\":"));
        for (String n : NASTY) {
            c.add(new Bad("portfolio key " + n, "POST", p, json, "{\"key\":" + jsonString(n) + ",\"name\":\"n\",\"currency\":\"EUR\"}"));
            c.add(new Bad("channel path " + n, "PUT", p + "/" + key + "/channels/" + url(n), json,
                    "{\"name\":\"c\",\"kind\":\"search\",\"dailyBudget\":1}"));
            c.add(new Bad("metrics channel " + n, "POST", m, json, "[{\"channel\":" + jsonString(n) + ",\"date\":\""
                    + yesterday + "\",\"spend\":1,\"impressions\":1,\"clicks\":1,\"conversions\":1,\"revenue\":1,\"newCustomers\":1}]"));
            c.add(new Bad("audit action " + n, "GET", "/api/v1/audit?action=" + url(n), null, null));
            c.add(new Bad("recommendation status " + n, "GET", "/api/v1/recommendations?status=" + url(n), null, null));
            c.add(new Bad("portfolio path " + n, "GET", p + "/" + url(n) + "x/channels", null, null));
        }

        // channels
        String[] channelBad = {"\"dailyBudget\":-1", "\"dailyBudget\":\"ten\"", "\"dailyBudget\":1.234",
                "\"dailyBudget\":1e13", "\"dailyBudget\":NaN", "\"dailyBudget\":null", "\"kind\":\"radio\"",
                "\"kind\":7", "\"minDailyBudget\":500", "\"maxDailyBudget\":1", "\"locked\":\"yes\"", "\"name\":\"\"",
                "\"platform\":\"" + "p".repeat(150) + "\"", "\"extra\":true"};
        for (String cb : channelBad) {
            String body = "{\"name\":\"c\",\"kind\":\"search\",\"dailyBudget\":100," + cb + "}";
            c.add(new Bad("channel " + cb, "PUT", p + "/" + key + "/channels/new-one", json, body));
            c.add(new Bad("channel existing " + cb, "PUT", p + "/" + key + "/channels/good", json, body));
        }

        // metrics: every field broken, as JSON and as CSV
        String[][] metricBad = {{"spend", "-1"}, {"spend", "\"abc\""}, {"spend", "1.234"}, {"spend", "1e400"},
                {"spend", "NaN"}, {"spend", "Infinity"}, {"revenue", "1000000000001"}, {"impressions", "1.5"},
                {"impressions", "-1"}, {"clicks", "99999999"}, {"conversions", "\"x\""}, {"newCustomers", "-7"},
                {"ltv", "-1"}, {"ltv", "[]"}, {"date", "\"2026-13-01\""}, {"date", "\"yesterday\""},
                {"date", "\"" + LocalDate.now().plusDays(3) + "\""}, {"date", "\"1969-12-31\""}, {"channel", "\"tv\""},
                {"channel", "{}"}, {"extra", "1"}};
        for (String[] mb : metricBad) {
            Map<String, String> row = new LinkedHashMap<>(Map.of("channel", "\"good\"", "date", "\"" + yesterday + "\"",
                    "spend", "10", "impressions", "100", "clicks", "10", "conversions", "1", "revenue", "20",
                    "newCustomers", "1"));
            row.put(mb[0], mb[1]);
            StringBuilder sb = new StringBuilder("[{");
            row.forEach((k, v) -> sb.append('"').append(k).append("\":").append(v).append(','));
            sb.setLength(sb.length() - 1);
            sb.append("}]");
            c.add(new Bad("metric json " + mb[0] + "=" + mb[1], "POST", m, json, sb.toString()));
            c.add(new Bad("metric json second row " + mb[0] + "=" + mb[1], "POST", m, json,
                    "[{\"channel\":\"good\",\"date\":\"" + LocalDate.now().minusDays(2) + "\",\"spend\":1,\"impressions\":1,"
                            + "\"clicks\":1,\"conversions\":1,\"revenue\":1,\"newCustomers\":1}," + sb.substring(1)));
            Map<String, String> csvRow = new LinkedHashMap<>(Map.of("channel", "good", "date", yesterday, "spend", "10",
                    "impressions", "100", "clicks", "10", "conversions", "1", "revenue", "20", "newCustomers", "1"));
            csvRow.put(mb[0], mb[1].replace("\"", ""));
            c.add(new Bad("metric csv " + mb[0] + "=" + mb[1], "POST", m, "text/csv",
                    String.join(",", csvRow.keySet()) + "\n" + String.join(",", csvRow.values()) + "\n"));
        }
        // newCustomers and ltv may be left out (unknown, as platform data leaves them): not in this list
        String[] missing = {"channel", "date", "spend", "impressions", "clicks", "conversions", "revenue"};
        for (String f : missing) {
            c.add(new Bad("metric json missing " + f, "POST", m, json, "[{\"" + (f.equals("channel") ? "date" : "channel")
                    + "\":\"x\"}]"));
            c.add(new Bad("metric csv missing column " + f, "POST", m, "text/csv",
                    Arrays.stream(missing).filter(x -> !x.equals(f)).reduce((a, b) -> a + "," + b).orElse("") + "\n"));
        }
        String[] brokenJson = {"[", "[{", "[{\"channel\":", "{\"channel\":\"good\"}", "\"text\"", "42", "[1,2,3]",
                "[{}]trailing", "[{\"channel\":\"good\"}]]", "[null]", "[[]]", "[{\"channel\":\"good\",,}]", "\u00ff\u00fe", "[true]"};
        for (String b : brokenJson) {
            c.add(new Bad("broken json " + b, "POST", m, json, b));
        }
        String[] brokenCsv = {"", "\n\n", "channel\n", "channel,date,spend,impressions,clicks,conversions,revenue,newCustomers\n\"good," + yesterday + ",1,1,1,1,1,1\n",
                "channel,date,spend,impressions,clicks,conversions,revenue,newCustomers\ngood," + yesterday + ",1\n",
                "channel,date,spend,impressions,clicks,conversions,revenue,newCustomers,colour\ngood," + yesterday + ",1,1,1,1,1,1,red\n",
                "channel;date;spend;impressions;clicks;conversions;revenue;newCustomers\ngood;" + yesterday + ";1;1;1;1;1;1\n",
                "channel,date,spend,impressions,clicks,conversions,revenue,newCustomers\ngood," + yesterday + ",1,1,1,1,1,1\ngood," + yesterday + ",2,1,1,1,1,1\n"};
        for (String b : brokenCsv) {
            c.add(new Bad("broken csv " + b.length(), "POST", m, "text/csv", b));
        }

        // wrong content types on every writing endpoint
        String[][] writes = {{"POST", p}, {"PATCH", p + "/" + key}, {"PUT", p + "/" + key + "/channels/x"}, {"POST", m},
                {"POST", p + "/" + key + "/runs"}, {"POST", "/api/v1/simulations"}, {"POST", "/api/v1/rules/validate"}};
        for (String[] w : writes) {
            for (String ct : new String[]{"text/xml", "application/x-www-form-urlencoded", "image/png"}) {
                c.add(new Bad("content type " + ct + " " + w[1], w[0], w[1], ct, "<x/>"));
            }
        }

        // runs, recommendations, rules, simulations
        String[] runBad = {"{\"asOf\":\"2026-02-30\"}", "{\"asOf\":\"" + LocalDate.now().plusDays(10) + "\"}", "{\"dryRun\":\"no\"}",
                "{\"dryRun\":1}", "{\"asOf\":20260101}", "{\"unknown\":true}", "[", "[]"};
        for (String rb : runBad) {
            c.add(new Bad("run " + rb, "POST", p + "/" + key + "/runs", json, rb));
        }
        c.add(new Bad("run unknown portfolio", "POST", p + "/nobody/runs", json, "{}"));
        c.add(new Bad("apply proposed", "POST", "/api/v1/recommendations/" + rec + "/apply", null, null));
        c.add(new Bad("approve unknown field", "POST", "/api/v1/recommendations/" + rec + "/approve", json, "{\"vote\":1}"));
        for (String id : new String[]{"0", "-1", "abc", "99999999999999999999", "1.5"}) {
            c.add(new Bad("approve id " + id, "POST", "/api/v1/recommendations/" + id + "/approve", json, "{}"));
            c.add(new Bad("get run " + id, "GET", "/api/v1/runs/" + id, null, null));
        }
        c.add(new Bad("portfolio name NUL", "POST", p, json, "{\"key\":\"nul-name\",\"name\":\"a\\u0000b\",\"currency\":\"EUR\"}"));
        c.add(new Bad("channel name NUL", "PUT", p + "/" + key + "/channels/nul", json, "{\"name\":\"a\\u0000\",\"kind\":\"search\",\"dailyBudget\":1}"));
        c.add(new Bad("comment NUL", "POST", "/api/v1/recommendations/" + rec + "/reject", json, "{\"comment\":\"x\\u0000\"}"));
        c.add(new Bad("audit entity NUL", "GET", "/api/v1/audit?entityId=%00", null, null));
        c.add(new Bad("decision wrong type", "POST", "/api/v1/recommendations/" + rec + "/reject", json, "{\"comment\":5}"));
        c.add(new Bad("validate broken", "POST", "/api/v1/rules/validate", "text/plain", "rule x when then"));
        c.add(new Bad("validate multipart no file", "POST", "/api/v1/rules/validate", "multipart/form-data; boundary=x", "--x--"));
        c.add(new Bad("versions unknown", "GET", "/api/v1/rules/versions/" + "0".repeat(64), null, null));
        String[] simBad = {"{}", "{\"seed\":1}", "{\"days\":10}", "{\"seed\":\"a\",\"days\":10}", "{\"seed\":1,\"days\":0}",
                "{\"seed\":1,\"days\":100000}", "{\"seed\":1,\"days\":10,\"rules\":5}", "{\"seed\":1,\"days\":10,\"channels\":[{}]}",
                "{\"seed\":1,\"days\":10,\"policy\":{\"maxShiftPct\":0}}", "{\"seed\":1e400,\"days\":10}"};
        for (String sb : simBad) {
            c.add(new Bad("simulation " + sb, "POST", "/api/v1/simulations", json, sb));
        }

        // query parameters
        String[] pages = {"page=-1", "size=0", "size=501", "size=abc", "page=1.5"};
        for (String q : pages) {
            for (String path : new String[]{p, m, "/api/v1/audit", "/api/v1/recommendations", p + "/" + key + "/runs",
                    "/api/v1/rules/versions"}) {
                c.add(new Bad("query " + q + " " + path, "GET", path + "?" + q, null, null));
            }
        }
        for (String d : new String[]{"2026-02-30", "tomorrow", "01/02/2026", "20260101", "2026-1-1"}) {
            c.add(new Bad("metrics from " + d, "GET", m + "?from=" + url(d), null, null));
            c.add(new Bad("performance asOf " + d, "GET", p + "/" + key + "/performance?asOf=" + url(d), null, null));
            c.add(new Bad("audit from " + d, "GET", "/api/v1/audit?from=" + url(d), null, null));
        }
        c.add(new Bad("audit order", "GET", "/api/v1/audit?order=sideways", null, null));
        c.add(new Bad("metrics from after to", "GET", m + "?from=2026-02-01&to=2026-01-01", null, null));
        c.add(new Bad("unknown route", "GET", "/api/v1/nothing-here", null, null));
        c.add(new Bad("unknown method", "DELETE", p + "/" + key, null, null));
        return c;
    }

    /**
     * Issue 22's attacks on the workflow: applies and edits of plans their channels outlived (409, 400), entity
     * tags that only parse to the version ({@code "00"}: 412, never the version 0), malformed ones (400), and
     * posted scenarios whose channels lack their daily budget (400 naming {@code channels[0].dailyBudget}, never a
     * NullPointerException's text).
     */
    static List<Bad> outlivedGuardrails(String key, int rec, Outlived o) {
        long rv = Api.as("viewer").get("/api/v1/recommendations/" + rec).then().extract().<Integer>path("version");
        long pv = Api.as("viewer").get("/api/v1/portfolios/" + key).then().extract().<Integer>path("version");
        List<Bad> c = new ArrayList<>();
        String json = "application/json";
        String r = "/api/v1/recommendations/";
        c.add(new Bad("apply a plan whose channel was locked since", "POST", r + o.locked() + "/apply", null, null,
                Map.of(), 409));
        c.add(new Bad("apply a plan past bounds narrowed since", "POST", r + o.narrowed() + "/apply", null, null,
                Map.of(), 409));
        c.add(new Bad("edit two channels of a plan whose third was locked since", "PATCH", r + o.edited(), json,
                o.edit(), Map.of(), 400));
        // each names the current version with something that only parses to it
        for (String tag : onlyParsingTo(rv)) {
            c.add(new Bad("approve with If-Match " + tag, "POST", r + rec + "/approve", json, "{}",
                    Map.of("If-Match", tag), 412));
            c.add(new Bad("edit with If-Match " + tag, "PATCH", r + rec, json,
                    "{\"allocations\":[{\"channel\":\"good\",\"proposedBudget\":1100},{\"channel\":\"poor\","
                            + "\"proposedBudget\":900}]}", Map.of("If-Match", tag), 412));
        }
        for (String tag : onlyParsingTo(pv)) {
            c.add(new Bad("patch portfolio with If-Match " + tag, "PATCH", "/api/v1/portfolios/" + key,
                    "application/merge-patch+json", "{\"name\":\"renamed\"}", Map.of("If-Match", tag), 412));
        }
        for (String tag : new String[]{"\"0", "0\"", "\"0\", \"0\"", "\" 0\"", "W/", "\"0\"\""}) {
            c.add(new Bad("approve with malformed If-Match " + tag, "POST", r + rec + "/approve", json, "{}",
                    Map.of("If-Match", tag), 400));
        }
        String[] scenarios = {
                "name: no budget\nchannels:\n  - {channel: search, kind: search, marginalRoas: 4.0}\n",
                "name: null budget\ndefaults: {kind: search}\nchannels:\n  - {channel: search, dailyBudget: null}\n",
                "name: empty channel\nchannels:\n  - ~\n",
                "name: no key\nchannels:\n  - {dailyBudget: 1000}\n",
                "name: null spend\nchannels:\n  - {channel: search, dailyBudget: 1000, spend: null}\n"};
        for (String yaml : scenarios) {
            c.add(new Bad("posted scenario " + yaml.substring(6, yaml.indexOf('\n')), "POST", "/api/v1/rules/scenarios",
                    "multipart/form-data; boundary=corpus", "--corpus\r\nContent-Disposition: form-data; name=\"files\";"
                    + " filename=\"s.yaml\"\r\nContent-Type: application/yaml\r\n\r\n" + yaml + "\r\n--corpus--\r\n",
                    Map.of(), 400));
        }
        return c;
    }

    /** Entity tags that are not version {@code v}'s ({@code "<v>"}) though a number parse reads them as v. */
    static List<String> onlyParsingTo(long v) {
        return List.of("\"0" + v + "\"", "W/\"0" + v + "\"", "0" + v, "\"+" + v + "\"", "\"+0" + v + "\"");
    }

    /**
     * CSV exports that name many campaigns no channel claims (the amplification of issue 22): each was answered
     * with every campaign and every line of it (25 MB for a 38 MB file). Now the first 50 are named and the rest
     * counted (400), and more than the configured distinct campaigns are a 413 before the rest is read.
     */
    static List<Bad> amplifiers(String key, long maxDistinct) {
        String m = "/api/v1/portfolios/" + key + "/metrics";
        String header = "Day,Campaign,Campaign ID,Cost,Impr.,Clicks,Conversions,Conv. value\n";
        StringBuilder many = new StringBuilder(header);
        for (int i = 0; i < 100_000; i++) {
            // each campaign on two lines, so that a campaign's line list could grow too
            many.append("2026-01-15,Unclaimed ").append(i).append(',').append(900_000 + i).append(",1.00,10,1,0,0.00\n");
            many.append("2026-01-16,Unclaimed ").append(i).append(',').append(900_000 + i).append(",1.00,10,1,0,0.00\n");
        }
        StringBuilder over = new StringBuilder(header);
        for (long i = 0; i <= maxDistinct; i++) {
            over.append("2026-01-15,C").append(i).append(",,1,1,1,0,0\n");
        }
        StringBuilder named = new StringBuilder(header);
        for (int i = 0; i < 60; i++) {
            named.append("2026-01-15,").append(i).append("x".repeat(20_000)).append(',').append(i).append(",1,1,1,0,0\n");
        }
        return new ArrayList<>(List.of(
                new Bad("csv export: 100,000 unclaimed campaigns on 200,000 lines", "POST", m, "text/csv", many.toString()),
                new Bad("csv export: over the distinct-campaign limit", "POST", m, "text/csv", over.toString()),
                new Bad("csv export: over the distinct-campaign limit, ignored", "POST", m + "?unmapped=ignore", "text/csv",
                        over.toString()),
                new Bad("csv preview: over the distinct-campaign limit", "POST", m + "/preview", "text/csv",
                        over.toString()),
                new Bad("csv export: 60 campaigns of 20,000-character names", "POST", m, "text/csv", named.toString())));
    }

    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                sb.append('\\').append(ch);
            } else if (ch < 0x20) {
                sb.append(String.format("\\u%04x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.append('"').toString();
    }

    static String url(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
