package io.spendshift.portfolio;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/** The JSON shapes of portfolios and channels (API.md). Inputs are nullable: absent means "default". */
public final class PortfolioDtos {

    private PortfolioDtos() {
    }

    /** The connectors a channel's {@code target} may name (others come behind the same interface). */
    public static final java.util.List<String> CONNECTORS = java.util.List.of("google-ads", "meta-ads");
    public static final String SPLIT_PROPORTIONAL = "PROPORTIONAL";

    public record PortfolioInput(String key, String name, String currency, String timeZone, String mode,
                                 String schedule, PolicyInput policy, SourceInput source, WebhookInput webhook,
                                 @com.fasterxml.jackson.annotation.JsonProperty("notify")
                                 java.util.List<NotifyInput> notifyTargets, PlanInput plan,
                                 OutcomesSourceInput outcomesSource) {

        /** A portfolio without a warehouse pull of outcomes. */
        public PortfolioInput(String key, String name, String currency, String timeZone, String mode,
                              String schedule, PolicyInput policy, SourceInput source, WebhookInput webhook,
                              java.util.List<NotifyInput> notifyTargets, PlanInput plan) {
            this(key, name, currency, timeZone, mode, schedule, policy, source, webhook, notifyTargets, plan, null);
        }

        /** A portfolio without a budget plan. */
        public PortfolioInput(String key, String name, String currency, String timeZone, String mode,
                              String schedule, PolicyInput policy, SourceInput source, WebhookInput webhook,
                              java.util.List<NotifyInput> notifyTargets) {
            this(key, name, currency, timeZone, mode, schedule, policy, source, webhook, notifyTargets, null, null);
        }

        /** A portfolio without notification targets. */
        public PortfolioInput(String key, String name, String currency, String timeZone, String mode,
                              String schedule, PolicyInput policy, SourceInput source, WebhookInput webhook) {
            this(key, name, currency, timeZone, mode, schedule, policy, source, webhook, null, null, null);
        }
    }

    /**
     * The portfolio's budget plan ({@code plan}): a monthly budget and/or flights (date ranges with their own
     * budget, a flight taking precedence over the month on its dates). The total daily budget is paced so that
     * the period's spend lands on its budget.
     */
    public record PlanInput(BigDecimal monthlyBudget, java.util.List<FlightInput> flights,
                            BigDecimal maxDailyChangePct) {

        /** A plan whose total daily budget may change by the default share per day ({@code maxDailyChangePct}). */
        public PlanInput(BigDecimal monthlyBudget, java.util.List<FlightInput> flights) {
            this(monthlyBudget, flights, null);
        }
    }

    /** A flight: {@code budget} to spend over the dates {@code from..to} (inclusive). */
    public record FlightInput(String from, String to, BigDecimal budget) {
    }

    /**
     * {@code maxDailyChangePct}: the largest change of the total daily budget pacing makes in one day, in % of the
     * total (default {@link io.spendshift.policy.PolicyDefaults#MAX_DAILY_CHANGE_PCT}).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PlanView(BigDecimal monthlyBudget, java.util.List<FlightView> flights, BigDecimal maxDailyChangePct) {

        public PlanView(BigDecimal monthlyBudget, java.util.List<FlightView> flights) {
            this(monthlyBudget, flights, null);
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record FlightView(LocalDate from, LocalDate to, BigDecimal budget) {
    }

    /**
     * Where a channel's budget lives on an ad platform: {@code connector} ({@code google-ads}, {@code meta-ads}),
     * {@code account} (the platform's account id as its UI shows it, digits only), {@code campaigns} (platform
     * campaign ids) and {@code split} (how the channel's budget is divided over them; {@code PROPORTIONAL} to
     * their current budgets).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ChannelTarget(String connector, String account, java.util.List<String> campaigns, String split) {
    }

    /**
     * A notification target: {@code SLACK} (incoming-webhook URL), {@code EMAIL} (an address) or {@code WEBHOOK}
     * (http(s) URL, signed with the portfolio's webhook secret when it has one); {@code digest}: collected and
     * sent once a day instead of one by one.
     */
    public record NotifyInput(String type, String target, java.util.List<String> events, Boolean digest) {
    }

    /** A Slack URL is a credential: shown only as its origin ({@code https://hooks.slack.com/…}). */
    public record NotifyView(String type, String target, boolean targetSet, java.util.List<String> events,
                             boolean digest) {
    }

    /** The portfolio's budget webhook: applied changes are POSTed there, signed with HMAC-SHA256 of the secret. */
    public record WebhookInput(String url, String secret) {
    }

    /** The secret is never shown, only whether one is set. */
    public record WebhookView(String url, boolean secretSet) {
    }

    public record PolicyInput(Integer lookbackDays, BigDecimal maxShiftPct, Integer minConversions,
                              Integer cooldownDays, BigDecimal autoApplyMaxShiftPct, BigDecimal targetRoas,
                              BigDecimal contributionMargin, BigDecimal minLtvToCac, ExplorationInput exploration,
                              Integer maxAppliesPerDay, java.util.List<FreezeInput> freeze, Integer verifyAfterDays,
                              Boolean autoRevert, java.util.Map<String, BigDecimal> ltvMultiplier) {

        public PolicyInput(Integer lookbackDays, BigDecimal maxShiftPct, Integer minConversions, Integer cooldownDays,
                           BigDecimal autoApplyMaxShiftPct, BigDecimal targetRoas, BigDecimal contributionMargin,
                           BigDecimal minLtvToCac, ExplorationInput exploration, Integer maxAppliesPerDay,
                           java.util.List<FreezeInput> freeze, Integer verifyAfterDays, Boolean autoRevert) {
            this(lookbackDays, maxShiftPct, minConversions, cooldownDays, autoApplyMaxShiftPct, targetRoas,
                    contributionMargin, minLtvToCac, exploration, maxAppliesPerDay, freeze, verifyAfterDays, autoRevert,
                    null);
        }

        /** The policy of the first turn (what simulations pass): the later fields at their defaults. */
        public PolicyInput(Integer lookbackDays, BigDecimal maxShiftPct, Integer minConversions, Integer cooldownDays,
                           BigDecimal autoApplyMaxShiftPct, BigDecimal targetRoas, BigDecimal contributionMargin,
                           BigDecimal minLtvToCac) {
            this(lookbackDays, maxShiftPct, minConversions, cooldownDays, autoApplyMaxShiftPct, targetRoas,
                    contributionMargin, minLtvToCac, null, null, null, null, null);
        }
    }

    /** {@code policy.exploration}: designed budget moves on channels whose response cannot be estimated yet. */
    public record ExplorationInput(Boolean enabled, BigDecimal maxPct, BigDecimal maxCostPct) {
    }

    /** A freeze period: on the dates {@code from..to} (inclusive) nothing is applied automatically. */
    public record FreezeInput(String from, String to, String reason) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ExplorationView(boolean enabled, BigDecimal maxPct, BigDecimal maxCostPct) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record FreezeView(LocalDate from, LocalDate to, String reason) {
    }

    /**
     * A portfolio's pull source: {@code HTTP} (url, optional bearer token) or {@code SIMULATED} (seed).
     * The CSV drop folder needs no configuration: it is watched for every portfolio.
     */
    public record SourceInput(String type, String url, String bearerToken, Long seed) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PolicyView(int lookbackDays, BigDecimal maxShiftPct, int minConversions, int cooldownDays,
                             BigDecimal autoApplyMaxShiftPct, BigDecimal targetRoas, BigDecimal contributionMargin,
                             BigDecimal minLtvToCac, ExplorationView exploration, int maxAppliesPerDay,
                             java.util.List<FreezeView> freeze, int verifyAfterDays, boolean autoRevert,
                             java.util.Map<String, BigDecimal> ltvMultiplier) {
    }

    /**
     * The outcomes feed pulled from a warehouse ({@code outcomesSource}): {@code type} {@code SQL}, {@code datasource}
     * a name configured as {@code spendshift.warehouse.<name>.*}, {@code query} one SELECT or WITH statement
     * returning {@code channel|campaign, date, new_customers, ltv|value}, {@code interval} an ISO-8601 duration
     * of at least PT15M between scheduled pulls (default PT6H).
     */
    public record OutcomesSourceInput(String type, String datasource, String query, String interval) {
    }

    /** The datasource is shown by name only: its URL and credentials stay in configuration. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record OutcomesSourceView(String type, String datasource, String query, String interval) {
    }

    /** The token itself is never shown, only whether one is set. */
    public record SourceView(String type, String url, boolean bearerTokenSet, Long seed) {
    }

    public record PortfolioView(String key, String name, String currency, String timeZone, String mode,
                                String schedule, PolicyView policy, SourceView source, WebhookView webhook,
                                BigDecimal totalDailyBudget,
                                int channels, long version, Instant createdAt, Instant updatedAt,
                                @com.fasterxml.jackson.annotation.JsonProperty("notify")
                                java.util.List<NotifyView> notifyTargets, PlanView plan,
                                OutcomesSourceView outcomesSource) {
    }

    /** {@code tags}: slugs (brand, prospecting, retargeting, ...) that rules read and caps and floors select by. */
    public record ChannelInput(String name, String platform, String kind, BigDecimal dailyBudget,
                               BigDecimal minDailyBudget, BigDecimal maxDailyBudget, Boolean locked,
                               java.util.List<String> tags, java.util.List<String> aliases, ChannelTarget target) {

        public ChannelInput(String name, String platform, String kind, BigDecimal dailyBudget,
                            BigDecimal minDailyBudget, BigDecimal maxDailyBudget, Boolean locked,
                            java.util.List<String> tags) {
            this(name, platform, kind, dailyBudget, minDailyBudget, maxDailyBudget, locked, tags, null, null);
        }

        public ChannelInput(String name, String platform, String kind, BigDecimal dailyBudget,
                            BigDecimal minDailyBudget, BigDecimal maxDailyBudget, Boolean locked) {
            this(name, platform, kind, dailyBudget, minDailyBudget, maxDailyBudget, locked, null, null, null);
        }
    }

    public record ChannelView(String key, String name, String platform, String kind, BigDecimal dailyBudget,
                              BigDecimal minDailyBudget, BigDecimal maxDailyBudget, boolean locked,
                              LocalDate lastChangedOn, java.util.List<String> tags,
                              java.util.List<String> aliases, ChannelTarget target) {
    }
}
