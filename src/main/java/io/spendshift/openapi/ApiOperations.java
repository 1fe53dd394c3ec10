package io.spendshift.openapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every operation of the API with its stable {@code operationId} (what generated clients name their methods),
 * summary, description, tag, success status and the problems beyond the common ones. An operation added to a
 * resource must be added here: {@code OpenApiDocumentTest} fails on an operation without an id.
 */
final class ApiOperations {

    /** One tag per resource, in the order a reader meets them. */
    static final Map<String, String> TAGS = tags();

    /** One operation. {@code problems}: statuses beyond 401/403/503, 404 (path ids) and 400/413/415 (bodies). */
    record Op(String method, String path, String id, String tag, String summary, String description, int success,
              List<Integer> problems, Object requestExample, String responseSchema) {

        /** The body's schema, for an operation whose resource method answers a {@code Response} (for headers). */
        Op body(String schema) {
            return new Op(method, path, id, tag, summary, description, success, problems, requestExample, schema);
        }
    }

    static final List<Op> ALL = List.of(
            op("GET", "/api/v1/me", "getCurrentUser", "me", "Who am I",
                    "The caller's user name, global roles and roles on single portfolios (the console shows only"
                    + " what they allow).", 200),
            op("GET", "/api/v1/portfolios", "listPortfolios", "portfolios", "List portfolios",
                    "Every portfolio with its policy, mode and schedule, paged.", 200, 400),
            new Op("POST", "/api/v1/portfolios", "createPortfolio", "portfolios", "Create a portfolio",
                    "Creates a budget pool with its policy (every field optional, defaults applied); answers 201 with"
                            + " `Location`.", 201, List.of(409),
                    Map.of("key", "acme-us", "name", "ACME US", "currency", "USD", "timeZone", "America/New_York",
                            "mode", "RECOMMEND", "policy", Map.of("maxShiftPct", 20, "minConversions", 30)), null).body("PortfolioView"),
            op("GET", "/api/v1/portfolios/{key}", "getPortfolio", "portfolios", "Read a portfolio",
                    "One portfolio; its `version` is the `ETag` to send back in `If-Match`.", 200).body("PortfolioView"),
            op("PATCH", "/api/v1/portfolios/{key}", "updatePortfolio", "portfolios", "Change a portfolio",
                    "A JSON merge-patch of the portfolio's fields; `If-Match` is honoured.", 200, 409, 412).body("PortfolioView"),
            op("GET", "/api/v1/portfolios/{key}/channels", "listChannels", "channels", "List a portfolio's channels",
                    "Every channel with its budget, bounds, lock and the date of its last budget change.", 200),
            new Op("PUT", "/api/v1/portfolios/{key}/channels/{channel}", "upsertChannel", "channels",
                    "Create or replace a channel", "Upserts a budgeted line of the portfolio: 201 when created, 200"
                    + " when replaced. A changed `dailyBudget` of an existing channel is a manual budget change:"
                    + " delivered to the portfolio's budget webhook and further sinks first (502 when one refuses"
                    + " it, 503 when one cannot be reached; nothing is stored then), then stored with its ledger row"
                    + " and `BUDGET_CHANGED`.", 200, List.of(409, 502),
                    Map.of("name", "Brand search", "platform", "google-ads", "kind", "search", "dailyBudget", 940.00,
                            "minDailyBudget", 300.00, "maxDailyBudget", 2000.00, "locked", false), null).body("ChannelView"),
            op("GET", "/api/v1/portfolios/{key}/metrics", "listMetrics", "metrics", "Read daily metrics",
                    "Daily performance rows, filtered by channel and dates, paged.", 200, 400),
            new Op("POST", "/api/v1/portfolios/{key}/metrics", "ingestMetrics", "metrics", "Post daily metrics",
                    "Upserts daily rows by (channel, date) from a JSON array or CSV; all or nothing: any bad row is a"
                            + " 400 with one error per row and nothing is stored. CSV may be Spendshift's own or a"
                            + " platform's export (`format=google-ads|meta-ads|microsoft-ads|tiktok-ads|spendshift`,"
                            + " detected from the header when absent) or read through a saved `mapping`: title, total"
                            + " and footer lines are skipped, campaigns map to channels by `target.campaigns` (id) or"
                            + " `aliases` (name) and are summed per channel and day; unmapped campaigns refuse the"
                            + " batch unless `unmapped=ignore`. Implausible rows are stored with `warnings`. With"
                            + " `dryRun=true` the answer is the preview of previewMetrics instead and nothing is"
                            + " stored. An upload of more rows than `spendshift.ingest.max-rows`, or naming more"
                            + " unmapped campaigns than `spendshift.ingest.max-distinct-campaigns`, is a 413 naming"
                            + " the limit.", 200, List.of(),
                    List.of(Map.of("channel", "brand-search", "date", "2026-11-27", "spend", 931.40, "impressions",
                            48210, "clicks", 1320, "conversions", 61, "revenue", 5120.00, "newCustomers", 38,
                            "ltv", 210.00)), null),
            new Op("POST", "/api/v1/portfolios/{key}/outcomes", "ingestOutcomes", "outcomes",
                    "Post the team's customer value", "The team's own new customers and their long-term value per"
                    + " channel and acquisition day, from its CRM or warehouse, as a JSON array or CSV (header"
                    + " line): rows `{channel | campaign, date, newCustomers, ltv | value}`; `campaign` is a campaign"
                    + " id or name resolved through the channels' `target.campaigns` and `aliases`; `ltv` is per new"
                    + " customer, `value` the cohort's total (one of the two). All or nothing: any bad row is a 400"
                    + " naming row and field and nothing is stored. A channel-day posted again is replaced (cohort"
                    + " values mature). Where a channel-day has an outcome row, the facts take its new customers and"
                    + " LTV instead of the metric row's (`valueSource: OUTCOMES`). With `dryRun=true` every row is"
                    + " checked and nothing is stored: a 200 `{received, rows, errors, invalidRows}` with the first 10"
                    + " valid rows as they would be stored and every error (the first 1,000 listed) by row and"
                    + " field.", 200, List.of(),
                    List.of(Map.of("channel", "meta-prospecting", "date", "2026-11-27", "newCustomers", 41,
                            "ltv", 182.50), Map.of("campaign", "1234567890", "date", "2026-11-27", "newCustomers",
                            12.5, "value", 1840.00)), null),
            op("GET", "/api/v1/portfolios/{key}/outcomes", "listOutcomes", "outcomes", "Read the team's customer value",
                    "Stored outcome rows, filtered by `channel` and dates (`from`, `to`), paged, oldest day first"
                    + " (`order=desc`: newest first, so `size=1` is a channel's latest row).", 200, 400),
            op("POST", "/api/v1/portfolios/{key}/metrics/preview", "previewMetrics", "metrics",
                    "Preview a CSV import", "Reads a CSV as the import would (the same parameters as ingestMetrics;"
                    + " the same as its `dryRun=true`) and stores nothing: the format found, which header each field"
                    + " comes from, the first 10 channel-day rows, errors with their lines, warnings and unmapped"
                    + " campaigns (lists bounded, counts exact: the first 1,000 errors and warnings, the first 50"
                    + " campaigns). A 200 even when there are errors; a header that cannot be found or bad options"
                    + " are a 400; an upload over `spendshift.ingest.max-rows` or `max-distinct-campaigns` a 413.",
                    200).body("ImportPreview"),
            op("GET", "/api/v1/portfolios/{key}/mappings", "listMappings", "metrics",
                    "List saved CSV mappings", "The portfolio's custom column mappings, by name.", 200),
            op("GET", "/api/v1/portfolios/{key}/mappings/{name}", "getMapping", "metrics", "Read a saved CSV mapping",
                    "One custom column mapping: which header holds which field, decimal separator, date format.",
                    200),
            new Op("PUT", "/api/v1/portfolios/{key}/mappings/{name}", "saveMapping", "metrics",
                    "Create or replace a CSV mapping", "Saves a custom column mapping for `POST .../metrics?mapping="
                    + "<name>`: known fields only, date, spend, impressions, clicks, conversions, revenue and one of"
                    + " channel, campaign, campaignId required; 201 when created, 200 when replaced; audited"
                    + " (MAPPING_SAVED).", 200, List.of(),
                    Map.of("columns", Map.of("date", "Tag", "campaign", "Kampagne", "spend", "Kosten", "impressions",
                            "Impressionen", "clicks", "Klicks", "conversions", "Conversions", "revenue", "Umsatz"),
                            "decimal", ",", "dateFormat", "dd.MM.yyyy"), null).body("MappingView"),
            new Op("DELETE", "/api/v1/portfolios/{key}/mappings/{name}", "deleteMapping", "metrics",
                    "Delete a CSV mapping", "Removes a saved mapping; audited (MAPPING_DELETED). Answers 204.", 204,
                    List.of(), null, null),
            op("GET", "/api/v1/portfolios/{key}/members", "listMembers", "members", "List a portfolio's members",
                    "The demo users holding roles on this portfolio (beside the global ones), by user name, paged:"
                    + " each with the roles granted, when and by whom last.", 200, 400),
            op("GET", "/api/v1/portfolios/{key}/members/{user}", "getMember", "members", "Read a member",
                    "The roles one demo user holds on this portfolio; 404 when they hold none.", 200),
            new Op("PUT", "/api/v1/portfolios/{key}/members/{user}", "putMember", "members",
                    "Grant roles on a portfolio", "Sets the roles a demo user holds on this portfolio, replacing the"
                    + " ones before: `{roles: [...]}`, one or more of viewer, strategist, approver, admin, ingest"
                    + " (the hierarchy applies: an admin of the portfolio holds every role on it). 201 when the user"
                    + " held none before, 200 otherwise; audited MEMBERSHIP_GRANTED (roles added) and"
                    + " MEMBERSHIP_REVOKED (roles taken). The user logs in with HTTP Basic (password = user name) in"
                    + " demo mode; with demo mode off roles on portfolios come from the token's groups"
                    + " `portfolio:<key>:<role>` and this answers 409.", 200, List.of(409),
                    Map.of("roles", List.of("approver")), null).body("MemberView"),
            new Op("DELETE", "/api/v1/portfolios/{key}/members/{user}", "deleteMember", "members",
                    "Revoke every role on a portfolio", "Takes every role the demo user holds on this portfolio;"
                    + " audited MEMBERSHIP_REVOKED. Answers 204; 404 when they hold none, 409 with demo mode off.",
                    204, List.of(409), null, null),
            op("GET", "/api/v1/portfolios/{key}/performance", "getPerformance", "performance",
                    "The facts the rules see", "Per-channel facts over the lookback window ending the day before"
                    + " `asOf`: ROAS, CAC, LTV, marginal estimate and its confidence, holds.", 200, 400),
            op("GET", "/api/v1/portfolios/{key}/runs", "listRuns", "runs", "List a portfolio's runs",
                    "Runs of the reallocation cycle, newest first, paged.", 200, 400),
            new Op("POST", "/api/v1/portfolios/{key}/runs", "startRun", "runs", "Run the cycle",
                    "Pulls facts, evaluates the rules, resolves the plan and records a recommendation (or, with"
                            + " `dryRun`, returns the plan only). One run per portfolio at a time: a second is a 409.",
                    201, List.of(409), Map.of("dryRun", false, "asOf", "2026-11-28"), null).body("RunView"),
            op("GET", "/api/v1/portfolios/{key}/source", "getSource", "sources", "Read the source status",
                    "The portfolio's performance source, when it last pulled, its last error, and the drop files"
                    + " refused lately (`rejectedDrops`, latest first).", 200),
            op("POST", "/api/v1/portfolios/{key}/source/pull", "pullSource", "sources", "Pull the source now",
                    "Pulls the portfolio's performance source at once instead of waiting for the poll.", 200, 409),
            op("GET", "/api/v1/portfolios/{key}/notifications", "listNotifications", "notifications",
                    "List a portfolio's notification deliveries", "Deliveries to the portfolio's `notify` targets,"
                    + " newest first, paged: event, type, redacted target, status (PENDING, SENT, FAILED), attempts and"
                    + " the last error.", 200, 400),
            op("POST", "/api/v1/portfolios/{key}/notifications/test", "testNotifications", "notifications",
                    "Send a test notification", "Queues a test message to every `notify` target of the portfolio;"
                    + " answers 202 with the number queued. The dispatcher sends it within seconds.", 202),
            op("GET", "/api/v1/connectors", "listConnectors", "connectors", "List the ad-platform connectors",
                    "Each connector (`google-ads`, `meta-ads`) with whether its credentials are configured, its last"
                    + " successful pull and its last error (never a credential).", 200),
            op("POST", "/api/v1/portfolios/{key}/connectors/test", "testConnectors", "connectors",
                    "Test a portfolio's connectors", "Reads every targeted channel's campaigns on its platform, without"
                    + " changing anything: one result per channel, `ok` false with the reason (a removed or paused"
                    + " campaign, a shared or lifetime budget, another currency, credentials refused).", 200),
            op("GET", "/api/v1/portfolios/{key}/drift", "getBudgetDrift", "connectors", "Compare budgets with the platforms",
                    "Each targeted channel's daily budget against the sum of its campaigns' daily budgets on the"
                    + " platform, with the difference and the campaigns; `clean` when nothing differs.", 200),
            op("GET", "/api/v1/runs/{id}", "getRun", "runs", "Read a run",
                    "One run: status, rule-set version, fired rules, the recommendation it made or its error.", 200),
            op("GET", "/api/v1/recommendations", "listRecommendations", "recommendations", "List recommendations",
                    "Recommendations filtered by portfolio and status, newest first, paged.", 200, 400),
            op("GET", "/api/v1/recommendations/{id}", "getRecommendation", "recommendations",
                    "Read a recommendation", "The plan with its allocations, shifts and explanation; `version` is the"
                    + " `ETag` for `If-Match`.", 200).body("RecommendationView"),
            new Op("PATCH", "/api/v1/recommendations/{id}", "editRecommendation", "recommendations",
                    "Edit a proposed recommendation", "An approver changes the proposed budgets before deciding:"
                    + " `{allocations: [{channel, proposedBudget}], comment}` (channels not named keep theirs). Every"
                    + " budget stays within its channel's bounds, locked and held channels stay, the total is"
                    + " conserved to the cent (else 400 naming the channel); every channel of the plan is checked"
                    + " against its lock and bounds as they are now, also those the edit does not name (400 on"
                    + " `allocations` naming the channel); the shifts (rule `Edited by <actor>`)"
                    + " and the forecast are recomputed. `If-Match` honoured; 409 unless PROPOSED. Audited"
                    + " `RECOMMENDATION_EDITED` with before and after.", 200, List.of(409, 412),
                    Map.of("allocations", List.of(Map.of("channel", "search", "proposedBudget", 1150),
                            Map.of("channel", "social", "proposedBudget", 850)), "comment", "keep social's launch week"),
                    null).body("RecommendationView"),
            new Op("POST", "/api/v1/recommendations/{id}/approve", "approveRecommendation", "recommendations",
                    "Approve a recommendation", "PROPOSED → APPROVED, with a comment; `If-Match` is honoured.", 200,
                    List.of(409, 412), Map.of("comment", "fits the month's plan"), null).body("RecommendationView"),
            new Op("POST", "/api/v1/recommendations/{id}/reject", "rejectRecommendation", "recommendations",
                    "Reject a recommendation", "PROPOSED → REJECTED, with a comment; `If-Match` is honoured.", 200,
                    List.of(409, 412), Map.of("comment", "brand campaign running"), null).body("RecommendationView"),
            op("POST", "/api/v1/recommendations/{id}/apply", "applyRecommendation", "recommendations",
                    "Apply a recommendation", "APPROVED → APPLIED: sets the channels' budgets and sends them to the"
                    + " budget sink; a failed sink leaves it FAILED, never half-applied. Before anything is written, every"
                    + " channel of the plan is checked against its budget, lock and bounds as they are now: a plan that"
                    + " would move a channel locked since, or past bounds narrowed since, is 409 naming each channel"
                    + " (`errors[]`), and nothing is written. `If-Match` must be the `ETag` exactly (412), or 400 when it"
                    + " is not an entity tag.", 200, 400, 409, 412).body("RecommendationView"),
            new Op("POST", "/api/v1/recommendations/{id}/revert", "revertRecommendation", "recommendations",
                    "Revert an applied recommendation", "Proposes a new recommendation of kind REVERT that restores the"
                    + " budgets the plan changed (within today's bounds, total conserved); it is reviewed and applied"
                    + " like any plan. Answers 201 with `Location`; 409 when the recommendation is not APPLIED or a"
                    + " revert of it is already pending or applied.", 201, List.of(409),
                    Map.of("comment", "the plan underdelivered"), null).body("RecommendationView"),
            op("GET", "/api/v1/recommendations/{id}/verification", "getRecommendationVerification", "recommendations",
                    "Read a recommendation's verification", "An applied plan checked against its forecast once"
                    + " `policy.verifyAfterDays` days of data exist after it took effect: PENDING, ON_TRACK,"
                    + " UNDERDELIVERED or INCONCLUSIVE, with the realized change of daily value; 409 for a"
                    + " recommendation that was never applied.", 200, 409),
            op("GET", "/api/v1/rules", "getActiveRules", "rules", "Read the active rule set",
                    "Version (sha-256 of the content), files with their rules, and the last rejected reload.", 200),
            op("GET", "/api/v1/rules/versions", "listRuleVersions", "rules", "List rule-set versions",
                    "Every version that was ever active, newest first, paged.", 200, 400),
            op("GET", "/api/v1/rules/versions/{version}", "getRuleVersion", "rules", "Read a stored rule-set version",
                    "A stored version with its files' text, so any past recommendation's policy can be read back.", 200),
            op("POST", "/api/v1/rules/validate", "validateRules", "rules", "Validate rule files",
                    "Checks DRL (text/plain) or several files (multipart) against the policy language and compiles"
                    + " them, without activating anything; audited.", 200, 422, 429),
            op("POST", "/api/v1/rules/reload", "reloadRules", "rules", "Reload the rules folder",
                    "Compiles the rules folder and activates it; on errors the active set stays.", 200, 422),
            op("POST", "/api/v1/rules/scenarios", "runScenarios", "rules", "Run policy scenarios",
                    "Runs the folder's scenarios against the active rules, or posted scenarios and a candidate rule set"
                    + " (multipart); audited. A posted scenario whose channel lacks `channel` or `dailyBudget` (after"
                    + " `defaults`) is a 400 naming the field, e.g. `channels[0].dailyBudget`.", 200, 422, 429),
            new Op("POST", "/api/v1/simulations", "simulate", "simulations", "Simulate a policy",
                    "A closed-loop simulation of a policy on a simulated market, against static budgets and the"
                            + " oracle; writes nothing into real portfolios; audited.", 200, List.of(422, 429),
                    Map.of("seed", 42, "days", 60), null),
            op("GET", "/api/v1/audit", "listAuditEntries", "audit", "Read the audit trail",
                    "Append-only entries filtered by portfolio, entity, action and time, paged.", 200, 400),
            op("GET", "/api/v1/audit/verify", "verifyAuditChain", "audit", "Verify the audit chain",
                    "Recomputes the signed chain and names the first entry that does not match.", 200),
            op("GET", "/api/v1/audit/head", "getAuditHead", "audit", "Read the audit chain's head",
                    "The latest entry's sequence number and hash, to anchor the chain elsewhere.", 200));

    /** Operations without {@code {key}} that act on one portfolio's object, named by id (its portfolio decides). */
    static final java.util.Set<String> BY_ID = java.util.Set.of("getRun", "getRecommendation", "editRecommendation",
            "approveRecommendation", "rejectRecommendation", "applyRecommendation", "revertRecommendation",
            "getRecommendationVerification");
    /** Lists that answer only what the caller may see. */
    static final java.util.Set<String> FILTERED = java.util.Set.of("listPortfolios", "listRecommendations",
            "listAuditEntries");

    /**
     * How far a role on single portfolios reaches ({@code x-scope}): {@code portfolio} (the path's portfolio or the
     * id's decides: 404 for one the caller may not see), {@code visible} (a list of what the caller may see),
     * {@code caller} (the caller themselves) or {@code global} (global roles only).
     */
    static String scope(Op op) {
        if (op.path().contains("{key}") || BY_ID.contains(op.id())) {
            return "portfolio";
        }
        if (FILTERED.contains(op.id())) {
            return "visible";
        }
        return op.id().equals("getCurrentUser") ? "caller" : "global";
    }

    private static Op op(String method, String path, String id, String tag, String summary, String description,
                         int success, Integer... problems) {
        return new Op(method, path, id, tag, summary, description, success, List.of(problems), null, null);
    }

    static Op find(String method, String path) {
        return ALL.stream().filter(o -> o.method().equalsIgnoreCase(method) && o.path().equals(path)).findFirst()
                .orElse(null);
    }

    private static Map<String, String> tags() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("portfolios", "Budget pools: an advertiser, a brand, a market, with its policy.");
        t.put("channels", "Budgeted lines of a portfolio: a platform, a channel, or one campaign.");
        t.put("metrics", "Daily performance per channel.");
        t.put("outcomes", "The team's own customer value (new customers, long-term value) per channel and day.");
        t.put("performance", "The facts the rules see.");
        t.put("sources", "Where a portfolio's performance comes from.");
        t.put("runs", "Reallocation cycles: facts, rules, plan.");
        t.put("recommendations", "Plans under review: approve, reject, apply.");
        t.put("rules", "The policy strategists edit: validate, reload, scenarios.");
        t.put("simulations", "A policy tried on a simulated market.");
        t.put("audit", "The append-only, signed audit trail.");
        t.put("connectors", "Ad platforms: budgets applied to campaigns, metrics pulled, drift.");
        t.put("notifications", "Slack, e-mail and webhook messages about a portfolio's events.");
        t.put("members", "Who holds which roles on a portfolio (demo users; tokens carry them as groups).");
        t.put("me", "The caller.");
        return t;
    }

    private ApiOperations() {
    }
}
