package io.spendshift.rules;

import io.spendshift.policy.ChannelFacts;
import io.spendshift.policy.PortfolioFacts;

import java.util.List;

/**
 * Today's facts of a portfolio, as the rules would see them in a run: what a candidate rule set is tried on before
 * it becomes active. Implemented by the facts feature (which depends on the rules, not the other way round).
 */
public interface CurrentFacts {

    /** The portfolio's facts and its channels' facts. */
    record Sample(PortfolioFacts portfolio, List<ChannelFacts> channels) {
    }

    Sample today(String portfolioKey);
}
