package io.spendshift.learning;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One channel's fitted response of daily value to daily spend, with its uncertainty. */
public final class ResponseModel {

    // placeholder until the estimator lands
    static PortfolioModel fitAll(List<ChannelHistory> histories, LocalDate asOf) {
        Map<String, ResponseModel> m = new LinkedHashMap<>();
        return new PortfolioModel(m);
    }

    /** Writes the marginal value, its confidence and interval into a channel's facts. */
    void annotate(io.spendshift.policy.ChannelFacts f) {
    }

    /** True when the elasticity is known well enough to act on. */
    public boolean identified() {
        return false;
    }
}
