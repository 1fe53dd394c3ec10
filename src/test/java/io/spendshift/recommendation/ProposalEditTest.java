package io.spendshift.recommendation;

import io.spendshift.common.FieldError;
import io.spendshift.common.InvalidInput;
import io.spendshift.policy.Plan;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** An approver's edit of a proposed plan: still a plan (bounds, locks, holds, total), shifts recomputed. */
class ProposalEditTest {

    static ProposalEdit.Line line(String c, String current, String proposed, String min, String max, boolean locked,
                                  String held) {
        return new ProposalEdit.Line(c, new BigDecimal(current), new BigDecimal(proposed), new BigDecimal(min),
                max == null ? null : new BigDecimal(max), locked, held);
    }

    static final List<ProposalEdit.Line> LINES = List.of(
            line("search", "1000", "1200", "100", "5000", false, null),
            line("social", "1000", "800", "100", "5000", false, null),
            line("video", "500", "500", "100", null, false, null),
            line("brand", "300", "300", "0", "1000", true, null),
            line("thin", "200", "200", "0", "1000", false, "fewer than 30 conversions"));

    static ProposalEdit.Asked ask(int i, String channel, String budget) {
        return new ProposalEdit.Asked(i, channel, budget == null ? null : new BigDecimal(budget));
    }

    static List<FieldError> errors(List<ProposalEdit.Asked> asked) {
        try {
            ProposalEdit.plan("approver", LINES, asked);
        } catch (InvalidInput e) {
            return e.errors();
        }
        throw new AssertionError("the edit was accepted");
    }

    @Test
    void theNamedBudgetsReplaceTheProposedOnesAndTheShiftsAreRecomputed() {
        Plan p = ProposalEdit.plan("approver", LINES, List.of(ask(0, "search", "1100.50"), ask(1, "video", "599.50")));
        assertThat(p.allocations()).extracting(Plan.Allocation::channel, a -> a.proposedBudget().toPlainString(),
                a -> a.delta().toPlainString()).containsExactly(
                tuple("search", "1100.50", "100.50"), tuple("social", "800.00", "-200.00"),
                tuple("video", "599.50", "99.50"), tuple("brand", "300.00", "0.00"), tuple("thin", "200.00", "0.00"));
        // the giver (social) paired with the takers (search, video), in channel order
        assertThat(p.shifts()).extracting(Plan.Shift::from, Plan.Shift::to, s -> s.amount().toPlainString(),
                Plan.Shift::rule).containsExactly(
                tuple("social", "search", "100.50", "Edited by approver"),
                tuple("social", "video", "99.50", "Edited by approver"));
        assertThat(p.shifts().get(0).reason()).contains("social 1000.00 → 800.00").contains("search 1000.00 → 1100.50");
        assertThat(p.moved()).isEqualByComparingTo("200.00");
    }

    @Test
    void everyChannelAtFaultIsNamedAndNothingIsAccepted() {
        assertThat(errors(List.of(ask(0, "search", "5200"), ask(1, "social", "50"), ask(2, "brand", "400"),
                ask(3, "thin", "100"), ask(4, "nope", "1")))).extracting(FieldError::field, FieldError::message)
                .containsExactly(
                        tuple("allocations[0].proposedBudget", "channel search: 5200.00 is above its maximum daily budget 5000.00"),
                        tuple("allocations[1].proposedBudget", "channel social: 50.00 is below its minimum daily budget 100.00"),
                        tuple("allocations[2].proposedBudget", "channel brand is locked: its budget stays 300.00"),
                        tuple("allocations[3].proposedBudget",
                                "channel thin is held (fewer than 30 conversions): its budget stays 200.00"),
                        tuple("allocations[4].channel", "channel nope is not part of this plan"));
    }

    @Test
    void theTotalIsConservedToTheCent() {
        assertThat(errors(List.of(ask(0, "search", "1200.01")))).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("allocations");
            assertThat(e.message()).contains("3000.01").contains("3000.00").contains("+0.01");
        });
    }

    @Test
    void amountsAreCentsAtLeastZeroAndAnEditMustChangeSomething() {
        assertThat(errors(List.of(ask(0, "search", "1100.001")))).extracting(FieldError::field)
                .containsExactly("allocations[0].proposedBudget");
        assertThat(errors(List.of(ask(0, "search", "-1")))).extracting(FieldError::message)
                .containsExactly("channel search: proposedBudget must be an amount of at least 0 with at most 2 decimals");
        assertThat(errors(List.of(ask(0, "search", null)))).extracting(FieldError::message)
                .containsExactly("channel search: proposedBudget is required");
        assertThat(errors(List.of(ask(0, "search", "1200"), ask(1, "search", "1200")))).extracting(FieldError::message)
                .containsExactly("channel search is named twice");
        assertThat(errors(List.of(ask(0, "search", "1200.00")))).extracting(FieldError::message)
                .containsExactly("these are the plan's proposed budgets already: nothing to change");
        assertThatThrownBy(() -> ProposalEdit.plan("approver", LINES, List.of())).isInstanceOf(InvalidInput.class);
    }

    @Test
    void aLockedOrHeldChannelNamedAtItsCurrentBudgetIsFine() {
        Plan p = ProposalEdit.plan("a", LINES, List.of(ask(0, "brand", "300"), ask(1, "thin", "200.00"),
                ask(2, "search", "1000"), ask(3, "social", "1000")));
        assertThat(p.shifts()).isEmpty();
        assertThat(p.moved()).isEqualByComparingTo("0");
    }

    @Test
    void aChannelTheEditDoesNotNameIsCheckedAgainstItsLockAndBoundsAsTheyAreNow() {
        // the plan moved search 1,000 → 1,200 and social 1,000 → 800; since then search was locked, social's minimum raised
        List<ProposalEdit.Line> now = List.of(
                line("search", "1000", "1200", "100", "5000", true, null),
                line("social", "1000", "800", "900", "5000", false, null),
                line("video", "500", "500", "100", null, false, null),
                line("display", "500", "500", "100", null, false, null));
        assertThatThrownBy(() -> ProposalEdit.plan("approver", now, List.of(ask(0, "video", "550"),
                ask(1, "display", "450")))).isInstanceOfSatisfying(InvalidInput.class, e -> assertThat(e.errors())
                .extracting(FieldError::field, FieldError::message).containsExactly(
                        tuple("allocations", "channel search is locked: its budget stays 1000.00 (the plan proposes"
                                + " 1200.00 and this edit does not name it: name it with its budget)"),
                        tuple("allocations", "channel social: 800.00 is below its minimum daily budget 900.00 (the plan"
                                + " proposes 800.00 and this edit does not name it: name it with its budget)")));
        // named at their budgets, the rest given to the others, it is an edit like any other
        Plan p = ProposalEdit.plan("approver", now, List.of(ask(0, "search", "1000"), ask(1, "social", "1000"),
                ask(2, "video", "500"), ask(3, "display", "500")));
        assertThat(p.allocations()).allSatisfy(a -> assertThat(a.delta()).isEqualByComparingTo("0"));
    }

    @Test
    void aChannelThePlanLeavesWhereItIsNeverBreaksBoundsNarrowedSince() {
        // video sits at 500 above a maximum lowered to 400 since: the plan does not put it there, so the edit stands
        List<ProposalEdit.Line> now = List.of(
                line("search", "1000", "1200", "100", "5000", false, null),
                line("social", "1000", "800", "100", "5000", false, null),
                line("video", "500", "500", "100", "400", false, null));
        Plan p = ProposalEdit.plan("approver", now, List.of(ask(0, "search", "1100"), ask(1, "social", "900")));
        assertThat(p.moved()).isEqualByComparingTo("100");
    }
}
