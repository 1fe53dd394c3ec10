package io.spendshift.portfolio;

import io.spendshift.common.FieldError;
import io.spendshift.common.InvalidInput;
import io.spendshift.common.Keys;
import io.spendshift.common.Money;
import io.spendshift.portfolio.PortfolioDtos.ChannelInput;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Checks a channel's fields (budgets, bounds, kind, tags, aliases, its platform target); the portfolio's own
 * fields are {@link PortfolioValidator}'s. */
final class ChannelValidator {

    private ChannelValidator() {
    }

    /** The most aliases and campaigns a channel carries. */
    static final int MAX_ALIASES = 200;
    private static final java.util.regex.Pattern DIGITS = java.util.regex.Pattern.compile("[0-9]{1,20}");
    private static final java.util.regex.Pattern CAMPAIGN_ID = java.util.regex.Pattern.compile("[0-9]{1,30}");

    /** {@code aliases}: campaign names (printable, at most 500 characters, unique). */
    static void checkAliases(List<String> aliases, List<FieldError> errors) {
        if (aliases == null) {
            return;
        }
        if (aliases.size() > MAX_ALIASES) {
            errors.add(FieldError.of("aliases", "at most " + MAX_ALIASES + " campaign names"));
            return;
        }
        for (int i = 0; i < aliases.size(); i++) {
            String a = aliases.get(i);
            if (a == null || a.isBlank() || a.length() > 500 || io.spendshift.common.Params.hasControlChars(a)) {
                errors.add(FieldError.of("aliases[" + i + "]", "must be a printable campaign name, 1 to 500 characters"));
            }
        }
    }

    /** {@code target}: a known connector, a digits-only account, 1..200 numeric campaign ids, split PROPORTIONAL. */
    static void checkTarget(PortfolioDtos.ChannelTarget t, List<FieldError> errors) {
        if (t == null) {
            return;
        }
        if (t.connector() == null || !PortfolioDtos.CONNECTORS.contains(t.connector())) {
            errors.add(FieldError.of("target.connector", "must be one of " + String.join(", ", PortfolioDtos.CONNECTORS)));
        }
        if (t.account() == null || !DIGITS.matcher(t.account()).matches()) {
            errors.add(FieldError.of("target.account", "must be the platform's account id, digits only (a Google"
                    + " customer id without dashes, a Meta ad account number without act_)"));
        }
        if (t.campaigns() == null || t.campaigns().isEmpty()) {
            errors.add(FieldError.of("target.campaigns", "at least one campaign id"));
        } else if (t.campaigns().size() > MAX_ALIASES) {
            errors.add(FieldError.of("target.campaigns", "at most " + MAX_ALIASES + " campaigns"));
        } else {
            java.util.Set<String> unique = new java.util.HashSet<>();
            for (int i = 0; i < t.campaigns().size(); i++) {
                String c = t.campaigns().get(i);
                if (c == null || !CAMPAIGN_ID.matcher(c).matches()) {
                    errors.add(FieldError.of("target.campaigns[" + i + "]", "must be a numeric campaign id"));
                } else if (!unique.add(c)) {
                    errors.add(FieldError.of("target.campaigns[" + i + "]", "is listed twice"));
                }
            }
        }
        if (t.split() != null && !PortfolioDtos.SPLIT_PROPORTIONAL.equals(t.split())) {
            errors.add(FieldError.of("target.split", "must be PROPORTIONAL"));
        }
    }

    /** The most tags a channel carries. */
    static final int MAX_TAGS = 10;

    static void check(ChannelInput in) {
        if (in == null) {
            throw InvalidInput.of("body", "a JSON object is required");
        }
        List<FieldError> errors = new ArrayList<>();
        if (in.name() == null || in.name().isBlank() || in.name().length() > 200
                || io.spendshift.common.Params.hasControlChars(in.name())) {
            errors.add(FieldError.of("name", "is required, printable, at most 200 characters"));
        }
        if (in.platform() != null && (in.platform().length() > 100
                || io.spendshift.common.Params.hasControlChars(in.platform()))) {
            errors.add(FieldError.of("platform", "must be printable, at most 100 characters"));
        }
        if (in.tags() != null) {
            if (in.tags().size() > MAX_TAGS) {
                errors.add(FieldError.of("tags", "at most " + MAX_TAGS + " tags"));
            }
            for (int i = 0; i < in.tags().size(); i++) {
                if (!io.spendshift.common.Keys.isSlug(in.tags().get(i))) {
                    errors.add(FieldError.of("tags[" + i + "]", "must be a slug: lower-case letters, digits, '-' or"
                            + " '_', 1 to 64 characters, not starting with '-' or '_'"));
                }
            }
        }
        checkAliases(in.aliases(), errors);
        checkTarget(in.target(), errors);
        if (in.kind() == null || Channel.Kind.parse(in.kind()).isEmpty()) {
            errors.add(FieldError.of("kind",
                    "must be one of search, social, display, video, commerce, affiliate, email, other"));
        }
        PortfolioValidator.money(errors, "dailyBudget", in.dailyBudget(), true);
        PortfolioValidator.money(errors, "minDailyBudget", in.minDailyBudget(), false);
        PortfolioValidator.money(errors, "maxDailyBudget", in.maxDailyBudget(), false);
        if (errors.isEmpty()) {
            BigDecimal min = in.minDailyBudget() == null ? BigDecimal.ZERO : in.minDailyBudget();
            if (min.compareTo(in.dailyBudget()) > 0) {
                errors.add(FieldError.of("minDailyBudget", "must not exceed dailyBudget"));
            }
            if (in.maxDailyBudget() != null && in.maxDailyBudget().compareTo(in.dailyBudget()) < 0) {
                errors.add(FieldError.of("maxDailyBudget", "must not be below dailyBudget"));
            }
        }
        PortfolioValidator.throwIfAny(errors);
    }

    /** A money amount: finite, 0 to 10^12, at most 2 decimals. Returns the problem, or null. */
    static String moneyProblem(BigDecimal v) {
        if (v.signum() < 0) {
            return "must not be negative";
        }
        if (v.compareTo(Money.MAX) > 0) {
            return "must not exceed 10^12";
        }
        if (v.stripTrailingZeros().scale() > 2) {
            return "must have at most 2 decimals";
        }
        return null;
    }
}
