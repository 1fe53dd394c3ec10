package io.spendshift.connector;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * An ad platform as Spendshift uses it: daily metrics per campaign, the daily budgets of campaigns, and setting
 * them (or checking that a change would be accepted, without making it). Amounts are in the account's currency
 * (units, not micros or cents); each connector converts to and from its platform's units. Failures are
 * {@link ConnectorException}s described in Spendshift's words, never with credentials or the platform's text.
 */
public interface AdConnector {

    /** The connector's name in a channel's {@code target.connector}: {@code google-ads}, {@code meta-ads}. */
    String name();

    /** True when every credential it needs is configured. */
    boolean configured();

    /** The account's currency (ISO 4217). */
    String currency(String account);

    /** Campaign rows per day over {@code [from, to]} for the given campaigns, in the account's currency. */
    List<CampaignDay> dailyMetrics(String account, List<String> campaigns, LocalDate from, LocalDate to);

    /** The budgets the given campaigns spend from: one line per budget Spendshift would set. */
    Budgets budgets(String account, List<String> campaigns);

    /**
     * Sets the budgets (or, with {@code validateOnly}, has the platform check them without changing anything);
     * one outcome per update, in order. Throws when the call as a whole failed (then nothing is known to have
     * changed by it).
     */
    List<Outcome> setBudgets(String account, List<BudgetUpdate> updates, boolean validateOnly);

    /** One campaign's performance on one day. */
    record CampaignDay(String campaign, String campaignName, LocalDate date, BigDecimal spend, long impressions,
                       long clicks, BigDecimal conversions, BigDecimal revenue) {
    }

    /**
     * A budget of a campaign: {@code budgetId} is what is set (a Google campaign budget's resource name, a Meta
     * campaign or ad set id), {@code level} says which ({@code campaign_budget}, {@code campaign}, {@code adset}).
     * {@code problem} is why Spendshift may not set it (removed, paused, shared, lifetime budget), or null.
     */
    record BudgetLine(String campaign, String campaignName, String budgetId, String level, BigDecimal amount,
                      String status, String problem) {
    }

    /**
     * The budgets of some campaigns: {@code scale} is the number of decimals the platform accepts in this
     * currency; {@code missing} are requested campaigns the platform does not know (or has removed).
     */
    record Budgets(String currency, int scale, List<BudgetLine> lines, List<String> missing) {
    }

    record BudgetUpdate(BudgetLine line, BigDecimal amount) {
    }

    /** What became of one update: {@code error} null when it was accepted. */
    record Outcome(BudgetUpdate update, String error) {
        public boolean ok() {
            return error == null;
        }
    }
}
