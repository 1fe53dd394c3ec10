package io.spendshift.simulation;

import io.spendshift.market.ChannelModel;

import java.util.List;

/**
 * The best split of a total daily budget for a market: it maximises
 * {@code Σ ltv_c · N_c · s(x_c / (1 − θ_c))} subject to {@code Σ x_c = B} and {@code min_c ≤ x_c ≤ max_c}.
 * Greedy on a fine grid: every step goes to the channel with the best average gain over a look-ahead (1 to
 * all remaining steps), which carries S-shaped channels over their bend where a one-step greedy would leave
 * them starved; then pairwise transfers with shrinking steps polish the split while they gain. Checked
 * against brute force on small markets.
 */
public final class Oracle {

    static final int STEPS = 4_000;
    static final int LOOKAHEAD = STEPS;

    private Oracle() {
    }

    /** The value-maximising daily budgets, one per channel, in the channels' order. */
    public static double[] allocate(List<ChannelModel> channels, double[] min, double[] max, double total) {
        int n = channels.size();
        double[] x = min.clone();
        double left = total;
        for (double m : min) {
            left -= m;
        }
        if (left <= 0) {
            return x;
        }
        double step = left / STEPS;
        for (int s = 0; s < STEPS; s++) {
            int best = -1;
            double bestGain = -1;
            int bestSteps = 1;
            for (int c = 0; c < n; c++) {
                ChannelModel m = channels.get(c);
                double base = m.steadyValue(x[c]);
                int maxSteps = (int) Math.min(Math.min(LOOKAHEAD, STEPS - s), Math.floor((max[c] - x[c]) / step + 1e-9));
                for (int k = 1; k <= maxSteps; k = k < 8 ? k + 1 : k * 2) {
                    double gain = (m.steadyValue(x[c] + k * step) - base) / k;
                    if (gain > bestGain) {
                        bestGain = gain;
                        best = c;
                        bestSteps = k;
                    }
                }
            }
            if (best < 0) {
                break; // every channel is at its maximum
            }
            x[best] += bestSteps * step;
            s += bestSteps - 1;
        }
        polish(channels, x, min, max, step * 64);
        return x;
    }

    /** Moves budget between pairs of channels while that gains value, halving the step down to a cent. */
    static void polish(List<ChannelModel> channels, double[] x, double[] min, double[] max, double step) {
        int n = x.length;
        for (double d = step; d >= 0.01; d /= 2) {
            boolean improved = true;
            int rounds = 0;
            while (improved && rounds++ < 1000) {
                improved = false;
                for (int a = 0; a < n; a++) {
                    for (int b = 0; b < n; b++) {
                        if (a == b || x[a] - d < min[a] || x[b] + d > max[b]) {
                            continue;
                        }
                        ChannelModel ca = channels.get(a);
                        ChannelModel cb = channels.get(b);
                        double gain = cb.steadyValue(x[b] + d) - cb.steadyValue(x[b])
                                - (ca.steadyValue(x[a]) - ca.steadyValue(x[a] - d));
                        if (gain > 1e-9) {
                            x[a] -= d;
                            x[b] += d;
                            improved = true;
                        }
                    }
                }
            }
        }
    }

    /** Expected daily long-term value of a split, in steady state. */
    public static double value(List<ChannelModel> channels, double[] x) {
        double v = 0;
        for (int c = 0; c < channels.size(); c++) {
            v += channels.get(c).steadyValue(x[c]);
        }
        return v;
    }
}
