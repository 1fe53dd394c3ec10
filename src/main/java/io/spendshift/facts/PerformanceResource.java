package io.spendshift.facts;

import io.spendshift.common.Params;
import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.Hold;
import io.spendshift.rules.RuleSetService;
import io.spendshift.rules.engine.Evaluation;
import io.spendshift.rules.engine.PolicyEvaluator;
import io.spendshift.security.Roles;
import io.spendshift.portfolio.PortfolioDataStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code GET /portfolios/{key}/performance}: the per-channel facts exactly as the rules see them, with the
 * holds the active guardrails put on them.
 */
@Path("/api/v1/portfolios/{key}/performance")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.VIEWER)
public class PerformanceResource {

    private final FactsService facts;
    private final RuleSetService rules;
    private final FactsCache cache;
    private final java.time.Clock clock;
    private final PortfolioDataStore data;

    PerformanceResource(FactsService facts, RuleSetService rules, FactsCache cache, java.time.Clock clock,
                        PortfolioDataStore data) {
        this.data = data;
        this.facts = facts;
        this.rules = rules;
        this.cache = cache;
        this.clock = clock;
    }

    public record Window(LocalDate from, LocalDate to) {
    }

    public record ChannelPerformance(String channel, String kind, BigDecimal dailyBudget, BigDecimal spend,
                                     BigDecimal revenue, long conversions, long newCustomers, Double roas,
                                     BigDecimal cpa, BigDecimal cac, BigDecimal ltv, Double ltvToCac, Double ltvRoas,
                                     Double marginalRoas, double marginalRoasConfidence, int daysOfData,
                                     Integer daysSinceLastChange, boolean held, List<String> holdReasons,
                                     String platform, List<String> tags, int daysCacAboveLtv,
                                     int daysRoasBelowBreakEven, BigDecimal monthToDateSpend,
                                     List<io.spendshift.policy.Flag> flags, String valueSource) {
    }

    /** {@code flags}: those the rules raised on no channel of the portfolio (a channel's are on the channel). */
    public record Performance(String portfolio, LocalDate asOf, Window window, String ruleSetVersion,
                              List<ChannelPerformance> channels, List<io.spendshift.policy.Flag> flags) {
    }

    /**
     * Served from {@link FactsCache} while the portfolio's data, the day and the rule set are unchanged: one
     * small query per request instead of the facts and the rules.
     */
    @GET
    public Performance get(@PathParam("key") String key, @QueryParam("asOf") String asOf) {
        LocalDate asked = Params.date("asOf", asOf);
        PortfolioDataStore.DataStamp stamp = data.dataStamp(key);
        LocalDate day = asked != null ? asked : stamp.today(clock);
        RuleSetService.Active active = rules.active();
        FactsCache.Key k = new FactsCache.Key(key, day, active.rules().version(), stamp.dataVersion());
        return cache.get(k, () -> compute(key, day, active));
    }

    private Performance compute(String key, LocalDate day, RuleSetService.Active active) {
        FactsService.Facts f = facts.facts(key, day);
        Evaluation ev = rules.evaluating(key, active.rules().version(),
                () -> PolicyEvaluator.evaluate(active.rules().kieBase(), f.portfolio(), f.channels(), false));
        Map<String, List<String>> holds = ev.holds().stream()
                .collect(Collectors.groupingBy(Hold::channel, Collectors.mapping(Hold::reason, Collectors.toList())));
        Map<String, List<io.spendshift.policy.Flag>> flags = new java.util.HashMap<>();
        for (io.spendshift.policy.Flag fl : ev.flags()) {
            flags.computeIfAbsent(String.valueOf(fl.channel()), k -> new ArrayList<>()).add(fl);
        }
        List<ChannelPerformance> out = new ArrayList<>();
        for (ChannelFacts c : f.channels()) {
            List<String> reasons = holds.getOrDefault(c.getChannel(), List.of());
            out.add(new ChannelPerformance(c.getChannel(), c.getKind(), cents(c.getDailyBudget()), cents(c.getSpend()),
                    cents(c.getRevenue()), c.getConversions(), c.getNewCustomers(), r4(c.getRoas()), c.getCpa(),
                    c.getCac(), c.getLtv(), r4(c.getLtvToCac()), r4(c.getLtvRoas()), r4(c.getMarginalRoas()),
                    r4(c.getMarginalRoasConfidence()), c.getDaysOfData(), c.getDaysSinceLastChange(),
                    !reasons.isEmpty(), reasons, c.getPlatform(), c.getTags(), c.getDaysCacAboveLtv(),
                    c.getDaysRoasBelowBreakEven(), cents(c.getMonthToDateSpend()),
                    List.copyOf(flags.getOrDefault(c.getChannel(), List.of())), c.getValueSource()));
        }
        java.util.Set<String> keys = new java.util.HashSet<>();
        f.channels().forEach(c -> keys.add(c.getChannel()));
        List<io.spendshift.policy.Flag> other = ev.flags().stream().filter(fl -> !keys.contains(fl.channel())).toList();
        return new Performance(key, f.portfolio().getAsOf(),
                new Window(f.portfolio().getWindowFrom(), f.portfolio().getWindowTo()), active.rules().version(), out,
                other);
    }

    private static BigDecimal cents(BigDecimal v) {
        return io.spendshift.common.Money.cents(v);
    }

    private static Double r4(Double d) {
        return d == null ? null : Math.round(d * 10000) / 10000.0;
    }
}
