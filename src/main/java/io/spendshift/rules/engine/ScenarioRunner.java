package io.spendshift.rules.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.Hold;
import io.spendshift.policy.Plan;
import io.spendshift.policy.PlanResolver;
import io.spendshift.policy.PortfolioFacts;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs policy scenarios against a compiled rule set: facts in, rules, the plan resolver, then every
 * expectation checked. A failing scenario says what differed.
 */
public final class ScenarioRunner {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .registerModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private ScenarioRunner() {
    }

    /** A scenario file: its name and YAML text. */
    public record ScenarioFile(String name, String yaml) {
    }

    public static List<ScenarioFile> readFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<ScenarioFile> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList()) {
                out.add(new ScenarioFile(p.getFileName().toString(), Files.readString(p)));
            }
        }
        return out;
    }

    public static List<Scenario.Result> runAll(CompiledRules rules, List<ScenarioFile> files) {
        List<Scenario.Result> results = new ArrayList<>();
        for (ScenarioFile f : files) {
            results.add(run(rules, f));
        }
        return results;
    }

    public static Scenario.Result run(CompiledRules rules, ScenarioFile file) {
        Scenario s;
        try {
            s = YAML.readValue(file.yaml(), Scenario.class);
        } catch (IOException e) {
            return new Scenario.Result(file.name(), false, ScenarioErrors.yaml(e));
        }
        String name = s.name() == null ? file.name() : s.name();
        if (s.channels() != null && s.channels().size() > PolicyLanguage.MAX_SCENARIO_CHANNELS) {
            // refused whole, not reported as a failed scenario: the request is over a limit, the rules are not wrong
            throw new RuleLimitException("channels", "scenario '" + name + "' (" + file.name() + ") has "
                    + s.channels().size() + " channels; a scenario has at most " + PolicyLanguage.MAX_SCENARIO_CHANNELS);
        }
        List<MissingField> missing = missing(s);
        if (!missing.isEmpty()) {
            return new Scenario.Result(name, false, "cannot run the scenario: " + String.join("; ",
                    missing.stream().map(MissingField::message).toList()));
        }
        Plan[] plan = new Plan[1];
        try {
            String ok = check(rules, s, plan);
            return new Scenario.Result(name, true, ok, plan[0].adjustments(), plan[0].flags());
        } catch (RuleLimitException e) {
            throw e;
        } catch (AssertionError e) {
            return plan[0] == null ? new Scenario.Result(name, false, e.getMessage())
                    : new Scenario.Result(name, false, e.getMessage(), plan[0].adjustments(), plan[0].flags());
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException && e.getCause() instanceof com.fasterxml.jackson.databind.JsonMappingException) {
                // a policy or channel field of the wrong type (convertValue): name the field
                return new Scenario.Result(name, false, ScenarioErrors.yaml(e));
            }
            return new Scenario.Result(name, false, "the scenario failed to run: " + e.getMessage());
        }
    }

    /** A channel field a scenario lacks: {@code field} is its path ({@code channels[0].dailyBudget}). */
    public record MissingField(String field, String message) {
    }

    /** Every channel needs these, given in the channel or in {@code defaults}. */
    private static final List<String> REQUIRED = List.of("channel", "dailyBudget");
    /** Facts with a default of their own: left out they take it, but an explicit null would reach the rules as null. */
    private static final Set<String> NOT_NULL = Set.of("minDailyBudget", "spend", "revenue", "value", "tags", "spend7",
            "value7", "spend14", "value14", "spend28", "value28", "monthToDateSpend");

    /**
     * The channel fields a scenario file lacks (after its defaults), each named by its path; empty when there are
     * none. A file or channel that cannot be read at all (bad YAML, an unknown or mistyped field) is left to
     * {@link #run}, which says why.
     */
    public static List<MissingField> missingFields(ScenarioFile file) {
        try {
            return missing(YAML.readValue(file.yaml(), Scenario.class));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<MissingField> missing(Scenario s) {
        List<MissingField> out = new ArrayList<>();
        List<Map<String, Object>> channels = s.channels() == null ? List.of() : s.channels();
        for (int i = 0; i < channels.size(); i++) {
            String at = "channels[" + i + "]";
            if (channels.get(i) == null) {
                out.add(new MissingField(at, at + " is empty: give the channel's facts, at least channel and dailyBudget"));
                continue;
            }
            Map<String, Object> c = merged(s, channels.get(i));
            try {
                YAML.convertValue(c, ChannelFacts.class);
            } catch (IllegalArgumentException unreadable) {
                continue; // an unknown or mistyped field: the run names it (a typo such as dailyBuget is the real fault)
            }
            String which = c.get("channel") == null ? "" : " (channel " + c.get("channel") + ")";
            for (String f : REQUIRED) {
                if (c.get(f) == null) {
                    out.add(new MissingField(at + "." + f, at + "." + f + " is required" + which
                            + ": give it in the channel or in defaults"));
                }
            }
            for (String f : c.keySet().stream().filter(NOT_NULL::contains).sorted().toList()) {
                if (c.get(f) == null) {
                    out.add(new MissingField(at + "." + f, at + "." + f + " is null" + which
                            + ": leave it out for its default"));
                }
            }
        }
        return out;
    }

    /** A channel's facts: the scenario's defaults, then the channel's own. */
    private static Map<String, Object> merged(Scenario s, Map<String, Object> channel) {
        Map<String, Object> merged = new LinkedHashMap<>(s.defaults() == null ? Map.of() : s.defaults());
        merged.putAll(channel);
        return merged;
    }

    private static String check(CompiledRules rules, Scenario s, Plan[] planOut) {
        PortfolioFacts p = YAML.convertValue(s.policy() == null ? Map.of() : s.policy(), PortfolioFacts.class);
        if (p.getAsOf() == null) {
            p.setAsOf(LocalDate.of(2026, 3, 1));
        }
        if (p.getPortfolio() == null) {
            p.setPortfolio("scenario");
        }
        List<ChannelFacts> channels = new ArrayList<>();
        for (Map<String, Object> c : s.channels() == null ? List.<Map<String, Object>>of() : s.channels()) {
            channels.add(YAML.convertValue(merged(s, c), ChannelFacts.class));
        }
        p.setChannelCount(channels.size());
        p.setTotalBudget(channels.stream().map(ChannelFacts::getDailyBudget).reduce(BigDecimal.ZERO, BigDecimal::add));
        // the resolver's snapshot, taken before the rules see the facts
        List<PlanResolver.Line> lines = channels.stream().map(PlanResolver.Line::of).toList();
        double maxShiftPct = p.getMaxShiftPct();
        Evaluation ev = PolicyEvaluator.evaluate(rules.kieBase(), p, channels);
        Set<String> held = new HashSet<>(ev.holdReasons().keySet());
        Plan plan = PlanResolver.resolve(lines, ev.holdReasons(), ev.outputs(), maxShiftPct);
        planOut[0] = plan;

        List<String> problems = new ArrayList<>();
        Scenario.Expect x = s.expect() == null ? new Scenario.Expect(null, null, null, null, null, null) : s.expect();
        for (Scenario.ExpectedHold h : nz(x.holds())) {
            boolean found = ev.holds().stream().anyMatch(a -> a.channel().equals(h.channel())
                    && (h.reasonContains() == null || a.reason().contains(h.reasonContains())));
            if (!found) {
                problems.add("expected a hold on " + h.channel() + (h.reasonContains() == null ? ""
                        : " with a reason containing '" + h.reasonContains() + "'") + "; holds were " + holds(ev.holds()));
            }
        }
        for (String c : nz(x.notHeld())) {
            if (held.contains(c)) {
                problems.add("expected no hold on " + c + "; holds were " + holds(ev.holds()));
            }
        }
        for (Scenario.ExpectedShift e : nz(x.shifts())) {
            BigDecimal total = plan.shifts().stream().filter(a -> a.from().equals(e.from()) && a.to().equals(e.to()))
                    .map(Plan.Shift::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
            boolean ok = total.signum() > 0
                    && (e.amount() == null || total.compareTo(e.amount()) == 0)
                    && (e.min() == null || total.compareTo(e.min()) >= 0)
                    && (e.max() == null || total.compareTo(e.max()) <= 0);
            if (!ok) {
                String why = ScenarioErrors.whyNotShifted(e.from(), e.to(), e.amount() != null ? e.amount() : e.min(),
                        channels, ev, plan, p.getMaxShiftPct());
                problems.add("expected a shift " + e.from() + " -> " + e.to() + describe(e) + "; got "
                        + (total.signum() == 0 ? "none" : total) + "; shifts were " + shifts(plan)
                        + (why.isEmpty() ? "" : " (why: " + why + ")"));
            }
        }
        if (Boolean.TRUE.equals(x.noShifts()) && !plan.shifts().isEmpty()) {
            problems.add("expected no shift; got " + shifts(plan));
        }
        for (String r : nz(x.fired())) {
            if (!ev.firedRules().containsKey(r)) {
                problems.add("expected rule '" + r + "' to fire; fired: " + ev.firedRules().keySet());
            }
        }
        for (String r : nz(x.notFired())) {
            if (ev.firedRules().containsKey(r)) {
                problems.add("expected rule '" + r + "' not to fire, it fired " + ev.firedRules().get(r) + " times");
            }
        }
        LanguageExpectations.check(x, plan, problems);
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("; ", problems));
        }
        return "ok: " + ev.firedRules().values().stream().mapToInt(Integer::intValue).sum() + " firings, "
                + plan.shifts().size() + " shifts, " + held.size() + " channels held"
                + (plan.adjustments().isEmpty() ? "" : ", " + plan.adjustments().size() + " adjustments")
                + (plan.flags().isEmpty() ? "" : ", " + plan.flags().size() + " flags");
    }

    private static String describe(Scenario.ExpectedShift e) {
        if (e.amount() != null) {
            return " of " + e.amount();
        }
        if (e.min() != null || e.max() != null) {
            return " between " + (e.min() == null ? "0" : e.min()) + " and " + (e.max() == null ? "any" : e.max());
        }
        return "";
    }

    private static String holds(List<Hold> holds) {
        return holds.isEmpty() ? "none" : holds.stream().map(h -> h.channel() + " (" + h.reason() + ")").toList().toString();
    }

    private static String shifts(Plan plan) {
        return plan.shifts().isEmpty() ? "none" : plan.shifts().stream()
                .map(sh -> sh.from() + "->" + sh.to() + " " + sh.amount()).toList().toString();
    }

    private static <T> List<T> nz(List<T> l) {
        return l == null ? List.of() : l;
    }
}
