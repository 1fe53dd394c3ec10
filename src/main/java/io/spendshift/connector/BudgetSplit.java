package io.spendshift.connector;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Splits a channel's daily budget across its campaigns' budgets in proportion to what they have now
 * ({@code split: PROPORTIONAL}), in the smallest unit the platform accepts ({@code scale} decimals), so that the
 * parts add up exactly to the (rounded) budget: largest remainder, ties to the earlier line. Budgets that are all
 * zero share equally.
 */
public final class BudgetSplit {

    private BudgetSplit() {
    }

    public static List<BigDecimal> split(BigDecimal total, List<BigDecimal> basis, int scale) {
        if (basis.isEmpty()) {
            return List.of();
        }
        BigInteger units = total.setScale(scale, RoundingMode.HALF_UP).unscaledValue();
        List<BigInteger> weights = new ArrayList<>();
        BigInteger sum = BigInteger.ZERO;
        for (BigDecimal b : basis) {
            BigInteger w = b.signum() > 0 ? b.setScale(6, RoundingMode.HALF_UP).unscaledValue() : BigInteger.ZERO;
            weights.add(w);
            sum = sum.add(w);
        }
        if (sum.signum() == 0) {
            weights.replaceAll(w -> BigInteger.ONE);
            sum = BigInteger.valueOf(weights.size());
        }
        BigInteger[] parts = new BigInteger[weights.size()];
        BigInteger[] remainders = new BigInteger[weights.size()];
        BigInteger given = BigInteger.ZERO;
        for (int i = 0; i < parts.length; i++) {
            BigInteger[] qr = units.multiply(weights.get(i)).divideAndRemainder(sum);
            parts[i] = qr[0];
            remainders[i] = qr[1];
            given = given.add(qr[0]);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing((Integer i) -> remainders[i]).reversed().thenComparing(i -> i));
        BigInteger left = units.subtract(given);
        for (int k = 0; left.signum() > 0; k++, left = left.subtract(BigInteger.ONE)) {
            int i = order.get(k % order.size());
            parts[i] = parts[i].add(BigInteger.ONE);
        }
        List<BigDecimal> out = new ArrayList<>();
        for (BigInteger p : parts) {
            out.add(new BigDecimal(p, scale));
        }
        return out;
    }
}
