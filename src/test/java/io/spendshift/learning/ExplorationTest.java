package io.spendshift.learning;

import io.spendshift.policy.DailyPerformance;
import io.spendshift.policy.ShiftProposal;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The designer of experiments on its own: blocks, undo, and channels that are identified or cannot move. */
class ExplorationTest {

    static final LocalDate AS_OF = LocalDate.of(2026, 5, 1);

    /** Four channels whose spend never varied: none is identified. */
    static PortfolioModel flat() {
        List<ChannelHistory> h = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            List<DailyPerformance> days = new ArrayList<>();
            for (int d = 1; d <= 40; d++) {
                days.add(new DailyPerformance(AS_OF.minusDays(d), new BigDecimal("1000.00"), 20,
                        BigDecimal.valueOf(3000 + (d * 37 + c * 11) % 400), 15, null));
            }
            h.add(new ChannelHistory("c" + c, 1000, days, Set.of()));
        }
        return PortfolioModel.fit(h, AS_OF);
    }

    static List<Exploration.Line> lines(boolean... movable) {
        List<Exploration.Line> out = new ArrayList<>();
        for (int c = 0; c < movable.length; c++) {
            out.add(new Exploration.Line("c" + c, 1000, 100, 5000.0, movable[c]));
        }
        return out;
    }

    @Test
    void unidentifiedChannelsGetBalancedBlocksWithinMaxPct() {
        PortfolioModel m = flat();
        assertThat(m.channels().values()).noneMatch(ResponseModel::identified);
        Exploration.Design d = Exploration.design(m, lines(true, true, true, true), Set.of(), List.of(),
                ExplorationPolicy.DEFAULTS, 20, AS_OF, 7);
        assertThat(d.experiments()).hasSize(4);
        assertThat(d.experiments().stream().map(Experiment::amount).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("0");
        assertThat(d.experiments()).allSatisfy(e -> {
            assertThat(Math.abs(e.deltaPct())).isLessThanOrEqualTo(10.0);
            assertThat(e.until()).isEqualTo(AS_OF.plusDays(Exploration.BLOCK_DAYS));
        });
        assertThat(d.shifts()).allSatisfy(s -> assertThat(s.rule()).isEqualTo(Exploration.RULE));
        // the same day and seed decide the same: replays give the same plan
        assertThat(Exploration.design(m, lines(true, true, true, true), Set.of(), List.of(), ExplorationPolicy.DEFAULTS,
                20, AS_OF, 7).experiments()).isEqualTo(d.experiments());
    }

    @Test
    void aBlockInForceIsLeftAloneAndAnEndedOneIsUndone() {
        PortfolioModel m = flat();
        List<Experiment> inForce = List.of(
                new Experiment("c0", new BigDecimal("100.00"), 10, "x", AS_OF.minusDays(1), AS_OF.plusDays(3)),
                new Experiment("c1", new BigDecimal("-100.00"), -10, "x", AS_OF.minusDays(1), AS_OF.plusDays(3)));
        Exploration.Design busy = Exploration.design(m, lines(true, true, false, false), Set.of(), inForce,
                ExplorationPolicy.DEFAULTS, 20, AS_OF, 7);
        assertThat(busy.shifts()).isEmpty();
        assertThat(busy.closed()).isEmpty();

        List<Experiment> ended = List.of(
                new Experiment("c0", new BigDecimal("100.00"), 10, "x", AS_OF.minusDays(4), AS_OF),
                new Experiment("c1", new BigDecimal("-100.00"), -10, "x", AS_OF.minusDays(4), AS_OF));
        Exploration.Design next = Exploration.design(m, lines(true, true, false, false), Set.of(), ended,
                ExplorationPolicy.DEFAULTS, 20, AS_OF, 7);
        assertThat(next.closed()).containsExactlyInAnyOrder("c0", "c1");
        // what moves is the new block minus the old one: c0 ends at base +/- 100, c1 mirrors it
        BigDecimal c0 = net(next.shifts(), "c0");
        assertThat(c0.add(new BigDecimal("100.00")).abs()).isLessThanOrEqualTo(new BigDecimal("100.00"));
        assertThat(net(next.shifts(), "c1")).isEqualByComparingTo(c0.negate());
    }

    @Test
    void nothingIsExploredWhenExplorationIsOff() {
        assertThat(Exploration.design(flat(), lines(true, true, true, true), Set.of(), List.of(),
                ExplorationPolicy.OFF, 20, AS_OF, 7)).isEqualTo(Exploration.Design.NONE);
    }

    static BigDecimal net(List<ShiftProposal> shifts, String channel) {
        BigDecimal n = BigDecimal.ZERO;
        for (ShiftProposal s : shifts) {
            if (s.to().equals(channel)) {
                n = n.add(s.amount());
            }
            if (s.from().equals(channel)) {
                n = n.subtract(s.amount());
            }
        }
        return n;
    }
}
