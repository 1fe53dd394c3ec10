package io.spendshift.simulation;

import io.spendshift.policy.PortfolioFacts;
import io.spendshift.rules.engine.RuleCompiler;
import io.spendshift.rules.engine.RuleFile;
import org.kie.api.KieBase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line: closed-loop simulations of a rule set on seeded markets, printed as a table. Plain Java, no
 * service, no database:
 * <pre>java -cp 'target/quarkus-app/lib/main/*:target/quarkus-app/app/*' io.spendshift.simulation.SimulateCli \
 *      [--rules rules] [--seeds 1-30] [--days 90] [--max-shift-pct 20]</pre>
 * {@code --rules} takes a folder (as loaded by the service) or one .drl file.
 */
public final class SimulateCli {

    private SimulateCli() {
    }

    public static void main(String[] args) throws Exception {
        Path rules = Path.of("rules");
        int from = 1;
        int to = 30;
        int days = 90;
        double maxShift = 20;
        for (int i = 0; i < args.length - 1; i += 2) {
            switch (args[i]) {
                case "--rules" -> rules = Path.of(args[i + 1]);
                case "--seeds" -> {
                    String[] r = args[i + 1].split("-");
                    from = Integer.parseInt(r[0]);
                    to = Integer.parseInt(r[r.length - 1]);
                }
                case "--days" -> days = Integer.parseInt(args[i + 1]);
                case "--max-shift-pct" -> maxShift = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        List<RuleFile> files = Files.isDirectory(rules) ? RuleCompiler.readFolder(rules)
                : List.of(new RuleFile(rules.getFileName().toString(), Files.readAllBytes(rules)));
        RuleCompiler.Result compiled = RuleCompiler.compile(files, SimulateCli.class.getClassLoader());
        if (!compiled.ok()) {
            compiled.errors().forEach(e -> System.err.println(e.file() + ":" + e.line() + ":" + e.column() + ": " + e.message()));
            System.exit(2);
        }
        KieBase kb = compiled.rules().kieBase();
        PortfolioFacts policy = new PortfolioFacts();
        policy.setMaxShiftPct(maxShift);
        System.out.printf("rule set %s, %d days, maxShiftPct %.0f%n", compiled.rules().version().substring(0, 12), days,
                maxShift);
        System.out.printf("%5s %9s %14s %14s %14s %9s %8s%n", "seed", "channels", "static value", "oracle value",
                "policy value", "uplift", "changes");
        List<Double> uplifts = new ArrayList<>();
        for (int s = from; s <= to; s++) {
            MarketSpec m = MarketSpec.generate(s);
            ClosedLoop.Result r = ClosedLoop.run(m, policy, kb, days);
            uplifts.add(r.upliftCaptured());
            System.out.printf("%5d %9d %14.0f %14.0f %14.0f %9.2f %8d%n", s, m.channels().size(), r.staticValue(),
                    r.oracleValue(), r.totalValue(), r.upliftCaptured(), r.changes());
        }
        uplifts.sort(Double::compare);
        System.out.printf("median upliftCaptured %.2f, worst %.2f%n", uplifts.get((uplifts.size() - 1) / 2),
                uplifts.get(0));
    }
}
