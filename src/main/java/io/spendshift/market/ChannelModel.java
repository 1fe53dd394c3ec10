package io.spendshift.market;

/**
 * How one simulated channel answers spend (DESIGN.md, market model): adstock carry-over {@code theta},
 * Hill response {@code s(a) = a^alpha / (a^alpha + kappa^alpha)} scaled by {@code reach} new customers a day,
 * lognormal noise {@code noise} (sigma), order value {@code aov}, lifetime value {@code ltv}, and the rates that
 * turn spend into clicks and impressions. Budget bounds and the starting budget are per channel.
 */
public record ChannelModel(String key, String kind, double reach, double alpha, double kappa, double theta,
                           double aov, double ltv, double noise, double cpc, double ctr,
                           double ordersPerCustomer, double minBudget, double maxBudget, double initialBudget) {

    /** Share of the reachable customers won at adstock {@code a}. */
    public double response(double a) {
        if (a <= 0) {
            return 0;
        }
        double pa = Math.pow(a, alpha);
        return pa / (pa + Math.pow(kappa, alpha));
    }

    /** Expected daily long-term value when {@code x} is spent every day (steady-state adstock). */
    public double steadyValue(double x) {
        return ltv * reach * response(x / (1 - theta));
    }

    /** Expected daily revenue when {@code x} is spent every day. */
    public double steadyRevenue(double x) {
        return aov * reach * response(x / (1 - theta));
    }
}
