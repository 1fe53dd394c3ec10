package io.spendshift.portfolio;

import io.spendshift.policy.PolicyDefaults;
import io.spendshift.common.Conflict;
import io.spendshift.common.IfMatch;
import io.spendshift.common.InvalidInput;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.spendshift.audit.AuditAction;
import io.spendshift.audit.AuditService;
import io.spendshift.common.Keys;
import io.spendshift.common.Money;
import io.spendshift.common.Page;
import io.spendshift.outbound.OutboundGuard;
import io.spendshift.portfolio.PortfolioDtos.ChannelInput;
import io.spendshift.portfolio.PortfolioDtos.ChannelView;
import io.spendshift.portfolio.PortfolioDtos.PolicyInput;
import io.spendshift.portfolio.PortfolioDtos.PolicyView;
import io.spendshift.portfolio.PortfolioDtos.PortfolioInput;
import io.spendshift.portfolio.PortfolioDtos.PortfolioView;
import io.spendshift.portfolio.PortfolioDtos.SourceInput;
import io.spendshift.portfolio.PortfolioDtos.SourceView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Creates, changes and reads portfolios and their channels; every change is audited in its transaction. */
@ApplicationScoped
@Transactional
public class PortfolioService {

    /** Fired after a portfolio is created or changed, so the scheduler can follow its cron. */
    public record PortfolioChanged(String key, String schedule, String timeZone) {
    }

    private final AuditService audit;
    private final ObjectMapper json;
    private final Clock clock;
    private final Event<PortfolioChanged> changed;
    private final OutboundGuard outbound;

    private final PortfolioDataStore data;
    private final BudgetEditSink budgetEdits;
    private final io.spendshift.warehouse.Warehouses warehouses;

    PortfolioService(AuditService audit, ObjectMapper json, Clock clock, Event<PortfolioChanged> changed, PortfolioDataStore data,
                     OutboundGuard outbound, BudgetEditSink budgetEdits, io.spendshift.warehouse.Warehouses warehouses) {
        this.warehouses = warehouses;
        this.audit = audit;
        this.budgetEdits = budgetEdits;
        this.data = data;
        this.json = json;
        this.clock = clock;
        this.changed = changed;
        this.outbound = outbound;
    }

    public PortfolioView create(PortfolioInput in, String actor) {
        PortfolioValidator.check(in, outbound, warehouses.names());
        if (Portfolio.byKey(in.key()).isPresent()) {
            throw new Conflict("Portfolio '" + in.key() + "' already exists");
        }
        Portfolio p = new Portfolio();
        p.key = in.key();
        p.createdAt = clock.instant();
        assign(p, in);
        p.persist();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("portfolio", view(p));
        // the audit shows credentials only as fingerprints (AuditService redacts them), so later changes show
        Map<String, Object> credentials = new LinkedHashMap<>();
        if (p.webhookSecret != null) {
            credentials.put("webhookSecret", p.webhookSecret);
        }
        if (p.sourceToken != null) {
            credentials.put("sourceBearerToken", p.sourceToken);
        }
        if (!NotifySettings.secrets(p.notifyTargets).isEmpty()) {
            credentials.put("notifySlackUrlSecrets", NotifySettings.secrets(p.notifyTargets));
        }
        if (!credentials.isEmpty()) {
            details.put("credentials", credentials);
        }
        audit.append(new AuditService.Event(actor, AuditAction.PORTFOLIO_CREATED, "portfolio", p.key, p.key, null,
                details));
        changed.fire(new PortfolioChanged(p.key, p.schedule, p.timeZone));
        return view(p);
    }

    /** RFC 7386 merge-patch of the same fields as create; {@code key} cannot change. */
    public PortfolioView patch(String key, JsonNode patch, IfMatch ifMatch, String actor) {
        Portfolio p = Portfolio.require(key);
        IfMatch.check(ifMatch, "Portfolio '" + key + "'", p.version);
        if (patch == null || !patch.isObject()) {
            throw InvalidInput.of("body", "a JSON merge-patch object is required");
        }
        if (patch.has("key") && !patch.get("key").asText().equals(key)) {
            throw InvalidInput.of("key", "cannot be changed");
        }
        PortfolioView before = view(p);
        ObjectNode current = json.valueToTree(input(p));
        JsonNode merged = mergePatch(current, patch);
        NotifySettings.restoreRedacted(merged, p.notifyTargets);
        PortfolioInput in;
        try {
            in = json.treeToValue(merged, PortfolioInput.class);
        } catch (JsonProcessingException e) {
            // named by field, never by the value: a value may be a credential
            String field = e instanceof com.fasterxml.jackson.databind.JsonMappingException m
                    ? io.spendshift.common.ProblemMappers.fieldPath(m) : null;
            if (field == null) {
                throw InvalidInput.of("body", "the patch does not fit a portfolio");
            }
            throw InvalidInput.of(field, io.spendshift.common.ProblemMappers.fieldMessage(
                    (com.fasterxml.jackson.databind.JsonMappingException) e));
        }
        PortfolioValidator.check(in, outbound, warehouses.names());
        data.dataChanged(p.id);
        String secretBefore = p.webhookSecret;
        String tokenBefore = p.sourceToken;
        List<String> slackBefore = NotifySettings.secrets(p.notifyTargets);
        assign(p, in);
        PortfolioView after = view(p);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("patch", NotifySettings.redactPatch(patch));
        details.put("before", before);
        details.put("after", after);
        // changed credentials, before and after; the audit shows them only as fingerprints (AuditService redacts)
        Map<String, Object> credentials = new LinkedHashMap<>();
        changed(credentials, "webhookSecret", secretBefore, p.webhookSecret);
        changed(credentials, "sourceBearerToken", tokenBefore, p.sourceToken);
        changed(credentials, "notifySlackUrlSecrets", slackBefore, NotifySettings.secrets(p.notifyTargets));
        if (!credentials.isEmpty()) {
            details.put("credentials", credentials);
        }
        audit.append(new AuditService.Event(actor, AuditAction.PORTFOLIO_UPDATED, "portfolio", key, key, null, details));
        changed.fire(new PortfolioChanged(p.key, p.schedule, p.timeZone));
        return view(p);
    }

    private static void changed(Map<String, Object> credentials, String name, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("before", before);
            change.put("after", after);
            credentials.put(name, change);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PortfolioView get(String key) {
        return view(Portfolio.require(key));
    }

    /** A page of the portfolios in {@code scope} (the caller's), by key. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Page<PortfolioView> list(io.spendshift.security.PortfolioScope scope, int page, int size) {
        Page.check(page, size);
        if (scope.isEmpty()) {
            return new Page<>(List.of(), page, size, 0);
        }
        var sort = io.quarkus.panache.common.Sort.by("key");
        var q = scope.all() ? Portfolio.<Portfolio>findAll(sort) : Portfolio.<Portfolio>find("key in ?1", sort, scope.keys());
        List<Portfolio> portfolios = q.page(page, size).list();
        Map<Long, Object[]> totals = new java.util.HashMap<>();
        if (!portfolios.isEmpty()) {
            Channel.getEntityManager().createQuery("SELECT c.portfolio.id, SUM(c.dailyBudget), COUNT(c) FROM Channel c"
                            + " WHERE c.portfolio IN :ps GROUP BY c.portfolio.id", Object[].class)
                    .setParameter("ps", portfolios).getResultList()
                    .forEach(r -> totals.put((Long) r[0], r));
        }
        return new Page<>(portfolios.stream().map(p -> {
            Object[] t = totals.get(p.id);
            return view(p, t == null ? BigDecimal.ZERO : (BigDecimal) t[1], t == null ? 0 : ((Number) t[2]).intValue());
        }).toList(), page, size, q.count());
    }

    /** Upsert: true when the channel was created. */
    public record Upserted(ChannelView channel, boolean created) {
    }

    /** What the channel was when an upsert began, and its budget edit when it changes an existing channel's budget. */
    private record BeforeUpsert(boolean existed, BigDecimal budget, BudgetEditSink.Prepared edit) {
    }

    /**
     * Creates or changes a channel. A change of an existing channel's {@code dailyBudget} is a manual budget change:
     * delivered to the portfolio's budget sinks (webhook, ad platforms) before anything is stored, like an applied
     * plan, then stored with its ledger row and a {@code BUDGET_CHANGED} audit entry; a sink that refuses it leaves
     * everything as it was (502/503). A new channel's first budget is not a change and goes to no sink.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Upserted upsertChannel(String portfolioKey, String channelKey, ChannelInput in, String actor) {
        Keys.requireSlug("channel", channelKey);
        ChannelValidator.check(in);
        BeforeUpsert before = QuarkusTransaction.joiningExisting().call(() -> {
            Portfolio p = Portfolio.require(portfolioKey);
            campaignsOwnedOnce(p, channelKey, in.target());
            Channel c = Channel.byKey(p, channelKey).orElse(null);
            if (c == null) {
                return new BeforeUpsert(false, null, null);
            }
            if (c.dailyBudget.compareTo(in.dailyBudget()) == 0) {
                return new BeforeUpsert(true, c.dailyBudget, null);
            }
            return new BeforeUpsert(true, c.dailyBudget, budgetEdits.prepare(p, channelKey, in.name(), in.target(),
                    Money.cents(c.dailyBudget), Money.cents(in.dailyBudget()), p.today(clock), actor));
        });
        if (before.edit() != null) {
            // outside any transaction of ours (a caller's own, as the demo seeder's, only ever creates channels)
            budgetEdits.deliver(before.edit());
        }
        return QuarkusTransaction.joiningExisting().call(() -> store(portfolioKey, channelKey, in, actor, before));
    }

    private Upserted store(String portfolioKey, String channelKey, ChannelInput in, String actor, BeforeUpsert was) {
        Portfolio p = Portfolio.require(portfolioKey);
        data.dataChanged(p.id);
        Channel c = Channel.byKey(p, channelKey).orElse(null);
        boolean created = c == null;
        if (created == was.existed() || !created && c.dailyBudget.compareTo(was.budget()) != 0) {
            throw new Conflict("Channel " + channelKey + " changed while this change was being delivered to the budget"
                    + " sinks; read it and send the change again");
        }
        ChannelView before = created ? null : view(c);
        Instant now = clock.instant();
        if (created) {
            c = new Channel();
            c.portfolio = p;
            c.key = channelKey;
            c.createdAt = now;
        }
        c.name = in.name();
        c.platform = in.platform();
        c.kind = Channel.Kind.parse(in.kind()).orElseThrow();
        c.dailyBudget = in.dailyBudget();
        c.minDailyBudget = in.minDailyBudget() == null ? BigDecimal.ZERO : in.minDailyBudget();
        c.maxDailyBudget = in.maxDailyBudget();
        c.locked = Boolean.TRUE.equals(in.locked());
        c.tagList(in.tags());
        c.aliasList(in.aliases());
        c.targetValue(in.target());
        c.updatedAt = now;
        if (created) {
            c.persist();
        }
        ChannelView after = view(c);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("created", created);
        details.put("before", before);
        details.put("after", after);
        audit.append(new AuditService.Event(actor, AuditAction.CHANNEL_UPSERTED, "channel",
                portfolioKey + "/" + channelKey, portfolioKey, null, details));
        if (was.edit() != null) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("manual", true);
            d.put("before", Money.cents(was.budget()));
            d.put("after", Money.cents(in.dailyBudget()));
            d.put("effectiveOn", p.today(clock).toString());
            d.put("reason", BudgetEditSink.reason(actor));
            audit.append(new AuditService.Event(actor, AuditAction.BUDGET_CHANGED, "channel",
                    portfolioKey + "/" + channelKey, portfolioKey, null, d));
            // the ledger commits with the budget it records
            budgetEdits.record(was.edit());
        }
        return new Upserted(after, created);
    }

    /**
     * A platform campaign belongs to at most one channel of a portfolio: two channels writing the same campaign's
     * budget would overwrite each other on every apply and never show a clean drift check. 400 naming the campaign
     * and the channel that already has it; nothing is changed.
     */
    private static void campaignsOwnedOnce(Portfolio p, String channelKey, PortfolioDtos.ChannelTarget target) {
        if (target == null || target.campaigns() == null) {
            return;
        }
        List<io.spendshift.common.FieldError> errors = new java.util.ArrayList<>();
        for (Channel other : Channel.ofPortfolio(p)) {
            if (other.key.equals(channelKey)) {
                continue;
            }
            other.targetValue().filter(t -> t.connector().equals(target.connector())
                    && t.account().equals(target.account())).ifPresent(t -> {
                for (int i = 0; i < target.campaigns().size(); i++) {
                    if (t.campaigns().contains(target.campaigns().get(i))) {
                        errors.add(io.spendshift.common.FieldError.of("target.campaigns[" + i + "]", "campaign "
                                + target.campaigns().get(i) + " is already the target of channel " + other.key));
                    }
                }
            });
        }
        if (!errors.isEmpty()) {
            throw io.spendshift.common.InvalidInput.of(errors.size() == 1
                    ? errors.get(0).field() + " " + errors.get(0).message()
                    : errors.size() + " campaigns already belong to other channels", errors);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ChannelView> channels(String portfolioKey) {
        return Channel.ofPortfolio(Portfolio.require(portfolioKey)).stream().map(PortfolioService::view).toList();
    }

    private void assign(Portfolio p, PortfolioInput in) {
        p.name = in.name();
        p.currency = in.currency();
        p.timeZone = in.timeZone() == null ? "UTC" : in.timeZone();
        p.mode = in.mode() == null ? Portfolio.Mode.RECOMMEND : Portfolio.Mode.valueOf(in.mode());
        p.schedule = in.schedule();
        PolicyInput pol = in.policy() == null ? new PolicyInput(null, null, null, null, null, null, null, null)
                : in.policy();
        p.lookbackDays = Objects.requireNonNullElse(pol.lookbackDays(), PolicyDefaults.LOOKBACK_DAYS);
        p.maxShiftPct = Objects.requireNonNullElse(pol.maxShiftPct(), PolicyDefaults.MAX_SHIFT_PCT);
        p.minConversions = Objects.requireNonNullElse(pol.minConversions(), PolicyDefaults.MIN_CONVERSIONS);
        p.cooldownDays = Objects.requireNonNullElse(pol.cooldownDays(), PolicyDefaults.COOLDOWN_DAYS);
        p.autoApplyMaxShiftPct = Objects.requireNonNullElse(pol.autoApplyMaxShiftPct(),
                PolicyDefaults.AUTO_APPLY_MAX_SHIFT_PCT);
        p.targetRoas = pol.targetRoas();
        p.contributionMargin = pol.contributionMargin();
        p.minLtvToCac = Objects.requireNonNullElse(pol.minLtvToCac(), PolicyDefaults.MIN_LTV_TO_CAC);
        PortfolioDtos.ExplorationInput ex = pol.exploration() == null
                ? new PortfolioDtos.ExplorationInput(null, null, null) : pol.exploration();
        p.explorationEnabled = Objects.requireNonNullElse(ex.enabled(), PolicyDefaults.EXPLORATION_ENABLED);
        p.explorationMaxPct = Objects.requireNonNullElse(ex.maxPct(), PolicyDefaults.EXPLORATION_MAX_PCT);
        p.explorationMaxCostPct = Objects.requireNonNullElse(ex.maxCostPct(), PolicyDefaults.EXPLORATION_MAX_COST_PCT);
        p.maxAppliesPerDay = Objects.requireNonNullElse(pol.maxAppliesPerDay(), PolicyDefaults.MAX_APPLIES_PER_DAY);
        p.verifyAfterDays = Objects.requireNonNullElse(pol.verifyAfterDays(), PolicyDefaults.VERIFY_AFTER_DAYS);
        p.autoRevert = Objects.requireNonNullElse(pol.autoRevert(), PolicyDefaults.AUTO_REVERT);
        p.ltvMultipliers = pol.ltvMultiplier() == null || pol.ltvMultiplier().isEmpty() ? null
                : write(new java.util.TreeMap<>(pol.ltvMultiplier()));
        p.freeze = pol.freeze() == null || pol.freeze().isEmpty() ? null : write(pol.freeze().stream()
                .map(f -> new PortfolioDtos.FreezeView(java.time.LocalDate.parse(f.from()),
                        java.time.LocalDate.parse(f.to()), f.reason())).toList());
        SourceInput s = in.source();
        boolean hasSource = s != null && s.type() != null;
        p.sourceType = hasSource ? Portfolio.SourceType.valueOf(s.type()) : null;
        p.sourceUrl = hasSource ? s.url() : null;
        p.sourceToken = hasSource ? s.bearerToken() : null;
        p.sourceSeed = hasSource ? s.seed() : null;
        PortfolioDtos.OutcomesSourceInput o = in.outcomesSource();
        p.outcomesType = o == null ? null : o.type();
        p.outcomesDatasource = o == null ? null : o.datasource();
        p.outcomesQuery = o == null ? null : o.query().strip();
        p.outcomesInterval = o == null ? null : (o.interval() == null ? PortfolioValidator.DEFAULT_OUTCOMES_INTERVAL
                : java.time.Duration.parse(o.interval())).toString();
        boolean hasWebhook = in.webhook() != null && in.webhook().url() != null;
        p.webhookUrl = hasWebhook ? in.webhook().url() : null;
        p.webhookSecret = hasWebhook ? in.webhook().secret() : null;
        p.notifyTargets = NotifySettings.write(in.notifyTargets());
        p.budgetPlan = in.plan() == null || (in.plan().monthlyBudget() == null
                && (in.plan().flights() == null || in.plan().flights().isEmpty())) ? null
                : write(new PortfolioDtos.PlanView(in.plan().monthlyBudget(), in.plan().flights() == null ? List.of()
                : in.plan().flights().stream().map(f -> new PortfolioDtos.FlightView(
                        java.time.LocalDate.parse(f.from()), java.time.LocalDate.parse(f.to()), f.budget())).toList(),
                        in.plan().maxDailyChangePct()));
        p.updatedAt = clock.instant();
    }

    private PortfolioInput input(Portfolio p) {
        return new PortfolioInput(p.key, p.name, p.currency, p.timeZone, p.mode.name(), p.schedule,
                new PolicyInput(p.lookbackDays, p.maxShiftPct, p.minConversions, p.cooldownDays,
                        p.autoApplyMaxShiftPct, p.targetRoas, p.contributionMargin, p.minLtvToCac,
                        new PortfolioDtos.ExplorationInput(p.explorationEnabled, p.explorationMaxPct,
                                p.explorationMaxCostPct),
                        p.maxAppliesPerDay, PortfolioSettings.freeze(json, p.freeze).stream().map(f -> new PortfolioDtos.FreezeInput(
                                f.from().toString(), f.to().toString(), f.reason())).toList(),
                        p.verifyAfterDays, p.autoRevert, PortfolioSettings.ltvMultipliers(p).isEmpty() ? null : PortfolioSettings.ltvMultipliers(p)),
                p.sourceType == null ? null
                        : new SourceInput(p.sourceType.name(), p.sourceUrl, p.sourceToken, p.sourceSeed),
                p.webhookUrl == null ? null : new PortfolioDtos.WebhookInput(p.webhookUrl, p.webhookSecret),
                NotifySettings.inputs(p.notifyTargets),
                PortfolioSettings.plan(p).map(v -> new PortfolioDtos.PlanInput(v.monthlyBudget(), v.flights().stream()
                        .map(f -> new PortfolioDtos.FlightInput(f.from().toString(), f.to().toString(), f.budget()))
                        .toList(), v.maxDailyChangePct())).orElse(null),
                p.outcomesType == null ? null : new PortfolioDtos.OutcomesSourceInput(p.outcomesType,
                        p.outcomesDatasource, p.outcomesQuery, p.outcomesInterval));
    }

    /** RFC 7386: objects merge recursively, null removes, anything else replaces. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
                : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }

    PortfolioView view(Portfolio p) {
        List<Channel> channels = Channel.ofPortfolio(p);
        return view(p, channels.stream().map(c -> c.dailyBudget).reduce(BigDecimal.ZERO, BigDecimal::add),
                channels.size());
    }

    private PortfolioView view(Portfolio p, BigDecimal total, int channelCount) {
        return new PortfolioView(p.key, p.name, p.currency, p.timeZone, p.mode.name(), p.schedule,
                new PolicyView(p.lookbackDays, PortfolioSettings.plain(p.maxShiftPct), p.minConversions, p.cooldownDays,
                        PortfolioSettings.plain(p.autoApplyMaxShiftPct), PortfolioSettings.plain(p.targetRoas), PortfolioSettings.plain(p.contributionMargin),
                        PortfolioSettings.plain(p.minLtvToCac),
                        new PortfolioDtos.ExplorationView(p.explorationEnabled, PortfolioSettings.plain(p.explorationMaxPct),
                                PortfolioSettings.plain(p.explorationMaxCostPct)),
                        p.maxAppliesPerDay, PortfolioSettings.freeze(json, p.freeze), p.verifyAfterDays, p.autoRevert, PortfolioSettings.ltvMultipliers(p)),
                p.sourceType == null ? null
                        : new SourceView(p.sourceType.name(), p.sourceUrl, p.sourceToken != null, p.sourceSeed),
                p.webhookUrl == null ? null : new PortfolioDtos.WebhookView(p.webhookUrl, p.webhookSecret != null),
                Money.cents(total), channelCount, p.version, p.createdAt, p.updatedAt,
                NotifySettings.views(p.notifyTargets), PortfolioSettings.plan(p).orElse(null),
                p.outcomesType == null ? null : new PortfolioDtos.OutcomesSourceView(p.outcomesType,
                        p.outcomesDatasource, p.outcomesQuery, p.outcomesInterval));
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ChannelView view(Channel c) {
        return new ChannelView(c.key, c.name, c.platform, c.kind.json(), Money.cents(c.dailyBudget),
                Money.cents(c.minDailyBudget), Money.cents(c.maxDailyBudget), c.locked, c.lastChangedOn, c.tagList(),
                c.aliasList(), c.targetValue().orElse(null));
    }
}
