package io.spendshift.outbound;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * How Spendshift signs what it POSTs to a receiver (the budget webhook and WEBHOOK notification targets), so the
 * receiver can check who sent it and that it is fresh:
 * <ul>
 * <li>{@code X-Spendshift-Timestamp: <t>}: unix seconds when this attempt was signed (each retry is signed anew);</li>
 * <li>{@code X-Spendshift-Signature-V1: t=<t>,v1=<hex>}: {@code hex} = HMAC-SHA256 under the portfolio's webhook
 * secret of the bytes {@code <t> + "." + <body>}. Receivers recompute it, compare in constant time, and reject a
 * {@code t} more than {@link #REPLAY_WINDOW} away from their clock (a captured request cannot be replayed later).</li>
 * </ul>
 * The older {@code X-Spendshift-Signature: sha256=<hex>} header is still sent for receivers built against it.
 */
public final class WebhookSignature {

    public static final String TIMESTAMP_HEADER = "X-Spendshift-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Spendshift-Signature-V1";
    /** The older header: HMAC of the body alone (budget webhook) or of {@code t.body} (notifications). */
    public static final String LEGACY_SIGNATURE_HEADER = "X-Spendshift-Signature";
    /** How far from the receiver's clock a timestamp may be: older (or later) requests are rejected. */
    public static final Duration REPLAY_WINDOW = Duration.ofMinutes(5);

    private WebhookSignature() {
    }

    /** Hex HMAC-SHA256 of {@code timestamp + "." + body} under {@code secret}. */
    public static String sign(String secret, long timestamp, byte[] body) {
        return hmac(secret, (timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
    }

    /** The value of {@link #SIGNATURE_HEADER}: {@code t=<timestamp>,v1=<hex>}. */
    public static String header(String secret, long timestamp, byte[] body) {
        return "t=" + timestamp + ",v1=" + sign(secret, timestamp, body);
    }

    /** Adds the timestamp and signature headers of {@code body} signed at {@code now}. */
    public static HttpRequest.Builder signed(HttpRequest.Builder request, String secret, Instant now, byte[] body) {
        long t = now.getEpochSecond();
        return request.header(TIMESTAMP_HEADER, Long.toString(t)).header(SIGNATURE_HEADER, header(secret, t, body));
    }

    /**
     * What a receiver does: true when {@code header} ({@link #SIGNATURE_HEADER}) carries a {@code v1} signature of
     * {@code body} under {@code secret} and its {@code t} is within {@code window} of {@code now}.
     */
    public static boolean verify(String secret, String header, byte[] body, Instant now, Duration window) {
        if (header == null) {
            return false;
        }
        Long t = null;
        java.util.List<String> candidates = new java.util.ArrayList<>();
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                continue;
            }
            if (kv[0].equals("t")) {
                try {
                    t = Long.parseLong(kv[1]);
                } catch (NumberFormatException e) {
                    return false;
                }
            } else if (kv[0].equals("v1")) {
                candidates.add(kv[1]);
            }
        }
        if (t == null || Math.abs(now.getEpochSecond() - t) > window.toSeconds()) {
            return false;
        }
        byte[] expected = sign(secret, t, body).getBytes(StandardCharsets.US_ASCII);
        for (String c : candidates) {
            if (MessageDigest.isEqual(expected, c.getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }

    /** Hex HMAC-SHA256 of the concatenated parts under {@code secret}. */
    public static String hmac(String secret, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
