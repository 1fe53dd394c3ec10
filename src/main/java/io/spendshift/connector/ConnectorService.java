package io.spendshift.connector;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.spendshift.audit.AuditAction;
import io.spendshift.audit.AuditService;
import io.spendshift.metrics.MetricRow;
import io.spendshift.portfolio.Channel;
import io.spendshift.portfolio.Portfolio;
import io.spendshift.portfolio.PortfolioDtos;
import io.spendshift.security.Actors;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What Spendshift does with the connectors: their status, a portfolio's connection test, pulling the targeted
 * channels' daily metrics, applying a plan's budgets to the campaigns (split in proportion to their current
 * budgets, previewed, read before write, read back after) and comparing the channels' budgets with the platforms'
 * (drift). Platform calls run outside database transactions; each connector's last pull and last error are kept in
 * {@code connector_status}.
 */
@ApplicationScoped
public class ConnectorService {

    private static final Logger LOG = Logger.getLogger(ConnectorService.class);
    private static final Set<String> PAUSED = Set.of("PAUSED", "CAMPAIGN_PAUSED", "ADSET_PAUSED");

    private final Connectors connectors;
    private final ConnectorsConfig config;
    private final EntityManager em;
    private final AuditService audit;
    private final Clock clock;

    ConnectorService(Connectors connectors, ConnectorsConfig config, EntityManager em, AuditService audit, Clock clock) {
        this.connectors = connectors;
        this.config = config;
        this.em = em;
        this.audit = audit;
        this.clock = clock;
    }

    public record ConnectorStatus(String connector, boolean configured, Instant lastPull, String lastError,
                                  Instant lastErrorAt) {
    }

    public record TestResult(String channel, String connector, boolean ok, String message) {
    }

    /** A platform budget an apply changed: {@code before} and {@code after} in the account's currency. */
    public record ChangedTarget(String connector, String account, String campaign, String budgetId, BigDecimal before,
                                BigDecimal after) {
    }

    /** The outcome of applying budgets through connectors: {@code error} null when everything landed. */
    public record ApplyOutcome(String error, List<ChangedTarget> changedTargets) {
    }

    public record DriftCampaign(String campaign, String name, String budgetId, String level, BigDecimal budget,
                                String status) {
    }

    public record DriftItem(String channel, String connector, String account, BigDecimal budget,
                            BigDecimal platformBudget, BigDecimal difference, List<DriftCampaign> campaigns,
                            String error) {
    }

    public record Drift(String portfolio, Instant checkedAt, boolean clean, List<DriftItem> items) {
    }

    /** Rows pulled for a portfolio (summed per channel and day), or why the pull failed. */
    public record Pulled(List<MetricRow> rows, String error) {
    }

    private record Ref(String channel, BigDecimal budget, PortfolioDtos.ChannelTarget target) {
    }

    private record Scope(String portfolio, String currency, LocalDate today, List<Ref> refs) {
    }

    // ------------------------------------------------------------------------------------------------ status

    public List<ConnectorStatus> statuses() {
        Map<String, Object[]> rows = new LinkedHashMap<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (Object o : em.createNativeQuery("SELECT connector, last_pull, last_error, last_error_at"
                    + " FROM connector_status").getResultList()) {
                Object[] r = (Object[]) o;
                rows.put((String) r[0], r);
            }
        });
        List<ConnectorStatus> out = new ArrayList<>();
        for (AdConnector c : connectors.all()) {
            Object[] r = rows.get(c.name());
            out.add(new ConnectorStatus(c.name(), c.configured(), r == null ? null : instant(r[1]),
                    r == null ? null : (String) r[2], r == null ? null : instant(r[3])));
        }
        return out;
    }

    private static Instant instant(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (o instanceof java.time.LocalDateTime ldt) {
            return ldt.toInstant(java.time.ZoneOffset.UTC);
        }
        return null;
    }

    private void recordError(String connector, String error) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE connector_status SET last_error = ?1,"
                        + " last_error_at = ?2 WHERE connector = ?3")
                .setParameter(1, error.length() > 1000 ? error.substring(0, 1000) : error)
                .setParameter(2, Timestamp.from(clock.instant())).setParameter(3, connector).executeUpdate());
    }

    private void recordPull(String connector) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE connector_status SET last_pull = ?1,"
                        + " last_error = NULL, last_error_at = NULL WHERE connector = ?2")
                .setParameter(1, Timestamp.from(clock.instant())).setParameter(2, connector).executeUpdate());
    }

    // ------------------------------------------------------------------------------------------------ scope

    private Scope scope(String key) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Portfolio p = Portfolio.require(key);
            List<Ref> refs = new ArrayList<>();
            for (Channel c : Channel.ofPortfolio(p)) {
                c.targetValue().ifPresent(t -> refs.add(new Ref(c.key, c.dailyBudget, t)));
            }
            return new Scope(p.key, p.currency, p.today(clock), refs);
        });
    }

    /** True when some channel of the portfolio has a target. */
    public boolean hasTargets(String key) {
        return !scope(key).refs().isEmpty();
    }

    private AdConnector connector(Ref r) {
        AdConnector c = connectors.byName(r.target().connector())
                .orElseThrow(() -> new ConnectorException("no connector " + r.target().connector()));
        if (!c.configured()) {
            throw new ConnectorException("the " + c.name() + " connector is not configured");
        }
        return c;
    }

    private static void sameCurrency(Ref r, String platform, String portfolio) {
        if (!platform.equals(portfolio)) {
            throw new ConnectorException("channel " + r.channel() + ": account " + r.target().account() + " on "
                    + r.target().connector() + " is in " + platform + ", the portfolio in " + portfolio
                    + "; Spendshift does not convert currencies");
        }
    }

    // ------------------------------------------------------------------------------------------------ test

    public List<TestResult> test(String key) {
        Scope s = scope(key);
        List<TestResult> out = new ArrayList<>();
        for (Ref r : s.refs()) {
            String name = r.target().connector();
            try {
                AdConnector c = connector(r);
                AdConnector.Budgets b = c.budgets(r.target().account(), r.target().campaigns());
                sameCurrency(r, b.currency(), s.currency());
                List<String> problems = new ArrayList<>();
                for (String m : b.missing()) {
                    problems.add("campaign " + m + " not found on the platform (removed?)");
                }
                for (AdConnector.BudgetLine l : b.lines()) {
                    if (l.problem() != null) {
                        problems.add(l.problem());
                    } else if (PAUSED.contains(l.status())) {
                        problems.add(("adset".equals(l.level()) ? "ad set " + l.budgetId() + " of campaign " : "campaign ")
                                + l.campaign() + " is paused");
                    }
                }
                BigDecimal platform = b.lines().stream().map(AdConnector.BudgetLine::amount)
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                out.add(problems.isEmpty()
                        ? new TestResult(r.channel(), name, true, r.target().campaigns().size() + " campaign(s) reachable;"
                        + " platform budget " + platform.toPlainString() + " " + b.currency() + " a day")
                        : new TestResult(r.channel(), name, false, String.join("; ", distinct(problems))));
            } catch (ConnectorException e) {
                recordError(name, e.getMessage());
                out.add(new TestResult(r.channel(), name, false, e.getMessage()));
            }
        }
        return out;
    }

    private static List<String> distinct(List<String> l) {
        return new ArrayList<>(new java.util.LinkedHashSet<>(l));
    }

    // ------------------------------------------------------------------------------------------------ pull

    /**
     * Daily metrics of every targeted channel over the last {@code pull-days} days up to yesterday: the campaigns'
     * rows summed per channel and day (fractional conversions kept to 6 decimals, as attribution reports them; new
     * customers unknown, since the platforms do not report them); null when no channel has a target.
     */
    public Pulled pull(String key) {
        Scope s = scope(key);
        if (s.refs().isEmpty()) {
            return null;
        }
        LocalDate to = s.today().minusDays(1);
        LocalDate from = s.today().minusDays(Math.max(1, config.pullDays()));
        List<MetricRow> rows = new ArrayList<>();
        Set<String> pulled = new java.util.HashSet<>();
        for (Ref r : s.refs()) {
            String name = r.target().connector();
            try {
                AdConnector c = connector(r);
                sameCurrency(r, c.currency(r.target().account()), s.currency());
                Map<LocalDate, BigDecimal[]> days = new TreeMap<>();
                for (AdConnector.CampaignDay d : c.dailyMetrics(r.target().account(), r.target().campaigns(), from, to)) {
                    if (!r.target().campaigns().contains(d.campaign()) || d.date().isBefore(from) || d.date().isAfter(to)) {
                        continue;
                    }
                    BigDecimal[] sum = days.computeIfAbsent(d.date(), x -> new BigDecimal[]{BigDecimal.ZERO,
                            BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
                    sum[0] = sum[0].add(d.spend());
                    sum[1] = sum[1].add(BigDecimal.valueOf(d.impressions()));
                    sum[2] = sum[2].add(BigDecimal.valueOf(d.clicks()));
                    sum[3] = sum[3].add(d.conversions());
                    sum[4] = sum[4].add(d.revenue());
                }
                days.forEach((day, v) -> rows.add(new MetricRow(r.channel(), day, v[0].setScale(2, RoundingMode.HALF_UP),
                        v[1].longValueExact(), v[2].longValueExact(),
                        v[3].setScale(6, RoundingMode.HALF_UP).stripTrailingZeros(),
                        v[4].setScale(2, RoundingMode.HALF_UP), null, null)));
                pulled.add(name);
            } catch (ConnectorException e) {
                recordError(name, e.getMessage());
                LOG.warnf("Connector pull for portfolio %s, channel %s failed: %s", key, r.channel(), e.getMessage());
                String m = e.getMessage();
                return new Pulled(List.of(), m.startsWith("channel ") ? m : "channel " + r.channel() + ": " + m);
            }
        }
        pulled.forEach(this::recordPull);
        return new Pulled(rows, null);
    }

    // ------------------------------------------------------------------------------------------------ apply

    private record Planned(Ref ref, AdConnector connector, List<AdConnector.BudgetUpdate> updates,
                           Map<String, BigDecimal> wanted) {
    }

    /**
     * Applies new channel budgets to the targeted channels' campaigns. Nothing is written before every targeted
     * channel's budgets were read, checked (currency, removed, shared, lifetime budgets) and previewed by the
     * platform; then each platform is written, read back and compared. {@code prior}: what an earlier, failed
     * attempt of the same plan changed; their {@code before} amounts stay the split's basis, so a retry lands on
     * the same budgets, and lines already there are skipped (read before write). The outcome's changed targets
     * include {@code prior}'s, merged: what is different on the platforms from before the plan.
     */
    public ApplyOutcome apply(String key, Map<String, BigDecimal> after, List<ChangedTarget> prior) {
        Scope s = scope(key);
        List<Ref> refs = s.refs().stream().filter(r -> after.containsKey(r.channel())).toList();
        Map<String, ChangedTarget> changed = new LinkedHashMap<>();
        for (ChangedTarget t : prior) {
            changed.put(lineKey(t.connector(), t.account(), t.budgetId()), t);
        }
        if (refs.isEmpty()) {
            return new ApplyOutcome(null, List.copyOf(changed.values()));
        }
        List<Planned> plans = new ArrayList<>();
        String current = null;
        try {
            for (Ref r : refs) {
                current = r.target().connector();
                AdConnector c = connector(r);
                String account = r.target().account();
                AdConnector.Budgets b = c.budgets(account, r.target().campaigns());
                sameCurrency(r, b.currency(), s.currency());
                if (!b.missing().isEmpty()) {
                    throw new ConnectorException("channel " + r.channel() + ": campaign(s) " + String.join(", ", b.missing())
                            + " not found on " + c.name() + " (removed?)");
                }
                for (AdConnector.BudgetLine l : b.lines()) {
                    if (l.problem() != null) {
                        throw new ConnectorException("channel " + r.channel() + ": " + l.problem());
                    }
                }
                List<BigDecimal> basis = new ArrayList<>();
                for (AdConnector.BudgetLine l : b.lines()) {
                    ChangedTarget earlier = changed.get(lineKey(c.name(), account, l.budgetId()));
                    basis.add(earlier != null ? earlier.before() : l.amount());
                }
                List<BigDecimal> parts = BudgetSplit.split(after.get(r.channel()), basis, b.scale());
                List<AdConnector.BudgetUpdate> updates = new ArrayList<>();
                Map<String, BigDecimal> wanted = new LinkedHashMap<>();
                for (int i = 0; i < parts.size(); i++) {
                    AdConnector.BudgetLine l = b.lines().get(i);
                    wanted.put(l.budgetId(), parts.get(i));
                    if (l.amount().compareTo(parts.get(i)) != 0) {
                        updates.add(new AdConnector.BudgetUpdate(l, parts.get(i)));
                    }
                }
                plans.add(new Planned(r, c, updates, wanted));
            }
            for (Planned p : plans) {
                current = p.connector().name();
                for (AdConnector.Outcome o : p.connector().setBudgets(p.ref().target().account(), p.updates(), true)) {
                    if (!o.ok()) {
                        throw new ConnectorException("channel " + p.ref().channel() + ": " + p.connector().name()
                                + " would not accept the budget of campaign " + o.update().line().campaign() + " ("
                                + o.error() + ")");
                    }
                }
            }
        } catch (ConnectorException e) {
            if (current != null) {
                recordError(current, e.getMessage());
            }
            // nothing was written in this attempt; an earlier attempt's changes (prior) still stand
            return new ApplyOutcome((changed.isEmpty() ? "nothing was changed on the platforms: "
                    : "nothing more was changed on the platforms: ") + e.getMessage(), List.copyOf(changed.values()));
        }
        for (Planned p : plans) {
            String account = p.ref().target().account();
            String name = p.connector().name();
            try {
                List<AdConnector.Outcome> outcomes = p.connector().setBudgets(account, p.updates(), false);
                String failure = null;
                for (AdConnector.Outcome o : outcomes) {
                    AdConnector.BudgetLine l = o.update().line();
                    if (o.ok()) {
                        String k = lineKey(name, account, l.budgetId());
                        ChangedTarget earlier = changed.get(k);
                        changed.put(k, new ChangedTarget(name, account, l.campaign(), l.budgetId(),
                                earlier != null ? earlier.before() : l.amount(), o.update().amount()));
                    } else if (failure == null) {
                        failure = "campaign " + l.campaign() + ": " + o.error();
                    }
                }
                if (failure != null) {
                    throw new ConnectorException("channel " + p.ref().channel() + ": " + name + " refused a change ("
                            + failure + ")");
                }
                AdConnector.Budgets back = p.connector().budgets(account, p.ref().target().campaigns());
                for (AdConnector.BudgetLine l : back.lines()) {
                    BigDecimal want = p.wanted().get(l.budgetId());
                    if (want != null && want.compareTo(l.amount()) != 0) {
                        throw new ConnectorException("channel " + p.ref().channel() + ": campaign " + l.campaign()
                                + " reads back " + l.amount().toPlainString() + " on " + name + ", not "
                                + want.toPlainString());
                    }
                }
            } catch (RuntimeException e) {
                // a timeout or an unreadable answer may still have been applied: what the platform holds now decides
                String message = e instanceof ConnectorException ? e.getMessage()
                        : "channel " + p.ref().channel() + ": " + name + " failed unexpectedly ("
                        + e.getClass().getSimpleName() + ")";
                reconcile(p, changed);
                recordError(name, message);
                LOG.warnf("Apply through %s for portfolio %s failed part-way: %s", name, key, message);
                return new ApplyOutcome(message, List.copyOf(changed.values()));
            }
        }
        return new ApplyOutcome(null, List.copyOf(changed.values()));
    }

    /**
     * After a failed write, reads the plan's campaign budgets again (best effort) and records as changed exactly the
     * lines whose amount differs from their amount before the plan; if the platform cannot be read, the outcomes it
     * reported stand.
     */
    private void reconcile(Planned p, Map<String, ChangedTarget> changed) {
        String account = p.ref().target().account();
        String name = p.connector().name();
        AdConnector.Budgets now;
        try {
            now = p.connector().budgets(account, p.ref().target().campaigns());
        } catch (RuntimeException e) {
            LOG.warnf("Could not read back %s after a failed apply: %s", name, e.getMessage());
            return;
        }
        Map<String, BigDecimal> before = new LinkedHashMap<>();
        for (AdConnector.BudgetUpdate u : p.updates()) {
            before.put(u.line().budgetId(), u.line().amount());
        }
        for (AdConnector.BudgetLine l : now.lines()) {
            String k = lineKey(name, account, l.budgetId());
            ChangedTarget earlier = changed.get(k);
            BigDecimal was = earlier != null ? earlier.before() : before.get(l.budgetId());
            if (was == null) {
                continue; // not written in this attempt and not changed by an earlier one
            }
            if (was.compareTo(l.amount()) == 0) {
                changed.remove(k);
            } else {
                changed.put(k, new ChangedTarget(name, account, l.campaign(), l.budgetId(), was, l.amount()));
            }
        }
    }

    private static String lineKey(String connector, String account, String budgetId) {
        return connector + "|" + account + "|" + budgetId;
    }

    // ------------------------------------------------------------------------------------------------ drift

    /** Each targeted channel's budget against the sum of its campaigns' budgets on the platform. */
    public Drift drift(String key) {
        Scope s = scope(key);
        List<DriftItem> items = new ArrayList<>();
        boolean clean = true;
        for (Ref r : s.refs()) {
            String name = r.target().connector();
            try {
                AdConnector c = connector(r);
                AdConnector.Budgets b = c.budgets(r.target().account(), r.target().campaigns());
                sameCurrency(r, b.currency(), s.currency());
                List<DriftCampaign> campaigns = new ArrayList<>();
                BigDecimal platform = BigDecimal.ZERO;
                for (AdConnector.BudgetLine l : b.lines()) {
                    campaigns.add(new DriftCampaign(l.campaign(), l.campaignName(), l.budgetId(), l.level(), l.amount(),
                            l.status()));
                    platform = platform.add(l.amount());
                }
                for (String m : b.missing()) {
                    campaigns.add(new DriftCampaign(m, null, null, null, BigDecimal.ZERO, "NOT_FOUND"));
                }
                BigDecimal budget = r.budget().setScale(2, RoundingMode.HALF_UP);
                platform = platform.setScale(2, RoundingMode.HALF_UP);
                BigDecimal diff = platform.subtract(budget);
                clean &= diff.signum() == 0 && b.missing().isEmpty();
                items.add(new DriftItem(r.channel(), name, r.target().account(), budget, platform, diff, campaigns, null));
            } catch (ConnectorException e) {
                recordError(name, e.getMessage());
                clean = false;
                items.add(new DriftItem(r.channel(), name, r.target().account(), r.budget().setScale(2, RoundingMode.HALF_UP),
                        null, null, List.of(), e.getMessage()));
            }
        }
        return new Drift(s.portfolio(), clock.instant(), clean, items);
    }

    /**
     * Checks every portfolio with targeted channels; one with differences is audited {@code DRIFT_DETECTED} (and so
     * notified as {@code BUDGET_DRIFT}). Returns the portfolios that drifted.
     */
    public List<String> checkDrift() {
        List<String> keys = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "SELECT DISTINCT c.portfolio.key FROM Channel c WHERE c.target IS NOT NULL", String.class).getResultList());
        List<String> drifted = new ArrayList<>();
        for (String key : keys) {
            Drift d;
            try {
                d = drift(key);
            } catch (RuntimeException e) {
                LOG.errorf("Drift check of portfolio %s failed: %s", key, e.getClass().getSimpleName());
                continue;
            }
            List<Map<String, Object>> differences = new ArrayList<>();
            for (DriftItem i : d.items()) {
                if (i.difference() != null && i.difference().signum() != 0) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("channel", i.channel());
                    m.put("connector", i.connector());
                    m.put("budget", i.budget());
                    m.put("platformBudget", i.platformBudget());
                    m.put("difference", i.difference());
                    differences.add(m);
                }
            }
            if (differences.isEmpty()) {
                continue;
            }
            drifted.add(key);
            LOG.warnf("Budget drift in portfolio %s: %d channel(s) differ from the platforms", key, differences.size());
            QuarkusTransaction.requiringNew().run(() -> audit.append(new AuditService.Event(Actors.SYSTEM,
                    AuditAction.DRIFT_DETECTED, "portfolio", key, key, null,
                    Map.of("checkedAt", d.checkedAt().toString(), "channels", differences))));
        }
        return drifted;
    }
}
