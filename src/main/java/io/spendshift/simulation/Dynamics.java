package io.spendshift.simulation;

/**
 * How a simulated account behaves from day to day beyond its response curves (the situations real accounts
 * show): how closely platform pacing delivers the budget ({@code pacingNoise}, the sd of daily spend around it),
 * daily demand shocks common to all channels that move spend and sales together with a volatility per channel
 * ({@code demandVolatility}, null for none), and a channel whose response is multiplied by {@code changeFactor}
 * from day {@code changeDay} on ({@code changeChannel} -1 for none).
 */
public record Dynamics(double pacingNoise, double[] demandVolatility, int changeChannel, int changeDay,
                       double changeFactor) {

    /** The first benchmark's account: 15% pacing noise, nothing else. */
    public static final Dynamics DEFAULT = new Dynamics(0.15, null, -1, 0, 1);

    public static Dynamics pacing(double noise) {
        return new Dynamics(noise, null, -1, 0, 1);
    }

    /** The channel's reach multiplier on simulated day {@code day} (0 = the first decided day). */
    public double reach(int channel, int day) {
        return channel == changeChannel && day >= changeDay ? changeFactor : 1;
    }

    /** The day's demand multiplier for a channel, from the common shock {@code z}; mean 1. */
    public double demand(int channel, double z) {
        if (demandVolatility == null) {
            return 1;
        }
        double s = demandVolatility[channel];
        return Math.exp(s * z - s * s / 2);
    }
}
