package io.spendshift.source;

import io.spendshift.metrics.RawRowReader;

import java.time.LocalDate;
import java.util.List;

/**
 * A place a portfolio's daily performance comes from (an HTTP endpoint, the simulated market). A source
 * only reads: it hands rows to the {@link Sink}, which validates and stores them all-or-nothing.
 */
public interface PerformanceSource {

    /** What a source needs to know of the portfolio it pulls for. */
    record Target(String portfolio, LocalDate today, String url, String bearerToken, Long seed,
                  List<ChannelRef> channels) {
    }

    /**
     * A channel as a source sees it: key, kind, current budget, the last day with stored metrics (or null)
     * and the spend of up to 30 days ending that day, oldest first.
     */
    record ChannelRef(String key, String kind, java.math.BigDecimal dailyBudget, LocalDate lastDate,
                      List<java.math.BigDecimal> recentSpend) {
    }

    /** Where pulled rows go; returns the number of rows stored. */
    interface Sink {
        long accept(RawRowReader rows, String origin);
    }

    /** Pulls what is new; throws {@link SourceException} when the source failed. Returns rows stored. */
    long pull(Target target, Sink sink);

    /** A source that failed after its retries, with a message fit for the status page and the audit trail. */
    class SourceException extends RuntimeException {
        public SourceException(String message, Throwable cause) {
            super(message, cause);
        }

        public SourceException(String message) {
            super(message);
        }
    }
}
