package io.spendshift.market;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Generates plausible channel models from a seed: the demo market and simulations without explicit channels. */
public final class MarketGenerator {

    private static final String[] KINDS = {"search", "social", "display", "video", "commerce", "email", "affiliate",
            "other"};

    private MarketGenerator() {
    }

    /** {@code n} channels, kinds cycling through the list, curves concave or S-shaped, budgets 200 to 2,000. */
    public static List<ChannelModel> generate(long seed, int n) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<ChannelModel> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String kind = KINDS[i % KINDS.length];
            double budget = Math.round(200 + rnd.nextDouble() * 1800);
            out.add(channel(rnd, kind + "-" + (i + 1), kind, budget));
        }
        return out;
    }

    /** The model of one named channel, stable for a seed and key, anchored at its current budget. */
    public static ChannelModel forChannel(long seed, String key, String kind, double budget) {
        return channel(new SplittableRandom(seed * 31 + key.hashCode()), key, kind, Math.max(1, budget));
    }

    /**
     * A channel calibrated to an account's economics: at its starting budget it returns {@code roas} first-order
     * (revenue over spend) and wins customers worth {@code ltvToCac} times what they cost; its curve, carry-over
     * and noise come from the seed as for {@link #forChannel}.
     */
    public static ChannelModel calibrated(long seed, String key, String kind, double budget, double roas,
                                          double ltvToCac) {
        if (!(roas > 0) || !(ltvToCac > 0)) {
            throw new IllegalArgumentException("roas and ltvToCac must be positive");
        }
        ChannelModel m = forChannel(seed, key, kind, budget);
        // ROAS = conversions x aov / spend = ordersPerCustomer x aov / cac, LTV:CAC = ltv / cac
        double cac = m.ordersPerCustomer() * m.aov() / roas;
        double ltv = ltvToCac * cac;
        double a = m.initialBudget() / (1 - m.theta());
        double reach = m.initialBudget() / cac / Math.max(1e-6, responseAt(a, m.alpha(), m.kappa()));
        return new ChannelModel(m.key(), m.kind(), reach, m.alpha(), m.kappa(), m.theta(), m.aov(), ltv, m.noise(),
                m.cpc(), m.ctr(), m.ordersPerCustomer(), m.minBudget(), m.maxBudget(), m.initialBudget());
    }

    private static ChannelModel channel(SplittableRandom rnd, String key, String kind, double budget) {
        boolean sShaped = rnd.nextDouble() < 0.3;
        double alpha = sShaped ? 1.3 + rnd.nextDouble() * 0.9 : 0.6 + rnd.nextDouble() * 0.35;
        double theta = rnd.nextDouble() * 0.6;
        // kappa sets where the curve saturates, relative to the steady adstock of the starting budget
        double kappa = budget / (1 - theta) * (0.4 + rnd.nextDouble() * 2.0);
        double aov = 30 + rnd.nextDouble() * 120;
        double ltv = aov * (1.2 + rnd.nextDouble() * 4);
        double cac = 20 + rnd.nextDouble() * 80;
        // reach chosen so that at the starting budget the channel wins budget/cac customers a day
        double reach = budget / cac / Math.max(1e-6, responseAt(budget / (1 - theta), alpha, kappa));
        double noise = 0.05 + rnd.nextDouble() * 0.25;
        double cpc = 0.3 + rnd.nextDouble() * 3;
        double ctr = 0.005 + rnd.nextDouble() * 0.05;
        return new ChannelModel(key, kind, reach, alpha, kappa, theta, aov, ltv, noise, cpc, ctr,
                1.1 + rnd.nextDouble() * 0.5, Math.round(budget * 0.3), Math.round(budget * 3), budget);
    }

    private static double responseAt(double a, double alpha, double kappa) {
        double pa = Math.pow(a, alpha);
        return pa / (pa + Math.pow(kappa, alpha));
    }
}
