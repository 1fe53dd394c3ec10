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
