package io.spendshift.connector;

/**
 * A platform call that failed, in Spendshift's words (never a credential, never the platform's own text):
 * fit for {@code lastError}, answers and the audit trail. {@code unavailable} is true when the platform could not
 * be reached or kept failing (network, 5xx, rate limits after the retries), false when it refused.
 */
public class ConnectorException extends RuntimeException {

    private final boolean unavailable;

    public ConnectorException(String message, boolean unavailable) {
        super(message, null, false, false);
        this.unavailable = unavailable;
    }

    public ConnectorException(String message) {
        this(message, false);
    }

    public boolean unavailable() {
        return unavailable;
    }
}
