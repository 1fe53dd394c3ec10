package io.spendshift.connector;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * The ad-platform connectors ({@code spendshift.connectors.*}). Credentials come from configuration only (on
 * Kubernetes from the Secret {@code spendshift-connectors}); they are never stored, shown, logged or audited.
 */
@ConfigMapping(prefix = "spendshift.connectors")
public interface ConnectorsConfig {

    /** Google Ads API (REST). */
    GoogleAds googleAds();

    /** Meta Marketing API (Graph). */
    MetaAds metaAds();

    /** When the platforms' budgets are compared with the channels' (Quartz cron, UTC; {@code off} disables). */
    @WithDefault("0 15 * * * ?")
    String driftCron();

    /** Timeout of one platform call. */
    @WithDefault("20s")
    Duration timeout();

    /** Attempts of one call when the platform is unavailable or rate-limits it. */
    @WithDefault("4")
    int attempts();

    /** Pause before the first retry, doubled for each further one. */
    @WithDefault("1s")
    Duration backoff();

    /** The longest single pause (rate limits asking for longer fail the call instead). */
    @WithDefault("60s")
    Duration maxBackoff();

    /** Days of metrics each pull reads again (late attribution), ending yesterday. */
    @WithDefault("7")
    int pullDays();

    /**
     * How often the scheduled source poll pulls a portfolio's connectors (a manual pull always does): the platforms'
     * quotas are small and their numbers settle over hours, not minutes.
     */
    @WithDefault("PT6H")
    Duration pullInterval();

    interface GoogleAds {
        /** The API's base URL. */
        @WithDefault("https://googleads.googleapis.com")
        String baseUrl();

        /** The API version in paths. */
        @WithDefault("v21")
        String apiVersion();

        /** OAuth2 token endpoint (refresh-token exchange). */
        @WithDefault("https://oauth2.googleapis.com/token")
        String oauthUrl();

        /** The developer token (header {@code developer-token}). */
        Optional<String> developerToken();

        /** OAuth2 client id. */
        Optional<String> clientId();

        /** OAuth2 client secret. */
        Optional<String> clientSecret();

        /** OAuth2 refresh token of a user with access to the accounts (scope .../auth/adwords). */
        Optional<String> refreshToken();

        /** The manager account the calls go through (header {@code login-customer-id}, digits only). */
        Optional<String> loginCustomerId();
    }

    interface MetaAds {
        /** The Graph API's base URL. */
        @WithDefault("https://graph.facebook.com")
        String baseUrl();

        /** The Graph API version in paths. */
        @WithDefault("v21.0")
        String apiVersion();

        /** A system-user access token with ads_read and ads_management. */
        Optional<String> accessToken();
    }
}
