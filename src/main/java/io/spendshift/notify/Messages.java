package io.spendshift.notify;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;

/** The words of a notification: a one-line summary per event, the console link, Slack and e-mail text. */
final class Messages {

    static final int MAX_SUMMARY = 1000;

    private Messages() {
    }

    /** A summary of an audited event for people; quotes nothing but ids, amounts and our own error words. */
    static String summary(String event, String portfolio, String currency, String entityId, JsonNode d) {
        String s = switch (event) {
            case "RECOMMENDATION_PROPOSED" -> d.path("pacing").isObject()
                    ? "Recommendation " + entityId + " for " + portfolio + " paces the total daily budget from "
                    + amount(d.path("pacing").path("totalBefore")) + " to " + amount(d.path("pacing").path("totalAfter"))
                    + " " + currency + " (moving " + amount(d.path("moved")) + " " + currency
                    + " in all) and waits for review."
                    : "Recommendation " + entityId + " for " + portfolio + " proposes moving "
                    + amount(d.path("moved")) + " " + currency + " between channels and waits for review.";
            case "APPLY_FAILED" -> "Recommendation " + entityId + " for " + portfolio + " could not be applied: "
                    + d.path("reason").asText("unknown reason");
            case "RECOMMENDATION_UNDERDELIVERED" -> "Recommendation " + entityId + " for " + portfolio
                    + " delivers less than its forecast" + realized(d) + ".";
            case "PORTFOLIO_HELD" -> "Every channel of " + portfolio + " is held by the guardrails ("
                    + d.path("channels").asInt() + " channels): nothing could move in run " + d.path("runId").asText("?")
                    + ".";
            case "SOURCE_FAILED" -> "The " + d.path("source").asText("") + " source of " + portfolio + " failed: "
                    + d.path("error").asText("unknown error");
            case "DROP_REJECTED" -> "The dropped file " + d.path("file").asText("?") + " for " + portfolio
                    + " was refused (" + d.path("errorCount").asInt() + " errors): " + d.path("error").asText("");
            case "RULES_REJECTED" -> "A rule set was rejected (" + d.path("errors").size()
                    + " errors" + (d.hasNonNull("reason") ? ": " + d.path("reason").asText() : "")
                    + "); the active rules stay as they were.";
            case "BUDGET_DRIFT" -> "Budgets of " + portfolio + " differ from the ad platforms': " + drift(d.path("channels"),
                    currency) + ".";
            case NotificationOutbox.FLAGGED -> "Recommendation " + entityId + " for " + portfolio + " flags "
                    + flags(d.path("flags")) + ".";
            case NotificationOutbox.TEST -> "Test notification for portfolio " + portfolio
                    + ": this target receives Spendshift notifications.";
            default -> event + " for " + portfolio;
        };
        return s.length() > MAX_SUMMARY ? s.substring(0, MAX_SUMMARY - 1) + "…" : s;
    }

    /** Each flag as "channel (severity): message", at most five, then how many more. */
    static String flags(JsonNode flags) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode f : flags) {
            if (out.size() == 5) {
                out.add("and " + (flags.size() - 5) + " more");
                break;
            }
            out.add(f.path("channel").asText("?") + " (" + f.path("severity").asText("warning") + "): "
                    + f.path("message").asText(""));
        }
        return String.join("; ", out);
    }

    /** Each drifted channel as "channel: budget 100.00, platform 90.00 EUR", at most five, then how many more. */
    static String drift(JsonNode channels, String currency) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode c : channels) {
            if (out.size() == 5) {
                out.add("and " + (channels.size() - 5) + " more");
                break;
            }
            out.add(c.path("channel").asText("?") + " (" + c.path("connector").asText("?") + "): budget "
                    + amount(c.path("budget")) + ", platform " + amount(c.path("platformBudget")) + " " + currency);
        }
        return String.join("; ", out);
    }

    /** An amount as people write it: 200.00, never 2E+2. */
    static String amount(JsonNode n) {
        if (!n.isNumber() && !n.isTextual()) {
            return "?";
        }
        try {
            return new java.math.BigDecimal(n.asText()).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
        } catch (NumberFormatException e) {
            return "?";
        }
    }

    private static String realized(JsonNode d) {
        JsonNode r = d.path("realized").path("expected");
        return r.isMissingNode() || r.isNull() ? "" : " (realized " + amount(r) + " a day)";
    }

    /** Where the console shows the event: the recommendation, else the portfolio. */
    static String link(String consoleUrl, String portfolio, String entityType, String entityId) {
        String base = consoleUrl.endsWith("/") ? consoleUrl : consoleUrl + "/";
        if ("recommendation".equals(entityType) && entityId != null) {
            return base + "#/recommendations/" + entityId;
        }
        return base + "#/portfolios/" + portfolio;
    }

    /** An event name in words: {@code APPLY_FAILED} → "Apply failed". */
    static String title(String event) {
        String w = event.replace('_', ' ').toLowerCase(Locale.ROOT);
        return Character.toUpperCase(w.charAt(0)) + w.substring(1);
    }

    /** Slack's mrkdwn needs &, < and > escaped. */
    static String slackEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** One delivery or a digest of several, as Slack text. */
    static String slack(String portfolio, List<Line> lines, boolean digest) {
        StringBuilder b = new StringBuilder();
        if (digest) {
            b.append("*Spendshift daily digest for ").append(slackEscape(portfolio)).append("* (")
                    .append(lines.size()).append(lines.size() == 1 ? " event)" : " events)");
            for (Line l : lines) {
                b.append("\n• *").append(title(l.event())).append(":* ").append(slackEscape(l.summary()))
                        .append(" <").append(l.link()).append("|open>");
            }
        } else {
            Line l = lines.get(0);
            b.append("*[Spendshift] ").append(title(l.event())).append("* ").append(slackEscape(l.summary()))
                    .append("\n<").append(l.link()).append("|Open in the Spendshift console>");
        }
        return b.toString();
    }

    /** One delivery or a digest, as plain e-mail text. */
    static String email(String portfolio, List<Line> lines, boolean digest) {
        StringBuilder b = new StringBuilder();
        if (digest) {
            b.append("Spendshift daily digest for ").append(portfolio).append(": ").append(lines.size())
                    .append(lines.size() == 1 ? " event" : " events").append("\n");
        }
        for (Line l : lines) {
            b.append("\n").append(title(l.event())).append(" (").append(l.at()).append(")\n").append(l.summary())
                    .append("\n").append(l.link()).append("\n");
        }
        b.append("\n-- \nSpendshift. You receive this because the portfolio ").append(portfolio)
                .append(" lists this address under notify.\n");
        return b.toString();
    }

    static String subject(String portfolio, List<Line> lines, boolean digest) {
        return digest ? "[Spendshift] Daily digest for " + portfolio + " (" + lines.size() + ")"
                : "[Spendshift] " + title(lines.get(0).event()) + ": " + portfolio;
    }

    /** What one delivery says. */
    record Line(String event, String summary, String link, java.time.Instant at) {
    }
}
