package io.spendshift.rules.engine;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the policy-language checker adds to a compile of the default pack: the checker alone against the whole
 * compile (checker, Drools build, class-loader wall), median of 20 warm runs each, and the ratio. Run with
 * {@code mvn verify -Pbench -Dtest=PolicyCheckerBenchmark}.
 */
@Tag("bench")
class PolicyCheckerBenchmark {

    @Test
    void checkerTimeAgainstCompileTime() throws Exception {
        List<RuleFile> files = RuleCompiler.readFolder(Path.of("rules"));
        Map<String, String> drl = new LinkedHashMap<>();
        for (RuleFile f : files) {
            drl.put(f.path(), RuleCompiler.toDrl(f));
        }
        ClassLoader cl = getClass().getClassLoader();
        for (int i = 0; i < 5; i++) {
            PolicyChecker.check(drl);
            RuleCompiler.compile(files, cl, true);
        }
        double check = median(() -> PolicyChecker.check(drl));
        double withChecker = median(() -> RuleCompiler.compile(files, cl, true));
        double without = median(() -> RuleCompiler.compile(files, cl, false));
        System.out.printf("Policy checker on the default pack (%d files): check %.1f ms, compile with checker %.1f ms,"
                        + " without %.1f ms; the checker is %.1f%% of a compile%n", files.size(), check, withChecker,
                without, 100 * check / withChecker);
    }

    private static double median(Runnable r) {
        double[] t = new double[20];
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        java.util.Arrays.sort(t);
        return t[t.length / 2];
    }
}
