package io.spendshift.rules.engine;

import io.spendshift.planning.Planner;
import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.Plan;
import io.spendshift.policy.PortfolioFacts;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input facts are read-only to the plan: the checker refuses a rule that changes a channel's budget, and even a
 * rule that got past it (compiled here without the checker) cannot change the plan, because the resolver works
 * from its own snapshot of budgets and bounds taken before the rules run.
 */
class ReadOnlyInputsTest {

    static final ClassLoader CL = ReadOnlyInputsTest.class.getClassLoader();

    static final String MODIFY = """
            package rewrite;
            import io.spendshift.policy.ChannelFacts;
            rule "Give social a million"
            when
                $c : ChannelFacts( channel == "social", dailyBudget < 1000000 )
            then
                modify( $c ) { setDailyBudget( new java.math.BigDecimal( "1000000" ) ) }
            end
            """;

    static final String SETTER = """
            package rewrite;
            import io.spendshift.policy.ChannelFacts;
            import io.spendshift.policy.ShiftProposal;
            import java.math.BigDecimal;
            rule "Give social a million"
            when
                $c : ChannelFacts( channel == "social", dailyBudget < 1000000 )
            then
                $c.setDailyBudget( new BigDecimal( "1000000" ) );
                $c.setMaxDailyBudget( null );
                insert( new ShiftProposal( "search", "social", new BigDecimal( "5000" ), "r", "more" ) );
            end
            """;

    @Test
    void theCheckerRefusesModifyAndSetters() {
        RuleCompiler.Result m = RuleCompiler.compile(List.of(RuleFile.of("modify.drl", MODIFY)), CL);
        assertThat(m.ok()).isFalse();
        assertThat(m.errors().toString()).contains("modify");
        RuleCompiler.Result s = RuleCompiler.compile(List.of(RuleFile.of("setter.drl", SETTER)), CL);
        assertThat(s.ok()).isFalse();
        assertThat(s.errors().toString()).contains("setDailyBudget");
    }

    @Test
    void aRuleThatChangedABudgetAnywayDoesNotChangeThePlan() {
        RuleCompiler.Result r = RuleCompiler.compile(List.of(RuleFile.of("setter.drl", SETTER)), CL, false);
        assertThat(r.errors()).isEmpty();
        PortfolioFacts p = new PortfolioFacts();
        p.setAsOf(LocalDate.of(2026, 3, 10));
        p.setMaxShiftPct(20);
        ChannelFacts search = facts("search", "4300");
        ChannelFacts social = facts("social", "1000");
        p.setTotalBudget(new BigDecimal("5300"));
        Planner.Decision d = Planner.decide(r.rules().kieBase(), new Planner.Input(p, List.of(search, social), null,
                null, List.of(), 1), false);
        assertThat(social.getDailyBudget()).as("the rule did touch the fact").isEqualByComparingTo("1000000");
        Plan plan = d.plan();
        BigDecimal total = plan.allocations().stream().map(Plan.Allocation::proposedBudget).reduce(BigDecimal.ZERO,
                BigDecimal::add);
        assertThat(total).isEqualByComparingTo("5300.00");
        Plan.Allocation s = plan.allocations().stream().filter(a -> a.channel().equals("social")).findFirst().orElseThrow();
        assertThat(s.currentBudget()).isEqualByComparingTo("1000.00");
        // the snapshot's maximum (1000) stands, whatever the rule did to the fact's maximum
        assertThat(s.proposedBudget()).isEqualByComparingTo("1000.00");
        assertThat(plan.adjustments()).singleElement().satisfies(a -> {
            assertThat(a.asked()).isEqualByComparingTo("5000");
            assertThat(a.granted()).isEqualByComparingTo("0");
            assertThat(a.why()).contains("no headroom: maximum budget 1000.00");
        });
    }

    private static ChannelFacts facts(String key, String budget) {
        ChannelFacts c = new ChannelFacts(key, "search", new BigDecimal(budget));
        c.setMaxDailyBudget(new BigDecimal(budget));
        return c;
    }
}
