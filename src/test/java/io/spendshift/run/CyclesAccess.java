package io.spendshift.run;

/** Lets tests in other packages build the cycle fixtures. */
public final class CyclesAccess {

    private CyclesAccess() {
    }

    public static String portfolio() {
        return Cycles.portfolio();
    }

    public static int recommendation(String key) {
        return CycleTest.recommendationOf(key);
    }
}
