package io.spendshift.portfolio;

import io.spendshift.common.NotFound;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/** A budget pool (an advertiser, a brand, a market) with its policy and its performance source. */
@Entity
@Table(name = "portfolio")
public class Portfolio extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "pkey", nullable = false, unique = true)
    public String key;

    public String name;
    public String currency;
    @Column(name = "time_zone")
    public String timeZone;
    @Enumerated(EnumType.STRING)
    public Mode mode;
    public String schedule;

    @Column(name = "lookback_days")
    public int lookbackDays;
    @Column(name = "max_shift_pct")
    public BigDecimal maxShiftPct;
    @Column(name = "min_conversions")
    public int minConversions;
    @Column(name = "cooldown_days")
    public int cooldownDays;
    @Column(name = "auto_apply_max_shift_pct")
    public BigDecimal autoApplyMaxShiftPct;
    @Column(name = "target_roas")
    public BigDecimal targetRoas;
    @Column(name = "contribution_margin")
    public BigDecimal contributionMargin;
    @Column(name = "min_ltv_to_cac")
    public BigDecimal minLtvToCac;

    @Column(name = "exploration_enabled")
    public boolean explorationEnabled = true;
    @Column(name = "exploration_max_pct")
    public BigDecimal explorationMaxPct;
    @Column(name = "exploration_max_cost_pct")
    public BigDecimal explorationMaxCostPct;
    @Column(name = "max_applies_per_day")
    public int maxAppliesPerDay;
    /** JSON: [{from, to, reason}], dates on which nothing is applied automatically; null: none. */
    /** The budget plan ({@code plan}: monthly budget, flights) as JSON; null: none. */
    @Column(name = "budget_plan")
    public String budgetPlan;
    @Column(name = "freeze_periods")
    public String freeze;
    @Column(name = "verify_after_days")
    public int verifyAfterDays;
    @Column(name = "auto_revert")
    public boolean autoRevert;
    /** policy.ltvMultiplier as JSON ({@code {"social": 2.5}}), null when none is set. */
    @Column(name = "ltv_multipliers")
    public String ltvMultipliers;

    @Enumerated(EnumType.STRING)
    @Column(name = "source_type")
    public SourceType sourceType;
    @Column(name = "source_url")
    public String sourceUrl;
    @Column(name = "source_token")
    public String sourceToken;
    @Column(name = "source_seed")
    public Long sourceSeed;

    /** The outcomes feed's warehouse pull ({@code outcomesSource}); type null: none. */
    @Column(name = "outcomes_type")
    public String outcomesType;
    @Column(name = "outcomes_datasource")
    public String outcomesDatasource;
    @Column(name = "outcomes_query")
    public String outcomesQuery;
    /** ISO-8601 duration between scheduled pulls. */
    @Column(name = "outcomes_interval")
    public String outcomesInterval;

    @Column(name = "webhook_url")
    public String webhookUrl;
    @Column(name = "webhook_secret")
    public String webhookSecret;

    /** Notification targets as JSON ({@link NotifySettings}); Slack URLs in clear, never answered. */
    @Column(name = "notify_targets")
    public String notifyTargets;

    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;

    public enum Mode { RECOMMEND, AUTO_APPLY }

    /** Where a portfolio's performance comes from besides REST pushes and the drop folder. */
    public enum SourceType { HTTP, SIMULATED }

    /** The portfolio of a key; a key that is not a slug names no portfolio (and never reaches the database). */
    public static Optional<Portfolio> byKey(String key) {
        if (!io.spendshift.common.Keys.isSlug(key)) {
            return Optional.empty();
        }
        return find("key", key).firstResultOptional();
    }

    /** The portfolio of a key, or a 404 problem. */
    public static Portfolio require(String key) {
        return byKey(key).orElseThrow(() -> new NotFound("Portfolio", key));
    }

    /** Today in the portfolio's time zone. */
    public LocalDate today(java.time.Clock clock) {
        return LocalDate.now(clock.withZone(zone()));
    }

    public java.time.ZoneId zone() {
        return java.time.ZoneId.of(timeZone);
    }
}
