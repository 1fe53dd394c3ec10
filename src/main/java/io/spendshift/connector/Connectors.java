package io.spendshift.connector;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spendshift.outbound.OutboundGuard;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The configured connectors, by name. Each one calls its platform through the {@link OutboundGuard} (so only
 * allowed hosts are reached), with the timeouts, retries and backoff of {@code spendshift.connectors.*}.
 */
@ApplicationScoped
public class Connectors {

    private final List<AdConnector> all;

    Connectors(ConnectorsConfig config, OutboundGuard outbound, ObjectMapper json, Clock clock) {
        ConnectorsConfig.GoogleAds g = config.googleAds();
        ConnectorsConfig.MetaAds m = config.metaAds();
        PlatformCalls.Sleeper sleeper = d -> Thread.sleep(d.toMillis());
        this.all = List.of(
                new GoogleAdsConnector(new GoogleAdsConnector.Settings(g.baseUrl(), g.apiVersion(), g.oauthUrl(),
                        g.developerToken().orElse(null), g.clientId().orElse(null), g.clientSecret().orElse(null),
                        g.refreshToken().orElse(null), g.loginCustomerId().orElse(null)),
                        calls("Google Ads", config, outbound, sleeper), json, clock),
                new MetaAdsConnector(new MetaAdsConnector.Settings(m.baseUrl(), m.apiVersion(),
                        m.accessToken().orElse(null)), calls("Meta Ads", config, outbound, sleeper), json));
    }

    private static PlatformCalls calls(String platform, ConnectorsConfig c, OutboundGuard outbound,
                                       PlatformCalls.Sleeper sleeper) {
        return new PlatformCalls(platform, outbound.client(c.timeout()), c.attempts(), c.backoff(), c.maxBackoff(),
                c.timeout(), sleeper);
    }

    public List<AdConnector> all() {
        return all;
    }

    public Optional<AdConnector> byName(String name) {
        return all.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
