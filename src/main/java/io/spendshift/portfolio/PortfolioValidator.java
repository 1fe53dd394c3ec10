package io.spendshift.portfolio;

import io.spendshift.common.InvalidInput;
import io.spendshift.common.FieldError;
import io.spendshift.common.Keys;
import io.spendshift.common.Money;
import io.spendshift.outbound.OutboundGuard;
import io.spendshift.portfolio.PortfolioDtos.ChannelInput;
import io.spendshift.portfolio.PortfolioDtos.PolicyInput;
import io.spendshift.portfolio.PortfolioDtos.PortfolioInput;
import io.spendshift.portfolio.PortfolioDtos.SourceInput;
import org.quartz.CronExpression;

import java.math.BigDecimal;
import java.net.URI;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

/** Checks portfolio and channel input and reports every problem at once, one entry per field. */
public final class PortfolioValidator {

    /** The longest source token stored (the column's size); longer ones are refused, never truncated. */
    static final int MAX_TOKEN = 4000;

    private PortfolioValidator() {
    }

    /** The shortest interval between scheduled outcomes pulls. */
    static final java.time.Duration MIN_OUTCOMES_INTERVAL = java.time.Duration.ofMinutes(15);
    /** The interval between scheduled outcomes pulls when none is given. */
    public static final java.time.Duration DEFAULT_OUTCOMES_INTERVAL = java.time.Duration.ofHours(6);

    /**
     * Checks a portfolio; its source and webhook URLs also against the outbound policy, its {@code outcomesSource}
     * against the configured warehouse names.
     */
    static void check(PortfolioInput in, OutboundGuard outbound, java.util.Set<String> warehouses) {
        List<FieldError> errors = new ArrayList<>();
        if (in == null) {
            throw InvalidInput.of("body", "a JSON object is required");
        }
        if (!Keys.isSlug(in.key())) {
            errors.add(FieldError.of("key", "must be a slug matching " + Keys.SLUG));
        }
        if (in.name() == null || in.name().isBlank() || in.name().length() > 200
                || io.spendshift.common.Params.hasControlChars(in.name())) {
            errors.add(FieldError.of("name", "is required, printable, at most 200 characters"));
        }
        if (in.currency() == null || !isCurrency(in.currency())) {
            errors.add(FieldError.of("currency", "must be an ISO 4217 currency code such as EUR or USD"));
        }
        if (in.timeZone() != null && !isZone(in.timeZone())) {
            errors.add(FieldError.of("timeZone", "must be an IANA time zone such as Europe/Paris"));
        }
        if (in.mode() != null && !in.mode().equals("RECOMMEND") && !in.mode().equals("AUTO_APPLY")) {
            errors.add(FieldError.of("mode", "must be RECOMMEND or AUTO_APPLY"));
        }
        if (in.schedule() != null && !CronExpression.isValidExpression(in.schedule())) {
            errors.add(FieldError.of("schedule", "must be a Quartz cron expression such as '0 0 6 * * ?'"));
        }
        checkPolicy(in.policy(), errors);
        checkPlan(in.plan(), errors);
        checkSource(in.source(), errors, outbound);
        checkOutcomesSource(in.outcomesSource(), errors, warehouses);
        NotifySettings.check(in.notifyTargets(), errors, outbound);
        if (in.webhook() != null && in.webhook().url() != null) {
            if (!isHttpUrl(in.webhook().url())) {
                errors.add(FieldError.of("webhook.url", "must be an absolute http or https URL"));
            } else {
                outbound.check("webhook.url", in.webhook().url(), errors);
            }
            if (in.webhook().secret() == null || in.webhook().secret().length() < 16 || in.webhook().secret().length() > 500
                    || io.spendshift.common.Params.hasControlChars(in.webhook().secret())) {
                errors.add(FieldError.of("webhook.secret", "is required with a URL, 16 to 500 printable characters"));
            }
        }
        throwIfAny(errors);
    }

    /** A policy on its own (a simulation's): the same rules as a portfolio's, errors named {@code policy.*}. */
    public static void checkPolicy(PolicyInput p) {
        List<FieldError> errors = new java.util.ArrayList<>();
        checkPolicy(p, errors);
        throwIfAny(errors);
    }

    private static void checkPolicy(PolicyInput p, List<FieldError> errors) {
        if (p == null) {
            return;
        }
        range(errors, "policy.lookbackDays", p.lookbackDays(), 1, 365);
        range(errors, "policy.minConversions", p.minConversions(), 0, 1_000_000_000);
        range(errors, "policy.cooldownDays", p.cooldownDays(), 0, 365);
        pct(errors, "policy.maxShiftPct", p.maxShiftPct(), false);
        pct(errors, "policy.autoApplyMaxShiftPct", p.autoApplyMaxShiftPct(), true);
        if (p.targetRoas() != null && (p.targetRoas().signum() <= 0 || p.targetRoas().compareTo(Money.MAX) > 0)) {
            errors.add(FieldError.of("policy.targetRoas", "must be greater than 0"));
        }
        if (p.contributionMargin() != null && (p.contributionMargin().signum() <= 0
                || p.contributionMargin().compareTo(BigDecimal.ONE) > 0)) {
            errors.add(FieldError.of("policy.contributionMargin", "must be a fraction in (0, 1]"));
        }
        if (p.minLtvToCac() != null && (p.minLtvToCac().signum() < 0 || p.minLtvToCac().compareTo(Money.MAX) > 0)) {
            errors.add(FieldError.of("policy.minLtvToCac", "must be 0 or greater"));
        }
        checkExploration(p, errors);
        range(errors, "policy.maxAppliesPerDay", p.maxAppliesPerDay(), 0, 1000);
        range(errors, "policy.verifyAfterDays", p.verifyAfterDays(), 1, 90);
        checkFreeze(p.freeze(), errors);
        if (p.ltvMultiplier() != null) {
            p.ltvMultiplier().forEach((kind, m) -> {
                if (io.spendshift.portfolio.Channel.Kind.parse(kind).isEmpty()) {
                    errors.add(FieldError.of("policy.ltvMultiplier." + kind, "is not a channel kind; kinds are "
                            + java.util.Arrays.stream(io.spendshift.portfolio.Channel.Kind.values())
                            .map(io.spendshift.portfolio.Channel.Kind::json).toList()));
                } else if (m == null || m.compareTo(new BigDecimal("0.1")) < 0 || m.compareTo(new BigDecimal("100")) > 0) {
                    errors.add(FieldError.of("policy.ltvMultiplier." + kind, "must be a number from 0.1 to 100"));
                }
            });
        }
    }

    private static void checkExploration(PolicyInput p, List<FieldError> errors) {
        PortfolioDtos.ExplorationInput e = p.exploration();
        if (e == null) {
            return;
        }
        BigDecimal maxShift = p.maxShiftPct() == null ? io.spendshift.policy.PolicyDefaults.MAX_SHIFT_PCT : p.maxShiftPct();
        if (e.maxPct() != null && (e.maxPct().signum() <= 0 || e.maxPct().compareTo(maxShift) > 0)) {
            errors.add(FieldError.of("policy.exploration.maxPct",
                    "must be greater than 0 and at most policy.maxShiftPct (" + maxShift.stripTrailingZeros().toPlainString() + ")"));
        }
        if (e.maxCostPct() != null && (e.maxCostPct().signum() < 0 || e.maxCostPct().compareTo(HUNDRED) > 0)) {
            errors.add(FieldError.of("policy.exploration.maxCostPct", "must be between 0 and 100"));
        }
    }

    private static final BigDecimal HUNDRED = new BigDecimal("100");

    private static void checkFreeze(List<PortfolioDtos.FreezeInput> freeze, List<FieldError> errors) {
        if (freeze == null) {
            return;
        }
        if (freeze.size() > io.spendshift.policy.PolicyDefaults.MAX_FREEZE_PERIODS) {
            errors.add(FieldError.of("policy.freeze", "must have at most "
                    + io.spendshift.policy.PolicyDefaults.MAX_FREEZE_PERIODS + " periods"));
            return;
        }
        for (int i = 0; i < freeze.size(); i++) {
            PortfolioDtos.FreezeInput f = freeze.get(i);
            String at = "policy.freeze[" + i + "]";
            if (f == null) {
                errors.add(FieldError.of(at, "must be an object {from, to, reason}"));
                continue;
            }
            java.time.LocalDate from = date(errors, at + ".from", f.from());
            java.time.LocalDate to = date(errors, at + ".to", f.to());
            if (from != null && to != null && from.isAfter(to)) {
                errors.add(FieldError.of(at + ".to", "must not be before from (" + from + ")"));
            }
            if (f.reason() != null && (f.reason().length() > 200 || io.spendshift.common.Params.hasControlChars(f.reason()))) {
                errors.add(FieldError.of(at + ".reason", "must be printable, at most 200 characters"));
            }
        }
    }

    private static java.time.LocalDate date(List<FieldError> errors, String field, String v) {
        if (v == null) {
            errors.add(FieldError.of(field, "is required, an ISO date such as 2026-12-24"));
            return null;
        }
        try {
            return java.time.LocalDate.parse(v);
        } catch (java.time.format.DateTimeParseException e) {
            errors.add(FieldError.of(field, "must be an ISO date such as 2026-12-24"));
            return null;
        }
    }

    private static void checkSource(SourceInput s, List<FieldError> errors, OutboundGuard outbound) {
        if (s == null || s.type() == null) {
            return;
        }
        switch (s.type()) {
            case "HTTP" -> {
                if (io.spendshift.common.Params.hasControlChars(s.bearerToken())
                        || s.bearerToken() != null && s.bearerToken().length() > MAX_TOKEN) {
                    errors.add(FieldError.of("source.bearerToken", "must be printable, at most " + MAX_TOKEN + " characters"));
                }
                if (!isHttpUrl(s.url())) {
                    errors.add(FieldError.of("source.url", "must be an absolute http or https URL"));
                } else {
                    outbound.check("source.url", s.url(), errors);
                }
            }
            case "SIMULATED" -> {
                if (s.url() != null || s.bearerToken() != null) {
                    errors.add(FieldError.of("source", "a SIMULATED source takes only a seed"));
                }
            }
            default -> errors.add(FieldError.of("source.type", "must be HTTP or SIMULATED (or null for none)"));
        }
    }

    private static void checkOutcomesSource(PortfolioDtos.OutcomesSourceInput o, List<FieldError> errors,
                                            java.util.Set<String> warehouses) {
        if (o == null) {
            return;
        }
        if (!"SQL".equals(o.type())) {
            errors.add(FieldError.of("outcomesSource.type", "must be SQL (or outcomesSource null for none)"));
        }
        if (o.datasource() == null || o.datasource().isBlank()) {
            errors.add(FieldError.of("outcomesSource.datasource", "is required: one of the configured warehouses "
                    + warehouses));
        } else if (!warehouses.contains(o.datasource())) {
            String name = o.datasource().length() > 60 ? o.datasource().substring(0, 57) + "..." : o.datasource();
            errors.add(FieldError.of("outcomesSource.datasource", "'" + name + "' is not a configured warehouse;"
                    + (warehouses.isEmpty() ? " none is configured (spendshift.warehouse.<name>.url)"
                    : " configured: " + warehouses)));
        }
        String q = io.spendshift.warehouse.WarehouseQuery.problem(o.query());
        if (q != null) {
            errors.add(FieldError.of("outcomesSource.query", q));
        }
        if (o.interval() != null) {
            try {
                java.time.Duration d = java.time.Duration.parse(o.interval());
                if (d.compareTo(MIN_OUTCOMES_INTERVAL) < 0) {
                    errors.add(FieldError.of("outcomesSource.interval", "must be at least PT15M"));
                }
            } catch (java.time.format.DateTimeParseException e) {
                errors.add(FieldError.of("outcomesSource.interval", "must be an ISO-8601 duration such as PT6H"));
            }
        }
    }

    /** The most flights a plan holds. */
    static final int MAX_FLIGHTS = 50;

    /** {@code plan}: a monthly budget (money, above 0) and/or flights with valid, ordered, non-overlapping dates. */
    static void checkPlan(PortfolioDtos.PlanInput plan, List<FieldError> errors) {
        if (plan == null) {
            return;
        }
        if (plan.monthlyBudget() != null) {
            String p = ChannelValidator.moneyProblem(plan.monthlyBudget());
            if (p == null && plan.monthlyBudget().signum() == 0) {
                p = "must be above 0 (or null for none)";
            }
            if (p != null) {
                errors.add(FieldError.of("plan.monthlyBudget", p));
            }
        }
        pct(errors, "plan.maxDailyChangePct", plan.maxDailyChangePct(), false);
        if (plan.flights() == null) {
            return;
        }
        if (plan.flights().size() > MAX_FLIGHTS) {
            errors.add(FieldError.of("plan.flights", "at most " + MAX_FLIGHTS + " flights"));
            return;
        }
        List<java.time.LocalDate[]> seen = new ArrayList<>();
        for (int i = 0; i < plan.flights().size(); i++) {
            PortfolioDtos.FlightInput f = plan.flights().get(i);
            String at = "plan.flights[" + i + "]";
            if (f == null) {
                errors.add(FieldError.of(at, "must be an object {from, to, budget}"));
                continue;
            }
            java.time.LocalDate from = date(errors, at + ".from", f.from());
            java.time.LocalDate to = date(errors, at + ".to", f.to());
            if (f.budget() == null) {
                errors.add(FieldError.of(at + ".budget", "is required"));
            } else {
                String p = ChannelValidator.moneyProblem(f.budget());
                if (p == null && f.budget().signum() == 0) {
                    p = "must be above 0";
                }
                if (p != null) {
                    errors.add(FieldError.of(at + ".budget", p));
                }
            }
            if (from != null && to != null) {
                if (to.isBefore(from)) {
                    errors.add(FieldError.of(at + ".to", "must not be before from"));
                } else if (java.time.temporal.ChronoUnit.DAYS.between(from, to) > 366) {
                    errors.add(FieldError.of(at + ".to", "a flight lasts at most 367 days"));
                } else {
                    for (java.time.LocalDate[] other : seen) {
                        if (!from.isAfter(other[1]) && !to.isBefore(other[0])) {
                            errors.add(FieldError.of(at, "overlaps the flight " + other[0] + ".." + other[1]));
                            break;
                        }
                    }
                    seen.add(new java.time.LocalDate[] {from, to});
                }
            }
        }
    }

    static void money(List<FieldError> errors, String field, BigDecimal v, boolean required) {
        if (v == null) {
            if (required) {
                errors.add(FieldError.of(field, "is required"));
            }
            return;
        }
        String p = ChannelValidator.moneyProblem(v);
        if (p != null) {
            errors.add(FieldError.of(field, p));
        }
    }

    static void range(List<FieldError> errors, String field, Integer v, int min, int max) {
        if (v != null && (v < min || v > max)) {
            errors.add(FieldError.of(field, "must be between " + min + " and " + max));
        }
    }

    static void pct(List<FieldError> errors, String field, BigDecimal v, boolean zeroAllowed) {
        if (v != null && ((zeroAllowed ? v.signum() < 0 : v.signum() <= 0) || v.compareTo(new BigDecimal(100)) > 0
                || v.stripTrailingZeros().scale() > 4)) {
            errors.add(FieldError.of(field, "must be a percentage " + (zeroAllowed ? "from 0" : "above 0") + " to 100"));
        }
    }

    static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw InvalidInput.of(errors.size() == 1 ? errors.get(0).field() + " " + errors.get(0).message()
                    : errors.size() + " fields are invalid", errors);
        }
    }

    static boolean isCurrency(String code) {
        try {
            return code.length() == 3 && Currency.getInstance(code).getCurrencyCode().equals(code);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static boolean isZone(String zone) {
        return ZoneId.getAvailableZoneIds().contains(zone);
    }

    static boolean isHttpUrl(String url) {
        try {
            URI u = URI.create(url);
            return u.isAbsolute() && ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
