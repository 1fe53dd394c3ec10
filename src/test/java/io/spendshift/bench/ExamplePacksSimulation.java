package io.spendshift.bench;

import io.spendshift.policy.PortfolioFacts;
import io.spendshift.rules.engine.RuleCompiler;
import io.spendshift.rules.engine.RuleFile;
import io.spendshift.simulation.ClosedLoop;
import io.spendshift.simulation.MarketSpec;
import io.spendshift.learning.ExplorationPolicy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The simulation figure of each example pack of rules/examples/ (rules/README.md, "Example packs"): the default
 * pack alone and with each pack, on seeded markets (seeds 1-10), 90 days from 1 January (three month ends),
 * maxShiftPct 20. The first channel of each market is tagged "brand". Prints upliftCaptured (median and worst) and
 * the budget changes. Run with {@code mvn verify -Pbench -Dtest=ExamplePacksSimulation}.
 */
@Tag("bench")
class ExamplePacksSimulation {

    static final int MARKETS = 10;
    static final int DAYS = 90;

    @Test
    void upliftCapturedWithEachPack() throws Exception {
        ClassLoader cl = getClass().getClassLoader();
        List<String> names = new ArrayList<>(List.of("default pack"));
        List<KieBase> bases = new ArrayList<>(List.of(RuleCompiler.compile(RuleCompiler.readFolder(Path.of("rules")), cl)
                .rules().kieBase()));
        try (Stream<Path> s = Files.list(Path.of("rules/examples"))) {
            for (Path pack : s.filter(Files::isDirectory).sorted().toList()) {
                List<RuleFile> files = new ArrayList<>(RuleCompiler.readFolder(Path.of("rules")));
                try (Stream<Path> f = Files.list(pack)) {
                    for (Path p : f.filter(x -> x.toString().endsWith(".drl")).toList()) {
                        files.add(new RuleFile(p.getFileName().toString(), Files.readAllBytes(p)));
                    }
                }
                names.add("default + " + pack.getFileName());
                bases.add(RuleCompiler.compile(files, cl).rules().kieBase());
            }
        }
        PortfolioFacts policy = new PortfolioFacts();
        policy.setMaxShiftPct(20);
        for (int k = 0; k < names.size(); k++) {
            double[] u = new double[MARKETS];
            int changes = 0;
            for (int m = 0; m < MARKETS; m++) {
                MarketSpec spec = MarketSpec.generate(m + 1);
                Map<String, List<String>> tags = Map.of(spec.channels().get(0).key(), List.of("brand"));
                ClosedLoop.Result r = ClosedLoop.run(spec, policy, bases.get(k), DAYS, ExplorationPolicy.DEFAULTS, tags);
                u[m] = r.upliftCaptured();
                changes += r.changes();
            }
            Arrays.sort(u);
            System.out.printf("%-36s upliftCaptured median %.3f, worst %.3f; budget changes %d%n", names.get(k),
                    (u[MARKETS / 2 - 1] + u[MARKETS / 2]) / 2, u[0], changes);
        }
    }
}
