package io.spendshift.explain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Currency;
import java.util.Locale;

/**
 * Numbers for people: money with the portfolio's currency symbol (EUR €, USD $, GBP £, otherwise the ISO code),
 * rounded to whole units from 10 up and to cents below; ratios and percentages rounded.
 */
public final class Wording {

    private final String code;
    private final String symbol;
    private final String unit;

    public Wording(String currency) {
        this.code = currency == null || currency.isBlank() ? "EUR" : currency;
        String s;
        try {
            Currency c = Currency.getInstance(code);
            s = switch (code) {
                case "EUR", "USD", "GBP" -> c.getSymbol(code.equals("GBP") ? Locale.UK : code.equals("USD") ? Locale.US
                        : Locale.GERMANY);
                default -> null;
            };
        } catch (IllegalArgumentException e) {
            s = null;
        }
        this.symbol = s;
        this.unit = switch (code) {
            case "EUR" -> "euro";
            case "USD" -> "dollar";
            case "GBP" -> "pound";
            default -> "unit of " + code;
        };
    }

    /** The ISO code of the currency. */
    public String currency() {
        return code;
    }

    /** "euro", "dollar", "pound", else "unit of CHF". */
    public String unit() {
        return unit;
    }

    /** {@code €1,200}, {@code €12.50}, {@code CHF 1,200}; negative as {@code -€600}. */
    public String money(BigDecimal v) {
        if (v == null) {
            return "n/a";
        }
        BigDecimal abs = v.abs();
        DecimalFormat f = new DecimalFormat(abs.compareTo(BigDecimal.TEN) >= 0 ? "#,##0" : "#,##0.00",
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        f.setRoundingMode(RoundingMode.HALF_EVEN);
        String digits = f.format(abs);
        String text = symbol != null ? symbol + digits : code + " " + digits;
        return v.signum() < 0 ? "-" + text : text;
    }

    public String money(double v) {
        return Double.isFinite(v) ? money(BigDecimal.valueOf(v)) : "n/a";
    }

    /** As {@link #money(BigDecimal)} with an explicit sign: {@code +€120}, {@code -€40}. */
    public String signed(BigDecimal v) {
        return v != null && v.signum() > 0 ? "+" + money(v) : money(v);
    }

    public String signed(double v) {
        return Double.isFinite(v) ? signed(BigDecimal.valueOf(v)) : "n/a";
    }

    /** A value per unit of spend, always to the cent: {@code €0.30}. */
    public String perUnit(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        DecimalFormat f = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.ROOT));
        String digits = f.format(Math.abs(v));
        String text = symbol != null ? symbol + digits : code + " " + digits;
        return v < 0 ? "-" + text : text;
    }

    /** A share 0..1 as a whole percentage: {@code 55%}. */
    public static String percent(double share) {
        return Math.round(share * 100) + "%";
    }

    /** A ratio to two decimals: {@code 2.10}. */
    public static String ratio(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }
}
