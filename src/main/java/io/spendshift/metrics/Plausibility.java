package io.spendshift.metrics;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks that flag a valid row whose numbers do not fit together. They never refuse a row: platforms count
 * differently (view-through conversions, attribution windows), so the row is stored and the answer says what
 * looked odd.
 */
final class Plausibility {

    private Plausibility() {
    }

    static List<ImportWarning> check(MetricRow r, int line) {
        BigDecimal conversions = r.conversions();
        boolean converted = conversions.signum() > 0;
        boolean odd = r.newCustomers() != null && r.newCustomers().compareTo(conversions) > 0
                || conversions.compareTo(BigDecimal.valueOf(r.clicks())) > 0
                || r.revenue().signum() > 0 != converted
                || r.spend().signum() == 0 && (converted || r.clicks() > 0)
                || r.spend().signum() > 0 && r.impressions() == 0;
        if (!odd) {
            return List.of(); // the usual case: no list per row
        }
        List<ImportWarning> out = new ArrayList<>(2);
        BigDecimal clicks = BigDecimal.valueOf(r.clicks());
        if (r.newCustomers() != null && r.newCustomers().compareTo(conversions) > 0) {
            out.add(warn(r, line, "newCustomers (" + plain(r.newCustomers()) + ") exceed conversions ("
                    + plain(conversions) + ")"));
        }
        if (conversions.compareTo(clicks) > 0) {
            out.add(warn(r, line, "conversions (" + plain(conversions) + ") exceed clicks (" + r.clicks() + ")"));
        }
        if (r.revenue().signum() > 0 && !converted) {
            out.add(warn(r, line, "revenue (" + r.revenue().toPlainString() + ") without conversions"));
        }
        if (converted && r.revenue().signum() == 0 && r.ltv() == null) {
            out.add(warn(r, line, "conversions (" + plain(conversions) + ") without revenue: the day adds no value"
                    + " unless newCustomers and ltv are given"));
        }
        if (r.spend().signum() == 0 && (converted || r.clicks() > 0)) {
            out.add(warn(r, line, (converted ? "conversions" : "clicks") + " without spend"));
        }
        if (r.spend().signum() > 0 && r.impressions() == 0) {
            out.add(warn(r, line, "spend (" + r.spend().toPlainString() + ") without impressions"));
        }
        return out;
    }

    private static ImportWarning warn(MetricRow r, int line, String message) {
        return new ImportWarning(line, r.channel(), r.date(), message);
    }

    private static String plain(BigDecimal b) {
        BigDecimal s = b.stripTrailingZeros();
        return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
    }
}
