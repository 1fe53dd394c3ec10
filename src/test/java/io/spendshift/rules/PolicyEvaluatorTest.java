package io.spendshift.rules;

import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.PortfolioFacts;
import io.spendshift.rules.engine.Evaluation;
import io.spendshift.rules.engine.PolicyEvaluator;
import io.spendshift.rules.engine.RuleCompiler;
import io.spendshift.rules.engine.RuleFile;
import io.spendshift.rules.engine.RuleLoopException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyEvaluatorTest {

    static ChannelFacts channel(String key, boolean locked) {
        ChannelFacts c = new ChannelFacts(key, "search", new BigDecimal("100"));
        c.setLocked(locked);
        c.setConversions(100);
        c.setDaysOfData(28);
        return c;
    }

    @Test
    void aLoopingRuleIsStoppedAndNamed() {
        var rules = RuleCompiler.compile(List.of(RuleFile.of("loop.drl", """
                package loop;
                import io.spendshift.policy.ChannelFacts;
                import io.spendshift.policy.Hold;
                rule "Hold every channel"
                when
                    ChannelFacts( daysOfData > 0, $ch : channel )
                then
                    insert( new Hold( $ch, "first" ) );
                end
                rule "Keep nudging the budget"
                when
                    $h : Hold()
                then
                    insert( new Hold( $h.getChannel() + "+", "again" ) );
                end
                """)), getClass().getClassLoader()).rules();
        assertThatThrownBy(() -> PolicyEvaluator.evaluate(rules.kieBase(), new PortfolioFacts(),
                List.of(channel("a", false))))
                .isInstanceOf(RuleLoopException.class)
                .hasMessageContaining("Keep nudging the budget");
    }

    @Test
    void theExplanationRecordsEachFiringWithTheFactsItMatched() throws Exception {
        var rules = RuleCompiler.compile(RuleCompiler.readFolder(java.nio.file.Path.of("rules")),
                getClass().getClassLoader()).rules();
        Evaluation ev = PolicyEvaluator.evaluate(rules.kieBase(), new PortfolioFacts(),
                List.of(channel("a", true), channel("b", false)));
        assertThat(ev.firedRules()).containsEntry("Hold a locked channel", 1);
        assertThat(ev.holds()).extracting(h -> h.channel()).containsExactly("a");
        assertThat(ev.explanation()).filteredOn(f -> f.rule().equals("Hold a locked channel")).singleElement()
                .satisfies(f -> assertThat(f.facts()).anySatisfy(m -> {
                    assertThat(m).containsEntry("type", "ChannelFacts").containsEntry("channel", "a")
                            .containsEntry("locked", true);
                }));
    }
}
