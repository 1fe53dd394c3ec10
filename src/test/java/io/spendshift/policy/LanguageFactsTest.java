package io.spendshift.policy;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The facts policies need: tags and platform, 7/14/28-day windows, streaks, calendar and month-to-date spend. */
class LanguageFactsTest {

    static final LocalDate AS_OF = LocalDate.of(2026, 3, 20);

    static DailyPerformance day(int ago, String spend, String revenue, long nc, String ltv) {
        return new DailyPerformance(AS_OF.minusDays(ago), new BigDecimal(spend), 10, new BigDecimal(revenue), nc,
                ltv == null ? null : new BigDecimal(ltv));
    }

    static FactsCalculator.ChannelLine line() {
        return new FactsCalculator.ChannelLine("brand-search", "search", new BigDecimal("100"), BigDecimal.ZERO, null,
                false, null, "google-ads", List.of("brand", "search"));
    }

    @Test
    void windowsBesideTheLookback() {
        List<DailyPerformance> days = new ArrayList<>();
        for (int ago = 1; ago <= 40; ago++) {
            // 100 a day; revenue 300 in the last week, 100 before
            days.add(day(ago, "100", ago <= 7 ? "300" : "100", 2, "40"));
        }
        ChannelFacts f = FactsCalculator.compute(line(), days, AS_OF, 30);
        assertThat(f.getPlatform()).isEqualTo("google-ads");
        assertThat(f.getTags()).containsExactly("brand", "search");
        assertThat(f.getSpend7()).isEqualByComparingTo("700");
        assertThat(f.getRoas7()).isCloseTo(3.0, within(1e-9));
        assertThat(f.getSpend14()).isEqualByComparingTo("1400");
        assertThat(f.getRoas14()).isCloseTo(2.0, within(1e-9));
        assertThat(f.getSpend28()).isEqualByComparingTo("2800");
        assertThat(f.getValue28()).isEqualByComparingTo("2240");   // 28 days x 2 customers x 40
        assertThat(f.getCac28()).isEqualByComparingTo("50");
        assertThat(f.getSpend()).isEqualByComparingTo("3000");     // the lookback (30 days) is unchanged
        // 1 to 19 March
        assertThat(f.getMonthToDateSpend()).isEqualByComparingTo("1900");
    }

    @Test
    void streaksCountConsecutiveDaysUpToYesterdayAndAGapEndsThem() {
        List<DailyPerformance> days = new ArrayList<>();
        for (int ago = 1; ago <= 15; ago++) {
            days.add(day(ago, "100", "50", 1, "60"));   // CAC 100 > LTV 60, ROAS 0.5
        }
        days.add(day(16, "100", "500", 5, "60"));       // CAC 20: the streak starts after it
        ChannelFacts f = FactsCalculator.compute(line(), days, AS_OF, 28, 2.0);
        assertThat(f.getDaysCacAboveLtv()).isEqualTo(15);
        assertThat(f.getDaysRoasBelowBreakEven()).isEqualTo(16 - 1);
        // a day without data (the 5th day back) ends the streak
        List<DailyPerformance> gap = new ArrayList<>(days);
        gap.removeIf(d -> d.date().equals(AS_OF.minusDays(5)));
        assertThat(FactsCalculator.compute(line(), gap, AS_OF, 28, 2.0).getDaysCacAboveLtv()).isEqualTo(4);
        // spend without a new customer counts; new customers without an LTV end it
        List<DailyPerformance> odd = List.of(day(1, "100", "0", 0, null), day(2, "100", "0", 3, null),
                day(3, "100", "0", 1, "10"));
        assertThat(FactsCalculator.compute(line(), odd, AS_OF, 28).getDaysCacAboveLtv()).isEqualTo(1);
        // without a contribution margin there is no break-even and no streak below it
        assertThat(FactsCalculator.compute(line(), days, AS_OF, 28).getDaysRoasBelowBreakEven()).isZero();
        // yesterday fine: no streak
        assertThat(FactsCalculator.compute(line(), List.of(day(1, "100", "500", 5, "60")), AS_OF, 28)
                .getDaysCacAboveLtv()).isZero();
    }

    @Test
    void theCalendarIsReadFromAsOf() {
        PortfolioFacts p = new PortfolioFacts();
        p.setAsOf(LocalDate.of(2026, 3, 25));
        assertThat(p.getDayOfWeek()).isEqualTo(DayOfWeek.WEDNESDAY);
        assertThat(p.getDaysToMonthEnd()).isEqualTo(6);
        p.setAsOf(LocalDate.of(2026, 2, 28));
        assertThat(p.getDaysToMonthEnd()).isZero();
        assertThat(new PortfolioFacts().getDaysToMonthEnd()).isNull();
    }

    @Test
    void theMonthToDateIsZeroOnTheFirst() {
        LocalDate first = LocalDate.of(2026, 4, 1);
        ChannelFacts f = FactsCalculator.compute(line(), List.of(new DailyPerformance(first.minusDays(1),
                new BigDecimal("100"), 1, BigDecimal.ONE, 0, null)), first, 28);
        assertThat(f.getMonthToDateSpend()).isEqualByComparingTo("0");
        assertThat(f.getSpend7()).isEqualByComparingTo("100");
    }
}
