package io.spendshift.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** The hash of an audit entry: sha-256 over its content and the previous entry's hash. */
public final class AuditChain {

    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    public static String hash(long seq, Instant at, String actor, String action, String entityType, String entityId,
                              String portfolio, String ruleSetVersion, String details, String prevHash) {
        String content = String.join("\u001f", Long.toString(seq), at.toString(), actor, action, entityType, entityId,
                nz(portfolio), nz(ruleSetVersion), details, prevHash);
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hash(AuditEntry e) {
        return hash(e.seq, e.at, e.actor, e.action, e.entityType, e.entityId, e.portfolio, e.ruleSetVersion,
                e.details, e.prevHash);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
