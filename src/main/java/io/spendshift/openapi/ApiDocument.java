package io.spendshift.openapi;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the document SmallRye generates from the resources into the contract clients generate from: a stable
 * {@code operationId}, summary, description and tag per operation ({@link ApiOperations}), the security schemes
 * actually used (HTTP Basic in demo mode, bearer JWT) with each operation's roles as {@code x-roles}, RFC 9457
 * problem responses, the success status each operation really answers, examples for the main flows, and
 * {@code info} and {@code servers}. One place, so the resources stay thin.
 */
public class ApiDocument implements OASFilter {

    static final String PROBLEM = "application/problem+json";

    /** Free-form JSON (a merge-patch, "active" or a rule set): any JSON, not Jackson's tree type as a model. */
    @Override
    public Schema filterSchema(Schema schema) {
        if ("#/components/schemas/JsonNode".equals(schema.getRef())) {
            schema.setRef(null);
            schema.setDescription("Any JSON value.");
        }
        return schema;
    }

    @Override
    public void filterOpenAPI(OpenAPI api) {
        api.setInfo(api.getInfo()
                .title("Spendshift API")
                .description("Spendshift reallocates performance-marketing budgets by rules: it pulls each channel's"
                        + " daily performance, lets a rule base written by strategists decide where money should move,"
                        + " and records every recommended or applied change with an audit trail. Lists are paged"
                        + " (`page`, `size` ≤ 500); errors are RFC 9457 problem documents; roles per operation are in"
                        + " `x-roles` (a caller needs one of them; admin has every role); `x-scope` says whether a role"
                        + " held on single portfolios (group `portfolio:<key>:<role>`) reaches it: `portfolio` (the"
                        + " portfolio it concerns decides; one the caller may not see answers 404), `visible` (a list"
                        + " of what the caller may see), `global` (global roles only) or `caller`.")
                .contact(OASFactory.createContact().name("Spendshift maintainers")
                        .url("https://spendshift.example/support").email("api@spendshift.example")));
        api.setServers(List.of(OASFactory.createServer().url("http://localhost:8080")
                .description("a local instance (demo mode listens on 127.0.0.1:8080)")));
        Components components = api.getComponents() == null ? OASFactory.createComponents() : api.getComponents();
        api.setComponents(components);
        components.setSecuritySchemes(new LinkedHashMap<>(Map.of(
                "basicAuth", OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                        .description("Demo mode only: the users viewer, strategist, approver, admin and ingest"
                                + " (password = user name), and users given roles on portfolios through"
                                + " `/portfolios/{key}/members` (password = user name)."),
                "bearerAuth", OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .bearerFormat("JWT").description("A signed JWT whose audience is `spendshift` (configurable)"
                                + " and whose groups claim carries the roles: global ones (`approver`) and roles on"
                                + " single portfolios (`portfolio:<key>:<role>`)."))));
        components.addSchema("Problem", problemSchema());
        components.addSchema("RuleFiles", OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("A multipart upload: every part is a file, whatever its name.")
                .addProperty("files", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY))
                        .description("Rule files (.drl, .drl.csv, .drl.xlsx) and, for scenarios, scenario files (.yaml).")
                        .items(OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).format("binary"))));
        if (components.getSchemas() != null) {
            components.removeSchema("JsonNode");
            components.removeSchema("JsonNodeType");
        }
        recommendationItems(components);

        List<ApiOperations.Op> used = new ArrayList<>();
        Map<String, PathItem> paths = api.getPaths() == null ? Map.of() : api.getPaths().getPathItems();
        for (Map.Entry<String, PathItem> p : new TreeMap<>(paths).entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> m : p.getValue().getOperations().entrySet()) {
                ApiOperations.Op op = ApiOperations.find(m.getKey().name(), p.getKey());
                if (op == null) {
                    // an operation nobody described: ApiDocumentTest fails on the missing fields
                    continue;
                }
                used.add(op);
                describe(m.getValue(), op, p.getKey());
            }
        }
        api.setTags(ApiOperations.TAGS.entrySet().stream()
                .filter(t -> used.stream().anyMatch(o -> o.tag().equals(t.getKey())))
                .map(t -> OASFactory.createTag().name(t.getKey()).description(t.getValue())).toList());
    }

    /** What each {@code x-scope} means, as the description says it. */
    static final Map<String, String> SCOPES = Map.of(
            "portfolio", " A role held on the portfolio it concerns suffices (group `portfolio:<key>:<role>`); a"
                    + " portfolio the caller may not see answers 404, as an unknown one does.",
            "visible", " Answers only what the caller may see: everything with a global role, else the portfolios"
                    + " they hold the role on.",
            "global", " Global roles only: a role on single portfolios does not open it.",
            "caller", "");

    private static void describe(Operation o, ApiOperations.Op op, String path) {
        List<String> roles = rolesOf(o);
        o.setOperationId(op.id());
        o.setSummary(op.summary());
        String scope = ApiOperations.scope(op);
        o.setDescription(op.description() + (roles.isEmpty() ? " Any authenticated caller."
                : " Roles: " + String.join(", ", roles) + "." + SCOPES.get(scope)));
        o.setTags(List.of(op.tag()));
        o.setSecurity(List.of(requirement("basicAuth"), requirement("bearerAuth")));
        o.setExtensions(new LinkedHashMap<>(Map.of("x-roles", roles, "x-scope", scope)));
        APIResponses responses = o.getResponses();
        if (op.success() != 200 && responses.getAPIResponse("200") != null) {
            APIResponse ok = responses.getAPIResponse("200");
            responses.removeAPIResponse("200");
            responses.addAPIResponse(Integer.toString(op.success()), ok.description(op.success() == 201 ? "Created" : ok.getDescription()));
        }
        String schema = op.responseSchema();
        APIResponse success = responses.getAPIResponse(Integer.toString(op.success()));
        if (schema != null && success != null) {
            success.setContent(json(OASFactory.createSchema().ref("#/components/schemas/" + schema)));
        }
        List<Integer> problems = new ArrayList<>(List.of(401, 403, 503));
        if (path.contains("{")) {
            problems.add(404);
        }
        if (o.getRequestBody() != null) {
            problems.addAll(List.of(400, 413, 415));
        }
        problems.addAll(op.problems());
        for (int status : problems.stream().distinct().sorted().toList()) {
            responses.addAPIResponse(Integer.toString(status), problemResponse(status));
        }
        if (o.getRequestBody() != null && o.getRequestBody().getContent() != null
                && o.getRequestBody().getContent().getMediaType("multipart/form-data") != null) {
            // every part is a file (the resource takes them all, whatever their names): say so in a form a client
            // generator can name
            o.getRequestBody().getContent().getMediaType("multipart/form-data")
                    .setSchema(OASFactory.createSchema().ref("#/components/schemas/RuleFiles"));
        }
        if (op.id().equals("ingestMetrics") && o.getRequestBody() != null) {
            // the resource reads the raw body (JSON or CSV) itself; say what each form holds
            Schema text = OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                    .description("CSV with a header row of the same field names.");
            o.getRequestBody().setContent(OASFactory.createContent()
                    .addMediaType("application/json", OASFactory.createMediaType().schema(OASFactory.createSchema()
                            .type(List.of(Schema.SchemaType.ARRAY))
                            .items(OASFactory.createSchema().ref("#/components/schemas/MetricRow"))))
                    .addMediaType("text/csv", OASFactory.createMediaType().schema(text).example(
                            "channel,date,spend,impressions,clicks,conversions,revenue,newCustomers,ltv\n"
                                    + "brand-search,2026-11-27,931.40,48210,1320,61,5120.00,38,210.00\n"))
                    .addMediaType("application/csv", OASFactory.createMediaType().schema(text)));
        }
        if (op.id().equals("ingestOutcomes") && o.getRequestBody() != null) {
            // the resource reads the raw body (JSON or CSV) itself; say what a row holds
            Schema text = OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                    .description("CSV with a header row of the same field names.");
            Schema str = OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING));
            Schema num = OASFactory.createSchema().type(List.of(Schema.SchemaType.NUMBER));
            Schema row = OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                    .description("One channel and acquisition day: `channel` or `campaign`, `date`, `newCustomers`,"
                            + " and `ltv` (per new customer) or `value` (the cohort's total).")
                    .properties(new java.util.LinkedHashMap<>(Map.of("channel", str, "campaign", str,
                            "date", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).format("date"),
                            "newCustomers", num, "ltv", num, "value", num)))
                    .required(List.of("date", "newCustomers"));
            o.getRequestBody().setContent(OASFactory.createContent()
                    .addMediaType("application/json", OASFactory.createMediaType().schema(OASFactory.createSchema()
                            .type(List.of(Schema.SchemaType.ARRAY)).items(row)))
                    .addMediaType("text/csv", OASFactory.createMediaType().schema(text).example(
                            "campaign,date,newCustomers,value\n1234567890,2026-11-27,12.5,1840.00\n"))
                    .addMediaType("application/csv", OASFactory.createMediaType().schema(text)));
        }
        if (op.id().equals("ingestMetrics") || op.id().equals("previewMetrics")) {
            importParameters(o, op.id().equals("ingestMetrics"));
        }
        if (op.requestExample() != null && o.getRequestBody() != null && o.getRequestBody().getContent() != null) {
            MediaType json = o.getRequestBody().getContent().getMediaType("application/json");
            if (json != null) {
                json.setExample(op.requestExample());
            }
        }
    }

    /** The CSV import's query parameters (platform exports, saved mappings, preview), described. */
    private static void importParameters(Operation o, boolean ingest) {
        Map<String, String> what = new LinkedHashMap<>();
        what.put("format", "CSV only: google-ads, meta-ads, microsoft-ads, tiktok-ads or spendshift; detected from"
                + " the header when absent.");
        what.put("mapping", "CSV only: the name of a saved mapping of the portfolio (not with format).");
        what.put("decimal", "CSV only: the decimal separator, '.' (default) or ','.");
        what.put("dateFormat", "CSV only: the date pattern of the file, e.g. dd.MM.yyyy.");
        what.put("unmapped", "CSV only: refuse (default) or ignore rows of campaigns no channel claims.");
        if (ingest) {
            what.put("dryRun", "CSV only: true answers the preview of previewMetrics (a 200 even with errors) instead"
                    + " of Result, and stores nothing.");
        }
        List<org.eclipse.microprofile.openapi.models.parameters.Parameter> params =
                o.getParameters() == null ? new ArrayList<>() : new ArrayList<>(o.getParameters());
        what.forEach((name, description) -> {
            org.eclipse.microprofile.openapi.models.parameters.Parameter p = params.stream()
                    .filter(x -> name.equals(x.getName())).findFirst().orElse(null);
            if (p == null) {
                p = OASFactory.createParameter().name(name)
                        .in(org.eclipse.microprofile.openapi.models.parameters.Parameter.In.QUERY)
                        .schema(OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)));
                params.add(p);
            }
            p.setDescription(description);
        });
        o.setParameters(params);
        APIResponse ok = o.getResponses().getAPIResponse("200");
        if (ok != null && ingest) {
            // the JSON and CSV methods merge into one operation; clients read the ingestion's answer (a dry run's
            // preview is described by previewMetrics, which answers it alone)
            ok.setDescription("What was stored; with `dryRun=true` the `ImportPreview` of previewMetrics instead.");
            ok.setContent(json(OASFactory.createSchema().ref("#/components/schemas/Result")));
        }
        if (!ingest && o.getRequestBody() != null) {
            Schema text = OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))
                    .description("A platform's CSV export, a file for a saved mapping, or Spendshift's own CSV.");
            o.getRequestBody().setContent(OASFactory.createContent()
                    .addMediaType("text/csv", OASFactory.createMediaType().schema(text).example(
                            "Day,Campaign,Campaign ID,Cost,Impr.,Clicks,Conversions,Conv. value\n"
                                    + "2026-11-27,Brand - DE,111,\"1,234.56\",\"45,210\",\"2,774\",7.42,\"3,456.78\"\n"))
                    .addMediaType("application/csv", OASFactory.createMediaType().schema(text)));
        }
    }

    /** The roles SmallRye derived from {@code @RolesAllowed} (as scopes of its own scheme, which is not ours). */
    private static List<String> rolesOf(Operation o) {
        List<String> roles = new ArrayList<>();
        if (o.getSecurity() != null) {
            for (SecurityRequirement r : o.getSecurity()) {
                r.getSchemes().values().forEach(v -> {
                    if (v != null) {
                        v.stream().filter(s -> !roles.contains(s)).forEach(roles::add);
                    }
                });
            }
        }
        return roles;
    }

    private static SecurityRequirement requirement(String scheme) {
        return OASFactory.createSecurityRequirement().addScheme(scheme, List.of());
    }

    private static APIResponse problemResponse(int status) {
        String what = switch (status) {
            case 400 -> "Invalid input: `errors[]` names each field (and `row` for a data row); nothing was changed.";
            case 401 -> "No or invalid credentials.";
            case 403 -> "The caller lacks the role this operation needs.";
            case 404 -> "The portfolio, channel, run, recommendation or rule-set version does not exist.";
            case 409 -> "A state conflict: an illegal transition, a run already in progress, a concurrent change.";
            case 412 -> "`If-Match` is not the current version's `ETag` (compared exactly); read it again.";
            case 413 -> "The body is larger than the service accepts (`quarkus.http.limits.max-body-size`), or a"
                    + " metric upload holds more rows or campaigns than configured (`limit` names the configuration"
                    + " item, `maximum` its value); nothing was stored.";
            case 415 -> "The content type is not one this operation takes.";
            case 422 -> "Rules that do not compile or that the policy language refuses: `errors[]` of"
                    + " `{file, line, column, message}`, `valid: false`.";
            case 429 -> "Too many rule evaluations at once; try again shortly.";
            case 502 -> "A budget sink (the portfolio's webhook, an ad platform) refused the budget change; nothing"
                    + " was changed.";
            case 503 -> "The database or a budget sink is unreachable; nothing was changed.";
            default -> "An error.";
        };
        return OASFactory.createAPIResponse().description(what).content(OASFactory.createContent()
                .addMediaType(PROBLEM, OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref("#/components/schemas/Problem"))));
    }

    private static Schema problemSchema() {
        Schema error = OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("One problem: a request field, or a place in a rule file.")
                .addProperty("field", string("The request field, e.g. `policy.maxShiftPct` or `rows[3].spend`."))
                .addProperty("message", string("What is wrong."))
                .addProperty("row", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER))
                        .description("The 1-based data row (a CSV header is not counted)."))
                .addProperty("file", string("A rule file, relative to the rules folder."))
                .addProperty("line", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER))
                        .description("1-based line in the rule file, 0 when unknown."))
                .addProperty("column", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER))
                        .description("1-based column in the rule file, 0 when unknown."));
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("An RFC 9457 problem document (`application/problem+json`).")
                .addProperty("type", string("A URI naming the kind of problem."))
                .addProperty("title", string("A short summary of the kind of problem."))
                .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)))
                .addProperty("detail", string("What happened, for a person."))
                .addProperty("instance", string("The request path."))
                .addProperty("errors", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY)).items(error))
                .addProperty("errorCount", integer("A refused CSV export: how many problems were found (`errors`"
                        + " lists the first 1,000)."))
                .addProperty("unmapped", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY))
                        .items(string("A campaign, by name and id as the export has them."))
                        .description("A refused CSV export: the first 50 campaigns no channel claims."))
                .addProperty("unmappedCount", integer("A refused CSV export: how many distinct campaigns no channel"
                        + " claims."))
                .addProperty("limit", string("A 413 for an upload over a limit: the configuration item, e.g."
                        + " `spendshift.ingest.max-rows`."))
                .addProperty("maximum", integer("A 413 for an upload over a limit: its configured value."))
                .required(List.of("type", "title", "status"));
    }

    /** The recommendation's arrays are written out raw; here is what their items hold. */
    private static void recommendationItems(Components components) {
        Schema view = components.getSchemas() == null ? null : components.getSchemas().get("RecommendationView");
        if (view == null || view.getProperties() == null) {
            return;
        }
        Schema money = OASFactory.createSchema().type(List.of(Schema.SchemaType.NUMBER)).examples(List.of(new BigDecimal("940.00")));
        set(view, "allocations", OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .addProperty("channel", string("The channel's key."))
                .addProperty("currentBudget", money).addProperty("proposedBudget", money).addProperty("delta", money));
        set(view, "shifts", OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .addProperty("from", string("The channel giving budget."))
                .addProperty("to", string("The channel receiving it."))
                .addProperty("amount", money)
                .addProperty("rule", string("The rule that asked for it."))
                .addProperty("reason", string("Why, in the rule's words."))
                .addProperty("sentence", string("The shift for people, in the portfolio's currency with the channels'"
                        + " names: \"Move €600/day from Meta prospecting to Non-brand search: the next euro there buys"
                        + " €0.30 of long-term value, here €5.67; confidence 55% and 40%\".")));
        set(view, "explanation", OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .addProperty("rule", string("A rule that fired (or the pacing step)."))
                .addProperty("title", string("A readable title of the entry."))
                .addProperty("text", string("What the rule matched, as a sentence for people."))
                .addProperty("internal", OASFactory.createSchema().type(List.of(Schema.SchemaType.BOOLEAN))
                        .description("False for what mattered to the plan (firings on channels the plan changes, the"
                                + " thresholds of the portfolio's own channel kinds, pacing); true for the rest."))
                .addProperty("facts", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY))
                        .items(OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                                .description("A fact the rule matched, rounded: money to the cent with `currency`,"
                                        + " ratios to two decimals."))));
        Schema pacing = view.getProperties().get("pacing");
        if (pacing != null) {
            Schema dates = OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                    .addProperty("from", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).format("date"))
                    .addProperty("to", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).format("date"));
            view.addProperty("pacing", OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                    .description("The pacing part of the plan (null when the total stays): the plan changes the total"
                            + " daily budget by exactly `totalAfter - totalBefore`, spread as `channels` says.")
                    .addProperty("periodKind", string("FLIGHT or MONTH."))
                    .addProperty("period", dates)
                    .addProperty("budget", money)
                    .addProperty("spentToDate", money)
                    .addProperty("expectedToDate", money)
                    .addProperty("pace", OASFactory.createSchema().type(List.of(Schema.SchemaType.NUMBER))
                            .description("spentToDate / expectedToDate; null on the period's first day."))
                    .addProperty("daysLeft", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)))
                    .addProperty("pacedDailyTotal", money)
                    .addProperty("dailyTarget", money)
                    .addProperty("totalBefore", money)
                    .addProperty("totalAfter", money)
                    .addProperty("channels", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY))
                            .items(OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                                    .addProperty("channel", string("A channel's key."))
                                    .addProperty("delta", money))));
        }
        set(view, "experiments", OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .addProperty("channel", string("The explored channel's key."))
                .addProperty("deltaPct", OASFactory.createSchema().type(List.of(Schema.SchemaType.NUMBER))
                        .description("The designed change, in % of the channel's budget before it (signed)."))
                .addProperty("reason", string("Why the channel is explored."))
                .addProperty("until", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).format("date")
                        .description("The first day after the experiment's block.")));
        set(view, "adjustments", OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("A clamp, drop or conflict the plan resolver made of what a rule asked.")
                .addProperty("rule", string("The rule that asked."))
                .addProperty("channel", string("The channel concerned."))
                .addProperty("asked", money).addProperty("granted", money)
                .addProperty("why", string("Why it was granted less (or nothing).")));
        set(view, "flags", OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("A rule's flag on a channel (it does not freeze the channel).")
                .addProperty("channel", string("The flagged channel."))
                .addProperty("severity", string("info, warning or critical, as the rule says."))
                .addProperty("message", string("The rule's message."))
                .addProperty("rule", string("The rule that raised it.")));
        set(view, "changedTargets", OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("An ad-platform budget that applying the recommendation changed.")
                .addProperty("connector", string("google-ads or meta-ads."))
                .addProperty("account", string("The platform account, digits only."))
                .addProperty("campaign", string("The campaign id."))
                .addProperty("budgetId", string("What was set: a Google campaign budget's resource name, a Meta"
                        + " campaign or ad set id."))
                .addProperty("before", money).addProperty("after", money));
        Schema forecast = forecast(money);
        if (view.getProperties().containsKey("forecast")) {
            view.addProperty("forecast", forecast);
        }
        Schema run = components.getSchemas().get("RunView");
        if (run != null && run.getProperties() != null && run.getProperties().containsKey("forecast")) {
            run.addProperty("forecast", forecast);
        }
    }

    /** API.md "Forecasts": what a plan will bring, or why it cannot be said. */
    private static Schema forecast(Schema money) {
        Schema interval = OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("Expected value and the interval's bounds, in the portfolio's currency.")
                .addProperty("expected", money).addProperty("low", money).addProperty("high", money);
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("The change of the portfolio's daily long-term value at steady state under the proposed"
                        + " budgets against the current ones; or `unavailable` with the reason.")
                .addProperty("level", OASFactory.createSchema().type(List.of(Schema.SchemaType.NUMBER))
                        .description("The interval's probability, e.g. 0.8."))
                .addProperty("horizonDays", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)))
                .addProperty("valuePerDay", interval)
                .addProperty("valueOverHorizon", interval)
                .addProperty("channels", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY))
                        .items(OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                                .addProperty("channel", string("A changed channel's key."))
                                .addProperty("valuePerDay", interval)))
                .addProperty("explorationCostPerDay", interval)
                .addProperty("unavailable", string("Why no forecast could be made (then the other fields are absent)."));
    }

    private static void set(Schema view, String property, Schema item) {
        Schema p = view.getProperties().get(property);
        if (p != null) {
            p.setItems(item);
        }
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).description(description);
    }

    private static Schema integer(String description) {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)).description(description);
    }

    static Content json(Schema schema) {
        return OASFactory.createContent().addMediaType("application/json", OASFactory.createMediaType().schema(schema));
    }
}
