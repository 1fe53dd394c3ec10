package io.spendshift.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The hash of an audit entry. Entries are signed with HMAC-SHA256 under the audit key named by their
 * {@code keyId}, over their content and the previous entry's hash, so write access to the database is not
 * enough to forge or re-chain them. Entries written before keys existed carry no key id and a plain sha-256
 * ({@link #legacySha256}); they are only accepted as the prefix of a chain (see {@link ChainVerifier}).
 */
public final class AuditChain {

    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {
    }

    /** The text an entry's hash is computed over; a keyed entry's key id is part of it. */
    static String content(long seq, Instant at, String actor, String action, String entityType, String entityId,
                          String portfolio, String ruleSetVersion, String details, String prevHash, String keyId) {
        String base = String.join("\u001f", Long.toString(seq), at.toString(), actor, action, entityType, entityId,
                nz(portfolio), nz(ruleSetVersion), details, prevHash);
        return keyId == null ? base : base + "\u001f" + keyId;
    }

    static String content(AuditEntry e) {
        return content(e.seq, e.at, e.actor, e.action, e.entityType, e.entityId, e.portfolio, e.ruleSetVersion,
                e.details, e.prevHash.trim(), e.keyId);
    }

    /** The hash of an entry written before audit keys existed: sha-256 of its content (no key id). */
    static String legacySha256(AuditEntry e) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(content(e).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
