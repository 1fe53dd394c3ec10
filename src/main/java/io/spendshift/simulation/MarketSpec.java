package io.spendshift.simulation;

import io.spendshift.market.ChannelModel;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A market to simulate a policy on: channel models with their kinds, starting budgets and bounds. The
 * benchmark generator spans the ranges that matter: 3 to 12 channels, concave and S-shaped curves, adstock
 * 0 to 0.7, noise 5% to 30%, LTV spread 1 to 5 times across channels, tight and loose bounds.
 */
public record MarketSpec(long seed, List<ChannelModel> channels) {

    private static final String[] KINDS = {"search", "social", "display", "video", "commerce", "email", "affiliate",
            "other"};

    /** A benchmark market for a seed. */
    public static MarketSpec generate(long seed) {
        SplittableRandom r = new SplittableRandom(seed * 7919 + 17);
        int n = 3 + r.nextInt(10);
        boolean tight = r.nextBoolean();
        double ltvSpread = 1 + r.nextDouble() * 4;
        double noise = 0.05 + r.nextDouble() * 0.25;
        List<ChannelModel> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String kind = KINDS[i % KINDS.length];
            double budget = Math.round(200 + r.nextDouble() * 1800);
            boolean sShaped = r.nextDouble() < 0.3;
            double alpha = sShaped ? 1.3 + r.nextDouble() * 1.2 : 0.5 + r.nextDouble() * 0.45;
            double theta = r.nextDouble() * 0.7;
            double kappa = budget / (1 - theta) * (0.3 + r.nextDouble() * 2.5);
            double aov = 30 + r.nextDouble() * 120;
            double ltv = aov * (1.2 + (ltvSpread - 1) * r.nextDouble()) * (1 + r.nextDouble());
            double cac = 15 + r.nextDouble() * 90;
            double s = Math.pow(budget / (1 - theta), alpha);
            double reach = budget / cac / (s / (s + Math.pow(kappa, alpha)));
            double min = tight ? budget * 0.7 : budget * 0.1;
            double max = tight ? budget * 1.5 : budget * 4;
            out.add(new ChannelModel(kind + "-" + (i + 1), kind, reach, alpha, kappa, theta, aov, ltv, noise,
                    0.3 + r.nextDouble() * 3, 0.005 + r.nextDouble() * 0.05, 1.1 + r.nextDouble() * 0.5,
                    Math.round(min), Math.round(max), budget));
        }
        return new MarketSpec(seed, out);
    }
}
