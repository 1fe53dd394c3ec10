package io.spendshift.explain;

import io.spendshift.learning.Forecast;
import io.spendshift.learning.Interval;
import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.Plan;
import io.spendshift.policy.PortfolioFacts;
import io.spendshift.rules.engine.Evaluation;
import io.spendshift.rules.engine.PolicyEvaluator;
import io.spendshift.rules.engine.RuleCompiler;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Words for people: sentences, the summary and explanation entries, in the portfolio's currency with names. */
class NarratorTest {

    static Narrator.Context context(String currency) {
        Map<String, Narrator.ChannelInfo> ch = new java.util.LinkedHashMap<>();
        ch.put("meta-pro", new Narrator.ChannelInfo("meta-pro", "Meta prospecting", "social", 0.3012, 0.551));
        ch.put("nb-search", new Narrator.ChannelInfo("nb-search", "Non-brand search", "search", 5.6666, 0.4));
        ch.put("brand", new Narrator.ChannelInfo("brand", "Brand search", "search", 2.0, 0.9));
        return new Narrator.Context(new Wording(currency), ch, Map.of("brand", "changed 1 day ago (cooldown 3 days)"));
    }

    static final Plan.Shift SHIFT = new Plan.Shift("meta-pro", "nb-search", new BigDecimal("600.00"),
            "Trim channels whose marginal long-term value is below the average", "marginal 0.3 below 2.1");

    @Test
    void aShiftReadsAsASentenceInThePortfoliosCurrencyWithChannelNames() {
        assertThat(Narrator.sentence(SHIFT, context("EUR"))).isEqualTo("Move €600/day from Meta prospecting to"
                + " Non-brand search: the next euro there buys €0.30 of long-term value, here €5.67; confidence 55%"
                + " and 40%");
        assertThat(Narrator.sentence(SHIFT, context("USD"))).startsWith("Move $600/day").contains("next dollar");
        assertThat(Narrator.sentence(SHIFT, context("GBP"))).startsWith("Move £600/day").contains("next pound");
        assertThat(Narrator.sentence(SHIFT, context("CHF"))).startsWith("Move CHF 600/day");
        assertThat(new Wording("EUR").money(new BigDecimal("1234.567"))).isEqualTo("€1,235");
        assertThat(new Wording("EUR").money(new BigDecimal("12.5"))).isEqualTo("€12");
        assertThat(new Wording("EUR").money(new BigDecimal("7.455"))).isEqualTo("€7.46");
    }

    @Test
    void eachMoveNamesTheValueSourceItsNumbersRestOn() {
        Map<String, Narrator.ChannelInfo> ch = new java.util.LinkedHashMap<>();
        ch.put("meta-pro", new Narrator.ChannelInfo("meta-pro", "Meta prospecting", "social", 0.3012, 0.551,
                "REVENUE"));
        ch.put("nb-search", new Narrator.ChannelInfo("nb-search", "Non-brand search", "search", 5.6666, 0.4,
                "OUTCOMES"));
        Narrator.Context ctx = new Narrator.Context(new Wording("EUR"), ch, Map.of());
        assertThat(Narrator.sentence(SHIFT, ctx)).isEqualTo("Move €600/day from Meta prospecting to Non-brand"
                + " search: the next euro there buys €0.30 of long-term value (platform revenue: no customer data for"
                + " this channel), here €5.67 (from your customer feed); confidence 55% and 40%");
        Plan plan = new Plan(List.of(), List.of(SHIFT), List.of(), List.of(), null);
        assertThat(Narrator.summary(plan, null, ctx)).contains("Values rest on your customer feed for Non-brand"
                + " search; on platform revenue, without customer data, for Meta prospecting.");
    }

    @Test
    void theSummarySaysWhatMovesWhyTheForecastPacingAndHeldChannels() {
        Plan plan = new Plan(List.of(), List.of(SHIFT), List.of(), List.of(), new Plan.PacingChange("MONTH",
                new Plan.Dates(java.time.LocalDate.of(2026, 3, 1), java.time.LocalDate.of(2026, 3, 31)),
                new BigDecimal("90000.00"), new BigDecimal("40000.00"), new BigDecimal("37741.94"), 1.06, 18,
                new BigDecimal("2777.78"), new BigDecimal("2880.00"), new BigDecimal("3200.00"),
                new BigDecimal("2880.00"), List.of(new Plan.ChannelChange("meta-pro", new BigDecimal("-320.00")))));
        Forecast f = new Forecast(0.8, 30, new Interval(120.4, 40.2, 210.9), new Interval(3600, 1200, 6300), List.of(),
                null, null);
        String s = Narrator.summary(plan, f, context("EUR"));
        assertThat(s).contains("Moves €600/day from Meta prospecting (-€600) to Non-brand search (+€600)")
                .contains("Expected +€120/day (80%: +€40 to +€211)")
                .contains("the month March 2026 has a budget of €90,000")
                .contains("from €3,200 to €2,880")
                .contains("Held: Brand search (changed 1 day ago (cooldown 3 days))");
    }

    @Test
    void explanationEntriesAreTitledReadableRoundedAndOnlyWhatMatteredIsNotInternal() throws Exception {
        var rules = RuleCompiler.compile(RuleCompiler.readFolder(Path.of("rules")), getClass().getClassLoader())
                .rules().kieBase();
        PortfolioFacts p = new PortfolioFacts();
        p.setAsOf(java.time.LocalDate.of(2026, 3, 11));
        p.setChannelCount(3);
        List<ChannelFacts> channels = new ArrayList<>();
        for (String[] c : new String[][] {{"meta-pro", "social", "0.3012"}, {"nb-search", "search", "5.6666"},
                {"brand", "search", "2.1"}}) {
            ChannelFacts cf = new ChannelFacts(c[0], c[1], new BigDecimal("1000"));
            cf.setConversions(500);
            cf.setDaysOfData(60);
            cf.setMarginalRoas(Double.parseDouble(c[2]));
            cf.setMarginalRoasConfidence(0.5);
            channels.add(cf);
        }
        Evaluation ev = PolicyEvaluator.evaluate(rules, p, channels, true);
        Plan plan = new Plan(List.of(), List.of(SHIFT));
        List<Map<String, Object>> entries = Narrator.explanation(ev.explanation(), plan, context("EUR"));
        String all = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(entries);
        assertThat(all).doesNotContainPattern("@[0-9a-f]{5,}").doesNotContain("[L").doesNotContain("java.");
        assertThat(entries).allSatisfy(e -> {
            assertThat(e).containsKeys("rule", "title", "text", "internal", "facts");
            assertThat((String) e.get("title")).doesNotContain("PortfolioFacts", "KindThreshold", "Candidate");
            assertThat((String) e.get("text")).doesNotContain("PortfolioFacts", "KindThreshold", "Candidate");
        });
        // thresholds: the portfolio's own kinds matter, the others are internal
        assertThat(entries).filteredOn(e -> "Thresholds for search".equals(e.get("rule"))).singleElement()
                .satisfies(e -> assertThat(e.get("internal")).isEqualTo(false));
        assertThat(entries).filteredOn(e -> "Thresholds for video".equals(e.get("rule"))).singleElement()
                .satisfies(e -> assertThat(e.get("internal")).isEqualTo(true));
        // the range of marginal values (an accumulate) is internal and carries its values, not object text
        assertThat(entries).filteredOn(e -> String.valueOf(e.get("rule")).startsWith("Measure the range"))
                .allSatisfy(e -> assertThat(e.get("internal")).isEqualTo(true));
        // a channel in the shift matters; its facts are rounded, money with the currency
        assertThat(entries).filteredOn(e -> String.valueOf(e.get("rule")).startsWith("A channel takes part")
                        && String.valueOf(e.get("text")).startsWith("Meta prospecting"))
                .singleElement().satisfies(e -> {
                    assertThat(e.get("internal")).isEqualTo(false);
                    assertThat((String) e.get("text")).contains("the next euro buys €0.30 of long-term value");
                    @SuppressWarnings("unchecked")
                    List<Map<String, Object>> facts = (List<Map<String, Object>>) e.get("facts");
                    assertThat(facts).anySatisfy(x -> {
                        assertThat(x).containsEntry("currency", "EUR");
                        assertThat(x.get("dailyBudget")).isEqualTo(new BigDecimal("1000.00"));
                        assertThat(x.get("marginalRoas")).isEqualTo(new BigDecimal("0.30"));
                    });
                });
        assertThat(entries).filteredOn(e -> String.valueOf(e.get("rule")).startsWith("A channel takes part")
                        && String.valueOf(e.get("text")).startsWith("Brand search"))
                .allSatisfy(e -> assertThat(e.get("internal")).isEqualTo(true));
    }

    @Test
    void collectedFactsReadByChannelNameAndAMissingReasonReadsAsNothing() {
        Map<String, Object> meta = Map.of("type", "ChannelFacts", "channel", "meta-pro");
        Map<String, Object> search = Map.of("type", "ChannelFacts", "channel", "nb-search");
        List<Object> two = new ArrayList<>(List.of(meta, search));
        two.add(null);
        String t = Narrator.text(new Evaluation.Firing("Collect", List.of(Map.of("type", "Aggregate", "values", two))),
                context("EUR"));
        assertThat(t).isEqualTo("Computed over the facts it matched: Meta prospecting and Non-brand search.");
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            many.add(Map.of("type", "ChannelFacts", "channel", "c" + i));
        }
        assertThat(Narrator.text(new Evaluation.Firing("Collect", List.of(Map.of("type", "Aggregate", "values", many))),
                context("EUR"))).isEqualTo("Computed over the facts it matched: 7 channels.");

        Map<String, Object> hold = new java.util.HashMap<>(Map.of("type", "Hold", "channel", "brand"));
        hold.put("reason", null);
        Map<String, Object> none = new java.util.HashMap<>(Map.of("type", "NoChange"));
        none.put("reason", null);
        String held = Narrator.text(new Evaluation.Firing("Hold", List.of(hold, none)), context("EUR"));
        assertThat(held).isEqualTo("Brand search is held.").doesNotContain("null");
        assertThat(t + held).doesNotContainPattern("\\{\\w+=");
    }
}
