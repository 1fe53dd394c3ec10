package io.spendshift.learning;

import io.spendshift.policy.ChannelFacts;

import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The fitted response of each of a portfolio's channels, with priors pooled across them. */
public final class PortfolioModel {

    private final Map<String, ResponseModel> channels;

    PortfolioModel(Map<String, ResponseModel> channels) {
        this.channels = Collections.unmodifiableMap(new LinkedHashMap<>(channels));
    }

    /** Fits every channel on its history before {@code asOf}. */
    public static PortfolioModel fit(List<ChannelHistory> histories, LocalDate asOf) {
        return ResponseModel.fitAll(histories, asOf);
    }

    public Map<String, ResponseModel> channels() {
        return channels;
    }

    /**
     * Writes each channel's marginal value per unit of spend and its confidence into the facts the rules see,
     * where the model has them.
     */
    public void annotate(List<ChannelFacts> facts) {
        for (ChannelFacts f : facts) {
            ResponseModel m = channels.get(f.getChannel());
            if (m != null) {
                m.annotate(f);
            }
        }
    }

    /** The channel's model, or null when the channel had no usable history. */
    public ResponseModel get(String channel) {
        return channels.get(channel);
    }
}
