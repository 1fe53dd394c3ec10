package io.spendshift.outbound;

/**
 * An outbound call the policy refused before anything was sent (or before a redirect was followed). The
 * message is a short classification fit for {@code lastError} and the audit trail, never remote text.
 */
public class OutboundRefusedException extends RuntimeException {

    public OutboundRefusedException(String reason) {
        super("refused: " + reason);
    }
}
