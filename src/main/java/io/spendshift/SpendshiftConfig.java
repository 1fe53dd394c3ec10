package io.spendshift;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Spendshift's own configuration ({@code spendshift.*}); every item is documented in the README. */
@ConfigMapping(prefix = "spendshift")
public interface SpendshiftConfig {

    /** Demo mode: demo users and the simulated demo portfolio. On by default in the embedded H2 build. */
    boolean demo();

    /** The policy folder. */
    Rules rules();

    /** Performance sources. */
    Sources sources();

    /** Recommendations under review. */
    Recommendations recommendations();

    /** Reallocation runs. */
    Runs runs();

    /** The budget webhook sink. */
    Webhook webhook();

    /** The audit chain's key and its anchoring. */
    Audit audit();

    /** Bearer tokens. */
    Jwt jwt();

    /** The daily check of applied plans against their forecasts. */
    Verification verification();

    /** Limits of one metric upload (JSON or CSV, posted or dropped, previews too). */
    Ingest ingest();

    interface Ingest {
        /** The most data rows one upload may have (lines after a CSV header, JSON array items); more answer 413. */
        @WithDefault("1000000")
        long maxRows();

        /** The most distinct campaigns no channel claims that one CSV export may name; more answer 413. */
        @WithDefault("250000")
        long maxDistinctCampaigns();
    }

    interface Verification {
        /** When applied plans are checked (Quartz cron, in the service's time zone, UTC by default; {@code off} disables). */
        @WithDefault("0 30 5 * * ?")
        String cron();
    }

    interface Audit {
        /** HMAC-SHA256 key that signs the audit chain (at least 32 characters, from a Secret); required unless demo. */
        Optional<String> key();

        /** Earlier keys (comma-separated), so the entries they signed still verify after a rotation. */
        Optional<List<String>> previousKeys();

        /** Demo mode without a configured key: the generated key is kept in this file (owner-only), outside the database. */
        @WithDefault("data/audit.key")
        Path keyFile();

        /** When the chain's head is logged for anchoring elsewhere (Quartz cron, UTC; {@code off} disables). */
        @WithDefault("0 0 0 * * ?")
        String headLogCron();
    }

    interface Jwt {
        /** The audience a bearer token's {@code aud} must contain ({@code mp.jwt.verify.audiences} follows it). */
        @WithDefault("spendshift")
        String audience();
    }
    /** Outbound calls (sources, webhooks, connectors, notifiers). */
    Outbound outbound();

    /** The web console's address, for links in notifications. */
    @WithDefault("http://localhost:8080/")
    String consoleUrl();

    /** Notifications (Slack, e-mail, webhooks) from the outbox. */
    @io.smallrye.config.WithName("notify")
    Notify notifications();

    interface Notify {
        /** How often the dispatcher sends what is due ({@code off} disables it). */
        @WithDefault("5s")
        String interval();

        /** Timeout of one delivery attempt (HTTP). */
        @WithDefault("10s")
        Duration timeout();

        /** Attempts before a delivery is FAILED. */
        @WithDefault("8")
        int attempts();

        /** Pause before the first retry, doubled for each further one. */
        @WithDefault("30s")
        Duration backoff();

        /** The longest pause between two attempts. */
        @WithDefault("1h")
        Duration maxBackoff();

        /** Digest targets get the day's events once a day at this time, in the portfolio's time zone. */
        @WithDefault("08:00")
        java.time.LocalTime digestTime();

        /** How long a dispatcher owns the rows it claimed before another instance may take them over. */
        @WithDefault("2m")
        Duration lease();

        /** Rows looked at per dispatch. */
        @WithDefault("100")
        int batch();
    }

    interface Recommendations {
        /** A PROPOSED recommendation older than this expires. */
        @WithDefault("72h")
        Duration expireAfter();

        /** How often expiry is checked ({@code off} disables). */
        @WithDefault("10m")
        String expireCheck();
    }

    interface Runs {
        /** A run lock older than this belongs to a dead instance and may be taken over. */
        @WithDefault("30m")
        Duration staleLockAfter();

        /** How often each instance records that it is alive and closes what dead instances left open. */
        @WithDefault("10s")
        Duration heartbeat();

        /**
         * An instance not heard of for this long is dead: its RUNNING runs end FAILED and its run locks are
         * released. Must be several heartbeats.
         */
        @WithDefault("60s")
        Duration instanceLostAfter();

        /** This instance's name in runs, locks and heartbeats (default: host name and a random suffix). */
        java.util.Optional<String> instanceId();
    }

    interface Webhook {
        /** Timeout of one delivery attempt. */
        @WithDefault("5s")
        Duration timeout();

        /** Attempts before a delivery fails. */
        @WithDefault("4")
        int attempts();

        /** Pause before the first retry, doubled for each further one. */
        @WithDefault("500ms")
        Duration backoff();

        /** No retry starts after this much time since the first attempt. */
        @WithDefault("30s")
        Duration deadline();
    }

    interface Rules {
        /** Folder of DRL files, decision tables and scenarios, relative to the working directory. */
        @WithDefault("rules")
        Path dir();

        /** Reload by itself when a file under the folder changes. */
        @WithDefault("true")
        boolean watch();

        /** Quiet time after the last change before the watcher reloads (editors write files in bursts). */
        @WithDefault("500ms")
        Duration watchDebounce();

        /** Wall-clock limit of one rule compilation or evaluation asked for by a strategist (validate,
         * scenarios, simulations); beyond it the call answers 422. */
        @WithDefault("10s")
        Duration evalTimeout();

        /** Rule compilations or evaluations asked for by strategists that may run at once; more answer 429. */
        @WithDefault("2")
        int maxConcurrent();

        /** Memory one rule evaluation may allocate (any evaluation: runs, dry runs, scenarios, simulations);
         * beyond it the evaluation is stopped and a strategist's call answers 422. */
        @WithDefault("256M")
        io.quarkus.runtime.configuration.MemorySize evalMemory();
    }

    interface Sources {
        /** CSV drop folder; files in {@code <dropDir>/<portfolio>/} are ingested. */
        @WithDefault("data/drop")
        Path dropDir();

        /** Drop-folder files younger than this are left for the next poll (they may still be being written). */
        @WithDefault("2s")
        Duration dropMinAge();

        /** How often sources are polled ({@code off} disables polling). */
        @WithDefault("60s")
        String pollInterval();

        /** HTTP pull: connect and read timeout of one attempt. */
        @WithDefault("10s")
        Duration httpTimeout();

        /** HTTP pull: attempts before a pull is reported as failed. */
        @WithDefault("3")
        int httpAttempts();

        /** HTTP pull: pause before the first retry; doubled for each further one. */
        @WithDefault("500ms")
        Duration httpBackoff();

        /** HTTP pull: no retry starts after this much time since the first attempt. */
        @WithDefault("2m")
        Duration httpDeadline();
    }

    interface Outbound {
        /** Non-public destinations that may be called anyway: host names, IPs, CIDR ranges (default: none). */
        java.util.Optional<java.util.List<String>> allow();

        /** Circuit breaker of each destination (webhooks, HTTP sources): it opens when this many attempts in a
         * row failed. */
        @WithDefault("20")
        int breakerVolume();

        /** How long an open circuit stays open before one trial call is let through. */
        @WithDefault("30s")
        Duration breakerDelay();
    }
}
