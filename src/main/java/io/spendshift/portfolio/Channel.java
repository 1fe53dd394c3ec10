package io.spendshift.portfolio;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** A budgeted line of a portfolio: a platform, a channel or one campaign. */
@Entity
@Table(name = "channel")
public class Channel extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "portfolio_id")
    public Portfolio portfolio;

    @Column(name = "ckey")
    public String key;
    public String name;
    public String platform;
    @Enumerated(EnumType.STRING)
    public Kind kind;
    @Column(name = "daily_budget")
    public BigDecimal dailyBudget;
    @Column(name = "min_daily_budget")
    public BigDecimal minDailyBudget;
    /** Null: no upper bound. */
    @Column(name = "max_daily_budget")
    public BigDecimal maxDailyBudget;
    public boolean locked;
    /** Comma-separated slugs (brand, prospecting, ...); null: none. Read with {@link #tagList()}. */
    public String tags;
    /** Campaign names an export's rows map to this channel by (JSON array); null: none. */
    public String aliases;
    /** Where the budget lives on an ad platform (JSON {@code ChannelTarget}); null: nowhere Spendshift writes. */
    public String target;
    @Column(name = "last_changed_on")
    public LocalDate lastChangedOn;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;
    @Version
    public long version;

    /** The kinds of API.md; JSON carries them in lower case. */
    public enum Kind {
        SEARCH, SOCIAL, DISPLAY, VIDEO, COMMERCE, AFFILIATE, EMAIL, OTHER;

        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Optional<Kind> parse(String s) {
            for (Kind k : values()) {
                if (k.json().equals(s)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    /** The tags as a list, in the order they were set. */
    public List<String> tagList() {
        return tags == null || tags.isBlank() ? List.of() : List.of(tags.split(","));
    }

    /** Stores tags (already validated slugs), dropping duplicates. */
    public void tagList(List<String> list) {
        tags = list == null || list.isEmpty() ? null : String.join(",", new java.util.LinkedHashSet<>(list));
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** The campaign names rows of an export map to this channel by. */
    public List<String> aliasList() {
        if (aliases == null || aliases.isBlank()) {
            return List.of();
        }
        try {
            return List.of(JSON.readValue(aliases, String[].class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("unreadable channel aliases", e);
        }
    }

    public void aliasList(List<String> list) {
        try {
            aliases = list == null || list.isEmpty() ? null
                    : JSON.writeValueAsString(new java.util.ArrayList<>(new java.util.LinkedHashSet<>(list)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where the channel's budget lives on a platform, or empty. */
    public Optional<PortfolioDtos.ChannelTarget> targetValue() {
        if (target == null || target.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(target, PortfolioDtos.ChannelTarget.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("unreadable channel target", e);
        }
    }

    public void targetValue(PortfolioDtos.ChannelTarget t) {
        try {
            target = t == null ? null : JSON.writeValueAsString(new PortfolioDtos.ChannelTarget(t.connector(),
                    t.account(), t.campaigns(), t.split() == null ? PortfolioDtos.SPLIT_PROPORTIONAL : t.split()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Channel> ofPortfolio(Portfolio p) {
        return list("portfolio = ?1 order by key", p);
    }

    public static Optional<Channel> byKey(Portfolio p, String key) {
        if (!io.spendshift.common.Keys.isSlug(key)) {
            return Optional.empty();
        }
        return find("portfolio = ?1 and key = ?2", p, key).firstResultOptional();
    }
}
