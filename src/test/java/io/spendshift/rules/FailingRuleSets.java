package io.spendshift.rules;

import io.quarkus.arc.ClientProxy;
import io.spendshift.rules.engine.CompiledRules;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;

import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Test-only: a rule set that throws an {@link Error} when evaluated, and a way to make it the active one. The
 * policy language (rightly) cannot call test code, so the KieBase is built here with plain Drools and put in
 * place by reflection; production code has no hook for it.
 */
public final class FailingRuleSets {

    /** What the rule's constraint throws; set before each evaluation. */
    public static volatile Supplier<Error> error = () -> new StackOverflowError("simulated stack overflow");

    private FailingRuleSets() {
    }

    /** Called by the failing rule's constraint. */
    public static boolean explode(Object any) {
        throw error.get();
    }

    public static CompiledRules throwingAtEvaluation(String version) {
        KieServices ks = KieServices.Factory.get();
        KieFileSystem kfs = ks.newKieFileSystem();
        kfs.write("src/main/resources/boom/boom.drl", """
                package boom;
                import io.spendshift.policy.ChannelFacts;
                rule "Explode on any channel"
                when
                    ChannelFacts( $c : channel )
                then
                    io.spendshift.rules.FailingRuleSets.explode($c);
                end
                """);
        ClassLoader cl = FailingRuleSets.class.getClassLoader();
        KieBuilder b = ks.newKieBuilder(kfs, cl).buildAll();
        if (b.getResults().hasMessages(Message.Level.ERROR)) {
            throw new IllegalStateException(b.getResults().toString());
        }
        // thrown from the consequence (compiled Java), the Error comes out of fireAllRules raw, as the 10.2.0
        // jitting bug's NoSuchMethodError did
        KieBase kb = ks.newKieContainer(ks.getRepository().getDefaultReleaseId(), cl).getKieBase();
        return new CompiledRules(version, kb, List.of(new CompiledRules.FileInfo("boom.drl", version,
                List.of("Explode on any channel"))));
    }

    /** Makes {@code rules} active (as if loaded from the folder) and answers what was active before. */
    @SuppressWarnings("unchecked")
    public static RuleSetService.Active swap(RuleSetService service, RuleSetService.Active next) throws Exception {
        Field f = RuleSetService.class.getDeclaredField("active");
        f.setAccessible(true);
        AtomicReference<RuleSetService.Active> ref = (AtomicReference<RuleSetService.Active>) f.get(ClientProxy.unwrap(service));
        return ref.getAndSet(next);
    }
}
