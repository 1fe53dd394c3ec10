package io.spendshift.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spendshift.audit.AuditEntry;
import io.spendshift.portfolio.NotifySettings;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** The plain parts of notifications: which audit actions notify, occurrences, digest times, redaction, words. */
class NotificationRulesTest {

    static AuditEntry entry(String action, String entityType, String entityId, long seq, Instant at) {
        AuditEntry e = new AuditEntry();
        e.action = action;
        e.entityType = entityType;
        e.entityId = entityId;
        e.seq = seq;
        e.at = at;
        return e;
    }

    @Test
    void auditActionsMapToTheContractsEvents() {
        assertThat(NotificationOutbox.eventOf("RECOMMENDATION_CREATED")).isEqualTo("RECOMMENDATION_PROPOSED");
        assertThat(NotificationOutbox.eventOf("SOURCE_PULL_FAILED")).isEqualTo("SOURCE_FAILED");
        assertThat(NotificationOutbox.eventOf("RUN_FINISHED")).isNull();
        assertThat(NotificationOutbox.eventOf("PORTFOLIO_UPDATED")).isNull();
        for (String event : NotifySettings.EVENTS) {
            if (event.equals(NotificationOutbox.FLAGGED)) {
                continue; // from a RECOMMENDATION_CREATED that carries flags (NotificationsTest)
            }
            assertThat(java.util.List.of("RECOMMENDATION_CREATED", "APPLY_FAILED", "RECOMMENDATION_UNDERDELIVERED",
                    "PORTFOLIO_HELD", "SOURCE_PULL_FAILED", "DROP_REJECTED", "RULES_REJECTED", "DRIFT_DETECTED").stream()
                    .map(NotificationOutbox::eventOf)).contains(event);
        }
    }

    @Test
    void budgetDriftIsOneOccurrenceADayAndItsSummaryNamesTheChannels() throws Exception {
        assertThat(NotificationOutbox.eventOf("DRIFT_DETECTED")).isEqualTo("BUDGET_DRIFT");
        var json = new ObjectMapper().createObjectNode();
        Instant morning = Instant.parse("2026-03-01T06:00:00Z");
        assertThat(NotificationOutbox.occurrence("BUDGET_DRIFT", entry("DRIFT_DETECTED", "portfolio", "p", 1, morning), json))
                .isEqualTo(NotificationOutbox.occurrence("BUDGET_DRIFT", entry("DRIFT_DETECTED", "portfolio", "p", 2,
                        Instant.parse("2026-03-01T23:00:00Z")), json))
                .isNotEqualTo(NotificationOutbox.occurrence("BUDGET_DRIFT", entry("DRIFT_DETECTED", "portfolio", "p", 3,
                        Instant.parse("2026-03-02T06:00:00Z")), json));
        var d = new ObjectMapper().readTree("{\"channels\": [{\"channel\": \"search\", \"connector\": \"google-ads\","
                + " \"budget\": 1200, \"platformBudget\": 1100.5, \"difference\": -99.5}]}");
        assertThat(Messages.summary("BUDGET_DRIFT", "acme", "EUR", "acme", d)).isEqualTo(
                "Budgets of acme differ from the ad platforms': search (google-ads): budget 1200.00, platform 1100.50 EUR.");
    }

    @Test
    void aFailingSourceIsOneOccurrenceADayAndARecommendationOneForever() {
        var json = new ObjectMapper().createObjectNode();
        Instant morning = Instant.parse("2026-03-01T06:00:00Z");
        Instant evening = Instant.parse("2026-03-01T22:00:00Z");
        Instant next = Instant.parse("2026-03-02T06:00:00Z");
        assertThat(NotificationOutbox.occurrence("SOURCE_FAILED", entry("SOURCE_PULL_FAILED", "portfolio", "p", 1, morning), json))
                .isEqualTo(NotificationOutbox.occurrence("SOURCE_FAILED", entry("SOURCE_PULL_FAILED", "portfolio", "p", 2, evening), json))
                .isNotEqualTo(NotificationOutbox.occurrence("SOURCE_FAILED", entry("SOURCE_PULL_FAILED", "portfolio", "p", 3, next), json));
        assertThat(NotificationOutbox.occurrence("APPLY_FAILED", entry("APPLY_FAILED", "recommendation", "7", 1, morning), json))
                .isEqualTo(NotificationOutbox.occurrence("APPLY_FAILED", entry("APPLY_FAILED", "recommendation", "7", 9, next), json));
        assertThat(NotificationOutbox.occurrence("DROP_REJECTED", entry("DROP_REJECTED", "dropFile", "p/a.csv", 1, morning), json))
                .isNotEqualTo(NotificationOutbox.occurrence("DROP_REJECTED", entry("DROP_REJECTED", "dropFile", "p/a.csv", 2, morning), json));
    }

    @Test
    void aDigestGoesOutAtTheNextDigestTimeInThePortfoliosZone() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        LocalTime eight = LocalTime.of(8, 0);
        assertThat(NotificationOutbox.nextDigest(Instant.parse("2026-03-01T05:00:00Z"), paris, eight))
                .isEqualTo(Instant.parse("2026-03-01T07:00:00Z"));
        assertThat(NotificationOutbox.nextDigest(Instant.parse("2026-03-01T07:00:00Z"), paris, eight))
                .isEqualTo(Instant.parse("2026-03-02T07:00:00Z"));
    }

    @Test
    void onlySlackTargetsAreRedacted() {
        assertThat(NotifySettings.redact("SLACK", "https://hooks.slack.com/services/T0/B0/X"))
                .isEqualTo("https://hooks.slack.com/…");
        assertThat(NotifySettings.redact("WEBHOOK", "https://ops.example.com/h")).isEqualTo("https://ops.example.com/h");
        assertThat(NotifySettings.redact("EMAIL", "a@example.com")).isEqualTo("a@example.com");
    }

    @Test
    void slackTextIsEscapedAndLinksIntoTheConsole() {
        var line = new Messages.Line("APPLY_FAILED", "a <b> & c", Messages.link("http://console:8080",
                "demo", "recommendation", "12"), Instant.EPOCH);
        assertThat(Messages.slack("demo", java.util.List.of(line), false))
                .contains("a &lt;b&gt; &amp; c").contains("<http://console:8080/#/recommendations/12|")
                .contains("Apply failed");
        assertThat(Messages.amount(new ObjectMapper().getNodeFactory().numberNode(new java.math.BigDecimal("2E+2"))))
                .isEqualTo("200.00");
    }

    @Test
    void messageLinksOpenTheRecommendationOrThePortfolioInTheConsole() throws Exception {
        String rec = Messages.link("https://spendshift.example/", "brand-fr", "recommendation", "12");
        String portfolio = Messages.link("https://spendshift.example", "brand-fr", "portfolio", "brand-fr");
        assertThat(rec).isEqualTo("https://spendshift.example/#/recommendations/12");
        assertThat(portfolio).isEqualTo("https://spendshift.example/#/portfolios/brand-fr");
        // each fragment is one of the console's own routes (app.js), so the link opens that page
        String js = java.nio.file.Files.readString(
                java.nio.file.Path.of("src/main/resources/META-INF/resources/console/app.js"));
        var slug = java.util.regex.Pattern.compile("const SLUG = \"([^\"]+)\"").matcher(js);
        assertThat(slug.find()).as("app.js defines SLUG").isTrue();
        java.util.Map<String, String> routes = new java.util.LinkedHashMap<>();
        var m = java.util.regex.Pattern.compile(
                "\\[(?:/(\\^#[^\\n]*?)/|new RegExp\\(`(\\^#[^`]*)`\\)), \\(?[\\w, ]*\\)? => (\\w+)\\(").matcher(js);
        while (m.find()) {
            String regex = m.group(1) != null ? m.group(1).replace("\\/", "/")
                    : m.group(2).replace("${SLUG}", slug.group(1).replace("\\\\", "\\"));
            routes.put(regex, m.group(3));
        }
        assertThat(routes).isNotEmpty();
        java.util.function.Function<String, String> page = link -> routes.entrySet().stream()
                .filter(r -> link.substring(link.indexOf('#')).matches(r.getKey())).map(java.util.Map.Entry::getValue)
                .findFirst().orElse("not found");
        assertThat(page.apply(rec)).isEqualTo("recommendationPage");
        assertThat(page.apply(portfolio)).isEqualTo("portfolioPage");
        var held = new Messages.Line("PORTFOLIO_HELD", "every channel held", portfolio, Instant.EPOCH);
        assertThat(Messages.slack("brand-fr", java.util.List.of(held), false)).contains("<" + portfolio + "|");
    }
}
