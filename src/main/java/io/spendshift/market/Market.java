package io.spendshift.market;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic simulated market: the same seed, channel, day and spend always give the same outcome,
 * whatever order days are simulated in. Plain Java, no framework.
 */
public final class Market {

    private final long seed;
    private final List<ChannelModel> channels;

    public Market(long seed, List<ChannelModel> channels) {
        this.seed = seed;
        this.channels = List.copyOf(channels);
    }

    public long seed() {
        return seed;
    }

    public List<ChannelModel> channels() {
        return channels;
    }

    /** One channel's day. {@code adstock} already includes today's spend. */
    public record Day(double spend, double adstock, long impressions, long clicks, long conversions, double revenue,
                      long newCustomers, double ltv, double value) {
    }

    /** Adstock after spending {@code spend} today with yesterday's adstock {@code previous}. */
    public static double adstock(ChannelModel c, double previous, double spend) {
        return spend + c.theta() * previous;
    }

    /**
     * Simulates channel {@code index} on day {@code day} (any stable day number, e.g. the epoch day).
     */
    public Day simulate(int index, long day, double spend, double previousAdstock) {
        return simulate(index, day, spend, previousAdstock, 1.0);
    }

    /**
     * As {@link #simulate(int, long, double, double)}, with the day's demand: {@code demand} multiplies the
     * customers the channel can win that day (1 = an ordinary day).
     */
    public Day simulate(int index, long day, double spend, double previousAdstock, double demand) {
        ChannelModel c = channels.get(index);
        SplittableRandom rnd = new SplittableRandom(mix(seed, index, day));
        double a = adstock(c, previousAdstock, spend);
        double eps = Math.exp(c.noise() * rnd.nextGaussian() - c.noise() * c.noise() / 2);
        double expected = c.reach() * demand * c.response(a) * eps;
        long customers = (long) Math.floor(expected + rnd.nextDouble());
        double ordersNoise = 1 + 0.05 * rnd.nextGaussian();
        long conversions = Math.max(customers, Math.round(customers * c.ordersPerCustomer() * ordersNoise));
        double revenue = conversions * c.aov() * (1 + 0.03 * rnd.nextGaussian());
        long clicks = spend <= 0 ? 0 : Math.max(conversions, Math.round(spend / c.cpc() * (1 + 0.05 * rnd.nextGaussian())));
        long impressions = clicks == 0 ? 0 : Math.max(clicks, Math.round(clicks / c.ctr()));
        double ltv = customers == 0 ? 0 : c.ltv() * (1 + 0.05 * rnd.nextGaussian());
        return new Day(spend, a, impressions, clicks, conversions, Math.max(0, revenue), customers, Math.max(0, ltv),
                customers * Math.max(0, ltv));
    }

    static long mix(long seed, int index, long day) {
        long h = seed * 0x9E3779B97F4A7C15L;
        h ^= (index + 1) * 0xC2B2AE3D27D4EB4FL;
        h ^= day * 0x165667B19E3779F9L;
        h ^= h >>> 31;
        return h * 0xD6E8FEB86659FD93L;
    }
}
