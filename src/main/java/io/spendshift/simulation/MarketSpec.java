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
public record MarketSpec(long seed, List<ChannelModel> channels, Dynamics dynamics) {

    public MarketSpec(long seed, List<ChannelModel> channels) {
        this(seed, channels, Dynamics.DEFAULT);
    }

    private static final String[] KINDS = {"search", "social", "display", "video", "commerce", "email", "affiliate",
            "other"};

    /** The situations real accounts show, each a family of markets the policy benchmark reports apart. */
    public enum Regime {
        /** Platform pacing delivers the budget almost exactly (1% jitter): spend never varies by itself. */
        EXACT_PACING,
        /** Daily demand moves spend and sales together, with a different volatility per channel; 1% jitter. */
        DEMAND_SHOCKS,
        /** A saturated star (high average ROAS, marginal near zero) beside an unsaturated high-LTV prospecting channel. */
        SATURATED_STAR,
        /** One channel's response halves a third of the way in. */
        RESPONSE_HALVES
    }

    /** A market of a regime for a seed; {@code days}: the run's length (where the response changes). */
    public static MarketSpec regime(Regime regime, long seed, int days) {
        MarketSpec base = generate(seed * 101 + regime.ordinal());
        SplittableRandom r = new SplittableRandom(seed * 31 + regime.ordinal());
        int n = base.channels().size();
        return switch (regime) {
            case EXACT_PACING -> new MarketSpec(base.seed(), base.channels(), Dynamics.pacing(0.01));
            case DEMAND_SHOCKS -> {
                double[] vol = new double[n];
                for (int i = 0; i < n; i++) {
                    vol[i] = 0.05 + r.nextDouble() * 0.30;
                }
                yield new MarketSpec(base.seed(), base.channels(), new Dynamics(0.01, vol, -1, 0, 1));
            }
            case SATURATED_STAR -> new MarketSpec(base.seed(), starAndProspecting(r, base.channels()),
                    Dynamics.pacing(0.05));
            case RESPONSE_HALVES -> new MarketSpec(base.seed(), base.channels(),
                    new Dynamics(0.05, null, r.nextInt(n), days / 3, 0.5));
        };
    }

    /**
     * Replaces the first two channels by a brand-search star (budget five times its saturation point: average
     * ROAS high, marginal near zero) and a prospecting channel far below saturation with a low order value and
     * a high LTV (low first-order ROAS, high long-term value per unit of spend).
     */
    private static List<ChannelModel> starAndProspecting(SplittableRandom r, List<ChannelModel> rest) {
        List<ChannelModel> out = new ArrayList<>();
        double starBudget = Math.round(1500 + r.nextDouble() * 1000);
        double starKappa = starBudget / 5;
        double starAlpha = 0.8;
        double starCac = 8 + r.nextDouble() * 6;
        double s = Math.pow(starBudget, starAlpha);
        double starReach = starBudget / starCac / (s / (s + Math.pow(starKappa, starAlpha)));
        out.add(new ChannelModel("brand-search", "search", starReach, starAlpha, starKappa, 0.1, 90, 140,
                0.08, 1.0, 0.05, 1.2, Math.round(starBudget * 0.3), Math.round(starBudget * 2), starBudget));
        double pBudget = Math.round(400 + r.nextDouble() * 400);
        double pKappa = pBudget * 8;
        double pAlpha = 0.9;
        double pCac = 40 + r.nextDouble() * 20;
        double ps = Math.pow(pBudget, pAlpha);
        double pReach = pBudget / pCac / (ps / (ps + Math.pow(pKappa, pAlpha)));
        out.add(new ChannelModel("prospecting", "social", pReach, pAlpha, pKappa, 0.3, 25, 400,
                0.12, 1.5, 0.01, 1.1, Math.round(pBudget * 0.3), Math.round(pBudget * 5), pBudget));
        for (int i = 2; i < Math.max(3, Math.min(5, rest.size())); i++) {
            out.add(rest.get(i));
        }
        return out;
    }

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
