package io.spendshift.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rule's word to people about a channel, without moving or freezing it: it reaches the recommendation
 * ({@code flags}), {@code GET /performance} and the audit. {@code severity}: {@code info}, {@code warning} or
 * {@code critical} (anything else is read as {@code warning}). {@code rule}: pass {@code drools.getRule().getName()} (the
 * three-argument form leaves it null).
 */
public record Flag(String channel, String severity, String message, String rule) implements Explainable {

    public static final java.util.Set<String> SEVERITIES = java.util.Set.of("info", "warning", "critical");

    /** A flag as a rule writes it: {@code new Flag($ch, "warning", "CAC above LTV for 14 days")}. */
    public Flag(String channel, String severity, String message) {
        this(channel, severity, message, null);
    }

    public Flag {
        severity = severity == null || !SEVERITIES.contains(severity) ? "warning" : severity;
    }

    @Override
    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "Flag");
        m.put("channel", channel);
        m.put("severity", severity);
        m.put("message", message);
        return m;
    }

    public String getChannel() { return channel; }
    public String getSeverity() { return severity; }
    public String getMessage() { return message; }
}
