package io.spendshift.market;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MarketTest {

    @Test
    void theSameSeedDayAndSpendGiveTheSameOutcome() {
        Market a = new Market(11, MarketGenerator.generate(11, 4));
        Market b = new Market(11, MarketGenerator.generate(11, 4));
        for (int day = 0; day < 30; day++) {
            assertThat(a.simulate(2, day, 500, 300)).isEqualTo(b.simulate(2, day, 500, 300));
        }
        assertThat(new Market(12, MarketGenerator.generate(11, 4)).simulate(2, 5, 500, 300))
                .isNotEqualTo(a.simulate(2, 5, 500, 300));
    }

    @Test
    void responseSaturatesAndAdstockCarriesOver() {
        ChannelModel c = new ChannelModel("c", "search", 100, 0.8, 1000, 0.5, 50, 150, 0.1, 1, 0.02, 1.2, 0, 1e9, 500);
        assertThat(c.response(0)).isZero();
        assertThat(c.response(1000)).isEqualTo(0.5, org.assertj.core.data.Offset.offset(1e-12));
        double gainLow = c.steadyValue(200) - c.steadyValue(100);
        double gainHigh = c.steadyValue(5000) - c.steadyValue(4900);
        assertThat(gainHigh).isLessThan(gainLow);
        assertThat(Market.adstock(c, 100, 50)).isEqualTo(100.0);
    }

    @Test
    void outcomesAreConsistentWithTheMetricRules() {
        Market m = new Market(3, MarketGenerator.generate(3, 8));
        for (int i = 0; i < 8; i++) {
            for (int day = 0; day < 20; day++) {
                Market.Day d = m.simulate(i, day, 800, 1000);
                assertThat(d.clicks()).isLessThanOrEqualTo(d.impressions());
                assertThat(d.conversions()).isGreaterThanOrEqualTo(d.newCustomers());
                assertThat(d.revenue()).isNotNegative();
            }
        }
        List<ChannelModel> generated = MarketGenerator.generate(3, 8);
        assertThat(generated).extracting(ChannelModel::kind).contains("search", "social", "display", "video");
    }

    @Test
    void aCalibratedChannelReturnsTheRoasAndLtvToCacAskedForAtItsBudget() {
        ChannelModel m = MarketGenerator.calibrated(42, "social", "social", 1200, 1.8, 2.6);
        Market market = new Market(42, List.of(m));
        double spend = 0, revenue = 0, customers = 0, value = 0, adstock = 0;
        for (long day = 0; day < 400; day++) {
            Market.Day d = market.simulate(0, day, 1200, adstock);
            adstock = d.adstock();
            if (day >= 30) {
                spend += d.spend();
                revenue += d.revenue();
                customers += d.newCustomers();
                value += d.value();
            }
        }
        assertThat(revenue / spend).isBetween(1.8 * 0.9, 1.8 * 1.1);
        assertThat((value / customers) / (spend / customers)).isBetween(2.6 * 0.9, 2.6 * 1.1);
    }
}
