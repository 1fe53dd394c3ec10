package io.spendshift.policy;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FactsCalculatorTest {

    static final LocalDate AS_OF = LocalDate.of(2026, 3, 1);

    static FactsCalculator.ChannelLine line(LocalDate lastChanged) {
        return new FactsCalculator.ChannelLine("search", "search", new BigDecimal("100"), new BigDecimal("10"),
                null, false, lastChanged);
    }

    static DailyPerformance day(LocalDate d, String spend, long conv, String revenue, long nc, String ltv) {
        return new DailyPerformance(d, new BigDecimal(spend), conv, new BigDecimal(revenue), nc,
                ltv == null ? null : new BigDecimal(ltv));
    }

    @Test
    void windowTotalsAndRatiosFollowTheDefinitions() {
        List<DailyPerformance> days = List.of(
                day(AS_OF.minusDays(1), "100", 10, "400", 4, "200"),
                day(AS_OF.minusDays(2), "100", 10, "200", 6, "100"),
                day(AS_OF.minusDays(29), "999", 99, "999", 99, "1"),   // before the 28-day window
                day(AS_OF, "555", 5, "555", 5, "5"));                  // asOf itself is not in the window
        ChannelFacts f = FactsCalculator.compute(line(null), days, AS_OF, 28);
        assertThat(f.getSpend()).isEqualByComparingTo("200");
        assertThat(f.getRevenue()).isEqualByComparingTo("600");
        assertThat(f.getConversions()).isEqualTo(20);
        assertThat(f.getNewCustomers()).isEqualTo(10);
        assertThat(f.getDaysOfData()).isEqualTo(2);
        assertThat(f.getRoas()).isEqualTo(3.0);
        assertThat(f.getCpa()).isEqualByComparingTo("10");
        assertThat(f.getCac()).isEqualByComparingTo("20");
        // new-customer-weighted LTV: (4*200 + 6*100) / 10 = 140
        assertThat(f.getLtv()).isEqualByComparingTo("140");
        assertThat(f.getLtvToCac()).isCloseTo(7.0, within(1e-9));
        assertThat(f.getLtvRoas()).isCloseTo(10 * 140 / 200.0, within(1e-9));
        assertThat(f.getValue()).isEqualByComparingTo("1400");
        assertThat(f.isDataGap()).isFalse();
        assertThat(f.getDaysSinceLastChange()).isNull();
    }

    @Test
    void fractionalCountsSumExactlyAndDaysWithoutNewCustomerCountsAreNotCacAboveLtv() {
        List<DailyPerformance> days = List.of(
                new DailyPerformance(AS_OF.minusDays(1), new BigDecimal("100"), 7.42, new BigDecimal("300"), null, null),
                new DailyPerformance(AS_OF.minusDays(2), new BigDecimal("100"), 2.58, new BigDecimal("300"), null, null),
                new DailyPerformance(AS_OF.minusDays(3), new BigDecimal("100"), 2.5, new BigDecimal("100"), 2.5,
                        new BigDecimal("10")));
        ChannelFacts f = FactsCalculator.compute(line(null), days, AS_OF, 28);
        assertThat(f.getConversions()).isEqualTo(13);
        assertThat(f.getCpa()).isEqualByComparingTo("24.00"); // 300 / 12.5, not 300 / 13
        assertThat(f.getNewCustomers()).isEqualTo(3);
        assertThat(f.getCac()).isEqualByComparingTo("120.00"); // 300 / 2.5
        // value: revenue where no customers are known, customers x ltv where they are
        assertThat(f.getValue()).isEqualByComparingTo("625.00");
        // the two export days (new customers unknown) end the streak; a day without any new customer would not
        assertThat(f.getDaysCacAboveLtv()).isZero();
        ChannelFacts zero = FactsCalculator.compute(line(null), List.of(
                new DailyPerformance(AS_OF.minusDays(1), new BigDecimal("100"), 3.0, new BigDecimal("300"), 0.0, null)),
                AS_OF, 28);
        assertThat(zero.getDaysCacAboveLtv()).isEqualTo(1);
    }

    @Test
    void zeroDenominatorsGiveNullNotInfinity() {
        ChannelFacts f = FactsCalculator.compute(line(AS_OF.minusDays(2)),
                List.of(day(AS_OF.minusDays(3), "0", 0, "0", 0, null)), AS_OF, 28);
        assertThat(f.getRoas()).isNull();
        assertThat(f.getCpa()).isNull();
        assertThat(f.getCac()).isNull();
        assertThat(f.getLtv()).isNull();
        assertThat(f.getLtvToCac()).isNull();
        assertThat(f.getLtvRoas()).isNull();
        assertThat(f.isDataGap()).as("yesterday is missing").isTrue();
        assertThat(f.getDaysSinceLastChange()).isEqualTo(2);
    }

    @Test
    void valueIsRevenueWhereNoLtvIsKnown() {
        ChannelFacts f = FactsCalculator.compute(line(null),
                List.of(day(AS_OF.minusDays(1), "50", 3, "120", 2, null)), AS_OF, 28);
        assertThat(f.getValue()).isEqualByComparingTo("120");
        assertThat(f.getLtvRoas()).isNull();
    }

    @Test
    void marginalStartsAsTheAverageTrustedNotAtAll() {
        List<DailyPerformance> days = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            days.add(day(AS_OF.minusDays(i), "100", 10, String.valueOf(300 + (i % 3) * 10), 5, null));
        }
        ChannelFacts f = FactsCalculator.compute(line(null), days, AS_OF, 28);
        assertThat(f.getMarginalRoasConfidence()).isZero();
        assertThat(f.getMarginalRoas()).isCloseTo(f.getValue().doubleValue() / 2800 * 28 / 28, within(0.2));
    }
}
