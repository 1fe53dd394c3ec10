package io.spendshift.learning;

/** An expected value with the bounds of an interval of the forecast's level (by default the 10th and 90th percentiles). */
public record Interval(double expected, double low, double high) {

    public static final Interval ZERO = new Interval(0, 0, 0);

    public Interval times(double k) {
        return k >= 0 ? new Interval(expected * k, low * k, high * k) : new Interval(expected * k, high * k, low * k);
    }

    public boolean contains(double x) {
        return x >= low && x <= high;
    }
}
