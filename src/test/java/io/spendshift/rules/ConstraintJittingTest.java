package io.spendshift.rules;

import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.PortfolioFacts;
import io.spendshift.rules.engine.Evaluation;
import io.spendshift.rules.engine.PolicyEvaluator;
import io.spendshift.rules.engine.RuleCompiler;
import io.spendshift.rules.engine.RuleFile;
import org.junit.jupiter.api.Test;
import org.kie.internal.conf.ConstraintJittingThresholdOption;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drools 10.2.0 JIT-compiles an MVEL constraint after 20 evaluations, and the jitted form of the string
 * operators ({@code str[startsWith]}, {@code str[endsWith]}, {@code str[length]}) calls
 * {@code EvaluatorHelper.initOperators}, which 10.2.0 does not have: NoSuchMethodError from the 21st
 * evaluation on (apache/incubator-kie-drools issue 6711, fixed by PR 6730 after 10.2.0). The service turns
 * jitting off for every KieBase it builds. Plain JUnit, through the real compile path.
 */
class ConstraintJittingTest {

    static final String STR_RULES = """
            package jit;
            import io.spendshift.policy.ChannelFacts;
            import io.spendshift.policy.Hold;
            rule "Hold brand channels"
            when
                ChannelFacts( channel str[startsWith] "brand", $c : channel )
            then
                insert( new Hold( $c, "brand" ) );
            end
            rule "Hold retargeting channels"
            when
                ChannelFacts( channel str[endsWith] "-rt", $c : channel )
            then
                insert( new Hold( $c, "retargeting" ) );
            end
            rule "Hold short keys"
            when
                ChannelFacts( channel str[length] 2, $c : channel )
            then
                insert( new Hold( $c, "short" ) );
            end
            """;

    static List<ChannelFacts> channels() {
        return List.of(new ChannelFacts("brand-search", "search", new BigDecimal("100")),
                new ChannelFacts("social-rt", "social", new BigDecimal("100")),
                new ChannelFacts("tv", "video", new BigDecimal("100")),
                new ChannelFacts("display", "display", new BigDecimal("100")));
    }

    @Test
    void stringOperatorsEvaluateTwoHundredTimesWithoutTheJitBug() {
        RuleCompiler.Result r = RuleCompiler.compile(List.of(RuleFile.of("str.drl", STR_RULES)),
                getClass().getClassLoader());
        assertThat(r.errors()).isEmpty();
        for (int i = 0; i < 200; i++) {
            Evaluation ev = PolicyEvaluator.evaluate(r.rules().kieBase(), new PortfolioFacts(), channels(), false);
            assertThat(ev.holds()).as("evaluation %d", i)
                    .extracting(h -> h.channel() + ":" + h.reason())
                    .containsExactlyInAnyOrder("brand-search:brand", "social-rt:retargeting", "tv:short");
        }
    }

    @Test
    void everyKieBaseTheCompilerBuildsHasConstraintJittingOff() throws Exception {
        var kb = RuleCompiler.compile(RuleCompiler.readFolder(java.nio.file.Path.of("rules")),
                getClass().getClassLoader()).rules().kieBase();
        var conf = ((org.drools.core.impl.InternalRuleBase) kb).getRuleBaseConfiguration();
        assertThat(conf.getOption(ConstraintJittingThresholdOption.KEY).getThreshold()).isEqualTo(-1);
    }
}
