package io.spendshift.audit;

/**
 * Walks the audit chain in order of {@code seq} and finds the first entry that does not verify. Each entry must
 * follow its predecessor without a gap, name its hash as {@code prevHash}, and carry a hash that matches its
 * content: an HMAC under the key its {@code keyId} names, or, for entries written before audit keys existed
 * (no key id), a plain sha-256. Unkeyed entries are accepted only as the prefix of the chain: the first signed
 * entry covers the last unkeyed one's hash, so the prefix cannot be rewritten either. A non-empty chain with no
 * signed entry at all is refused (a service with a key signs one at start-up), so the whole chain cannot be
 * downgraded to unkeyed hashes.
 */
final class ChainVerifier {

    private final AuditKeys keys;
    private String prev = AuditChain.GENESIS;
    private long expectedSeq = 1;
    private long count;
    private long legacy;
    private boolean signedSeen;
    private Long brokenSeq;
    private String reason;

    ChainVerifier(AuditKeys keys) {
        this.keys = keys;
    }

    /** Checks the next entry; false once the chain is broken (later entries are not looked at). */
    boolean accept(AuditEntry e) {
        if (brokenSeq != null) {
            return false;
        }
        count++;
        String problem = problem(e);
        if (problem != null) {
            brokenSeq = e.seq;
            reason = "entry " + e.seq + ": " + problem;
            return false;
        }
        prev = e.hash.trim();
        expectedSeq++;
        return true;
    }

    private String problem(AuditEntry e) {
        if (e.seq != expectedSeq) {
            return "entry " + expectedSeq + " is missing before it";
        }
        if (!e.prevHash.trim().equals(prev)) {
            return "its prevHash is not the hash of the entry before it";
        }
        String hash = e.hash.trim();
        if (e.keyId == null || e.keyId.isBlank()) {
            if (signedSeen) {
                return "it carries no key id, but entries before it are signed with an audit key";
            }
            if (!AuditChain.legacySha256(e).equals(hash)) {
                return "its hash does not match its content";
            }
            legacy++;
            return null;
        }
        if (!keys.knows(e.keyId)) {
            return "it is signed with audit key " + e.keyId
                    + ", which is not configured (add it to spendshift.audit.previous-keys)";
        }
        signedSeen = true;
        if (!keys.matches(e.keyId, AuditChain.content(e), hash)) {
            return "its signature does not match its content";
        }
        return null;
    }

    /** The outcome of the walk; {@code total} is the number of entries in the trail. */
    AuditService.Verification result(long total) {
        if (brokenSeq == null && count > 0 && !signedSeen) {
            return new AuditService.Verification(false, total, 1L, "no entry is signed with an audit key: the chain"
                    + " was written, or rewritten, without one", legacy, keys.currentId());
        }
        return new AuditService.Verification(brokenSeq == null, brokenSeq == null ? count : total, brokenSeq, reason,
                legacy, keys.currentId());
    }
}
