package io.spendshift.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The audit key, the keyed chain and its verification, and credential redaction, without Quarkus. */
class AuditChainTest {

    static final String KEY_A = "first-audit-key-0123456789abcdefghij";
    static final String KEY_B = "second-audit-key-0123456789abcdefghij";
    static final Instant T0 = Instant.parse("2026-03-01T06:00:00Z");

    /** An entry chained onto {@code prev}; signed with {@code keys}, or plain sha-256 when null (before keys). */
    static AuditEntry entry(long seq, String details, String prevHash, AuditKeys keys) {
        AuditEntry e = new AuditEntry();
        e.seq = seq;
        e.at = T0.plusSeconds(seq);
        e.actor = "anna";
        e.action = "PORTFOLIO_UPDATED";
        e.entityType = "portfolio";
        e.entityId = "brand-fr";
        e.portfolio = "brand-fr";
        e.details = details;
        e.prevHash = prevHash;
        e.keyId = keys == null ? null : keys.currentId();
        e.hash = keys == null ? AuditChain.legacySha256(e) : keys.sign(AuditChain.content(e));
        return e;
    }

    /** {@code legacy} unkeyed entries, then {@code signed} entries signed with {@code keys}. */
    static List<AuditEntry> chain(int legacy, int signed, AuditKeys keys) {
        List<AuditEntry> chain = new ArrayList<>();
        String prev = AuditChain.GENESIS;
        for (int i = 1; i <= legacy + signed; i++) {
            AuditEntry e = entry(i, "{\"n\":" + i + "}", prev, i <= legacy ? null : keys);
            chain.add(e);
            prev = e.hash;
        }
        return chain;
    }

    static AuditService.Verification verify(List<AuditEntry> chain, AuditKeys keys) {
        ChainVerifier v = new ChainVerifier(keys);
        for (AuditEntry e : chain) {
            if (!v.accept(e)) {
                break;
            }
        }
        return v.result(chain.size());
    }

    /** What an attacker with write access but no key can do: rewrite an entry and re-chain the rest with sha-256. */
    static void rewriteAndRechain(List<AuditEntry> chain, int index, boolean dropKeyId) {
        chain.get(index).details = "{\"n\":\"forged\"}";
        String prev = index == 0 ? AuditChain.GENESIS : chain.get(index - 1).hash;
        for (int i = index; i < chain.size(); i++) {
            AuditEntry e = chain.get(i);
            e.prevHash = prev;
            if (dropKeyId) {
                e.keyId = null;
            }
            e.hash = AuditChain.legacySha256(e);
            prev = e.hash;
        }
    }

    @Test
    void aKeyIsNamedByAStableIdThatRevealsNothingOfIt() {
        AuditKeys a = AuditKeys.of(KEY_A, List.of());
        assertThat(a.currentId()).matches("[0-9a-f]{16}").isEqualTo(AuditKeys.of(KEY_A, null).currentId())
                .isNotEqualTo(AuditKeys.of(KEY_B, List.of()).currentId());
        assertThat(a.toString()).doesNotContain(KEY_A);
        assertThat(AuditKeys.of(KEY_B, List.of(KEY_A, " ")).ids())
                .containsExactly(AuditKeys.of(KEY_B, null).currentId(), a.currentId());
    }

    @Test
    void aShortKeyIsRefusedWithoutBeingShown() {
        assertThatThrownBy(() -> AuditKeys.of("too-short-key", List.of()))
                .hasMessageContaining("spendshift.audit.key must be at least 32 characters")
                .hasMessageNotContaining("too-short-key");
        assertThatThrownBy(() -> AuditKeys.of(KEY_A, List.of("short-old-key")))
                .hasMessageContaining("spendshift.audit.previous-keys").hasMessageNotContaining("short-old-key");
    }

    @Test
    void outsideDemoModeAMissingKeyStopsStartUpWithAClearMessage(@TempDir Path dir) {
        Path file = dir.resolve("audit.key");
        assertThatThrownBy(() -> AuditKeys.load(false, Optional.empty(), Optional.empty(), file))
                .isInstanceOf(AuditKeys.MissingKey.class)
                .hasMessageContaining("No audit key is configured")
                .hasMessageContaining("spendshift.audit.key")
                .hasMessageContaining("SPENDSHIFT_AUDIT_KEY");
        assertThatThrownBy(() -> AuditKeys.load(false, Optional.of("  "), Optional.empty(), file))
                .isInstanceOf(AuditKeys.MissingKey.class);
        assertThat(file).doesNotExist();
        assertThat(AuditKeys.load(false, Optional.of(KEY_A), Optional.empty(), file).currentId())
                .isEqualTo(AuditKeys.of(KEY_A, null).currentId());
    }

    @Test
    void demoModeGeneratesAKeyFileOnlyItsOwnerCanReadAndKeepsUsingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data").resolve("audit.key");
        AuditKeys first = AuditKeys.load(true, Optional.empty(), Optional.empty(), file);
        AuditKeys again = AuditKeys.load(true, Optional.empty(), Optional.empty(), file);
        assertThat(again.currentId()).isEqualTo(first.currentId());
        assertThat(Files.readString(file).trim()).hasSizeGreaterThanOrEqualTo(AuditKeys.MIN_LENGTH);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var listing = Files.list(file.getParent())) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("audit.key");
        }
        // a configured key wins over the file, also in demo mode
        assertThat(AuditKeys.load(true, Optional.of(KEY_A), Optional.empty(), file).currentId())
                .isEqualTo(AuditKeys.of(KEY_A, null).currentId());
    }

    @Test
    void aSignedChainVerifiesAndAForgerWithoutTheKeyCannotReChainIt() {
        AuditKeys keys = AuditKeys.of(KEY_A, List.of());
        assertThat(verify(chain(0, 5, keys), keys)).extracting("valid", "entries", "firstBrokenSeq")
                .containsExactly(true, 5L, null);

        // the old attack: rewrite entry 3, recompute every hash after it with the public sha-256
        List<AuditEntry> forged = chain(0, 5, keys);
        rewriteAndRechain(forged, 2, false);
        AuditService.Verification v = verify(forged, keys);
        assertThat(v.valid()).isFalse();
        assertThat(v.firstBrokenSeq()).isEqualTo(3L);
        assertThat(v.reason()).contains("signature does not match");

        // ... or pass the rewritten tail off as entries from before audit keys
        List<AuditEntry> downgraded = chain(0, 5, keys);
        rewriteAndRechain(downgraded, 2, true);
        assertThat(verify(downgraded, keys).firstBrokenSeq()).isEqualTo(3L);
        assertThat(verify(downgraded, keys).reason()).contains("no key id");

        // ... or a signature under a key of one's own, with the right key id
        List<AuditEntry> otherKey = chain(0, 5, keys);
        AuditEntry e = otherKey.get(4);
        e.details = "{\"n\":\"forged\"}";
        e.hash = AuditKeys.of(KEY_B, null).sign(AuditChain.content(e));
        assertThat(verify(otherKey, keys).firstBrokenSeq()).isEqualTo(5L);
    }

    @Test
    void entriesFromBeforeAuditKeysVerifyAsThePrefixTheFirstSignedEntryCovers() {
        AuditKeys keys = AuditKeys.of(KEY_A, List.of());
        AuditService.Verification ok = verify(chain(3, 2, keys), keys);
        assertThat(ok.valid()).isTrue();
        assertThat(ok.legacyEntries()).isEqualTo(3);

        // rewriting a legacy entry and its legacy successors is found at the first signed entry
        List<AuditEntry> rewritten = chain(3, 2, keys);
        rewritten.get(1).details = "{\"n\":\"forged\"}";
        String prev = rewritten.get(0).hash;
        for (int i = 1; i < 3; i++) {
            rewritten.get(i).prevHash = prev;
            rewritten.get(i).hash = AuditChain.legacySha256(rewritten.get(i));
            prev = rewritten.get(i).hash;
        }
        assertThat(verify(rewritten, keys).firstBrokenSeq()).isEqualTo(4L);

        // the whole chain rewritten without keys: nothing signed at all is refused
        List<AuditEntry> all = chain(0, 4, keys);
        rewriteAndRechain(all, 0, true);
        AuditService.Verification none = verify(all, keys);
        assertThat(none.valid()).isFalse();
        assertThat(none.reason()).contains("no entry is signed");
        assertThat(verify(List.of(), keys).valid()).isTrue();
    }

    @Test
    void afterARotationEachEntryIsVerifiedWithItsOwnKeyAndAMissingOneIsNamed() {
        AuditKeys old = AuditKeys.of(KEY_A, List.of());
        AuditKeys rotated = AuditKeys.of(KEY_B, List.of(KEY_A));
        List<AuditEntry> chain = chain(1, 2, old);
        chain.add(entry(4, "{\"rotated\":true}", chain.get(2).hash, rotated));
        chain.add(entry(5, "{\"n\":5}", chain.get(3).hash, rotated));
        assertThat(verify(chain, rotated).valid()).isTrue();

        AuditService.Verification withoutOld = verify(chain, AuditKeys.of(KEY_B, List.of()));
        assertThat(withoutOld.valid()).isFalse();
        assertThat(withoutOld.firstBrokenSeq()).isEqualTo(2L);
        assertThat(withoutOld.reason()).contains(old.currentId()).contains("spendshift.audit.previous-keys")
                .doesNotContain(KEY_A);
    }

    @Test
    void aMissingOrReorderedEntryBreaksTheChain() {
        AuditKeys keys = AuditKeys.of(KEY_A, List.of());
        List<AuditEntry> gap = chain(0, 5, keys);
        gap.remove(2);
        assertThat(verify(gap, keys)).extracting("valid", "firstBrokenSeq").containsExactly(false, 4L);
        List<AuditEntry> relinked = chain(0, 3, keys);
        relinked.get(2).prevHash = relinked.get(0).hash;
        assertThat(verify(relinked, keys).reason()).contains("prevHash");
    }

    @Test
    void fingerprintsAreShortKeyedAndShowAChange() {
        AuditKeys a = AuditKeys.of(KEY_A, List.of());
        String fp = a.fingerprint("webhook-secret-0001");
        assertThat(fp).matches("redacted:hmac-sha256:[0-9a-f]{8}").isEqualTo(a.fingerprint("webhook-secret-0001"))
                .isNotEqualTo(a.fingerprint("webhook-secret-0002"))
                .isNotEqualTo(AuditKeys.of(KEY_B, null).fingerprint("webhook-secret-0001"));
    }

    @Test
    void credentialsInDetailsBecomeFingerprintsAndEverythingElseStays() throws Exception {
        ObjectMapper json = new ObjectMapper();
        AuditKeys keys = AuditKeys.of(KEY_A, List.of());
        JsonNode details = json.readTree("""
                {"patch": {"webhook": {"url": "https://hooks.example/budgets", "secret": "whsec-0123456789abcdef"},
                           "source": {"type": "HTTP", "url": "https://feed:pa55@perf.example/x", "bearerToken": "tok-1"}},
                 "after": {"webhook": {"secretSet": true}, "source": {"bearerTokenSet": true}},
                 "connectors": [{"client-secret": "cs-1", "refresh_token": "rt-1", "developerToken": 12345,
                                 "credentials": {"user": "u", "password": "p"}, "oauth-url": "https://oauth.example"}],
                 "moved": 200.00}
                """);
        String out = json.writeValueAsString(SecretRedactor.redact(details, keys::fingerprint));
        assertThat(out).doesNotContain("whsec-0123456789abcdef", "tok-1", "pa55", "cs-1", "rt-1", "12345", "\"u\"",
                "\"p\"");
        JsonNode r = json.readTree(out);
        assertThat(r.at("/patch/webhook/secret").asText()).isEqualTo(keys.fingerprint("whsec-0123456789abcdef"));
        assertThat(r.at("/patch/source/bearerToken").asText()).isEqualTo(keys.fingerprint("tok-1"));
        assertThat(r.at("/patch/source/url").asText()).isEqualTo("https://redacted@perf.example/x");
        assertThat(r.at("/patch/webhook/url").asText()).isEqualTo("https://hooks.example/budgets");
        assertThat(r.at("/after/webhook/secretSet").asBoolean()).isTrue();
        assertThat(r.at("/after/source/bearerTokenSet").asBoolean()).isTrue();
        assertThat(r.at("/connectors/0/developerToken").asText()).startsWith("redacted:hmac-sha256:");
        assertThat(r.at("/connectors/0/credentials/user").asText()).startsWith("redacted:hmac-sha256:");
        assertThat(r.at("/connectors/0/oauth-url").asText()).isEqualTo("https://oauth.example");
        // a fingerprint is not fingerprinted again
        String once = keys.fingerprint("tok-1");
        assertThat(SecretRedactor.redact(json.readTree("{\"token\":\"" + once + "\"}"), keys::fingerprint)
                .get("token").asText()).isEqualTo(once);
    }

    @Test
    void aStartWithAnotherKeyThanTheNewestEntrysIsRecordedNamingThePreviousOne() {
        AuditKeys old = AuditKeys.of(KEY_A, List.of());
        AuditKeys rotated = AuditKeys.of(KEY_B, List.of(KEY_A));
        assertThat(AuditService.rotation(0, null, rotated)).as("an empty chain").isNull();
        assertThat(AuditService.rotation(7, rotated.currentId(), rotated)).as("same key again").isNull();
        assertThat(AuditService.rotation(7, old.currentId(), rotated))
                .containsEntry("keyId", rotated.currentId()).containsEntry("previousKeyId", old.currentId())
                .containsEntry("previousKeyConfigured", true);
        assertThat(AuditService.rotation(7, old.currentId(), AuditKeys.of(KEY_B, null)))
                .containsEntry("previousKeyConfigured", false);
        // the first start after the upgrade: the newest entry is an unkeyed one
        assertThat(AuditService.rotation(7, null, old)).containsEntry("previousKeyId", null)
                .containsEntry("previousScheme", "SHA-256 (entries written before audit keys)");
    }
}
