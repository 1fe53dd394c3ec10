package io.spendshift.audit;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.spendshift.Api;
import io.spendshift.LogCapture;
import io.spendshift.SpendshiftConfig;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.spendshift.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The keyed audit chain through the service: signed entries, a forger who can write the database but has no
 * key, key rotation recorded in the chain, and the head to anchor elsewhere.
 */
@QuarkusTest
class AuditKeyTest {

    @Inject
    AuditService audit;
    @Inject
    EntityManager em;
    @Inject
    SpendshiftConfig config;

    static long firstSeqOf(String portfolio) {
        return as("viewer").get("/api/v1/audit?portfolio=" + portfolio).then().statusCode(200)
                .extract().<Number>path("items[0].seq").longValue();
    }

    @Test
    void everyEntryIsSignedWithTheKeyItNamesAndTheHeadIsTheNewestEntry() {
        String key = Api.portfolioWithChannels("signed", "search", "social");
        String keyId = audit.currentKeyId();
        as("viewer").get("/api/v1/audit?portfolio=" + key).then().statusCode(200)
                .body("items", org.hamcrest.Matchers.not(org.hamcrest.Matchers.empty()))
                .body("items.keyId", everyItem(equalTo(keyId)))
                .body("items.hash", everyItem(org.hamcrest.Matchers.matchesPattern("[0-9a-f]{64}")));
        var newest = as("viewer").get("/api/v1/audit?order=desc&size=1").then().extract().jsonPath();
        as("viewer").get("/api/v1/audit/head").then().statusCode(200)
                .body("seq", equalTo(newest.getInt("items[0].seq")))
                .body("hash", equalTo(newest.getString("items[0].hash")))
                .body("at", equalTo(newest.getString("items[0].at")))
                .body("keyId", equalTo(keyId));
        as("viewer").get("/api/v1/audit/verify").then().statusCode(200)
                .body("valid", equalTo(true)).body("firstBrokenSeq", org.hamcrest.Matchers.nullValue())
                .body("keyId", equalTo(keyId));
        as("ingest").get("/api/v1/audit/head").then().statusCode(403).contentType("application/problem+json");
    }

    /** A row of audit_entry as it was, to put it back. */
    record Row(long seq, String details, String hash, String prevHash, String keyId) {
    }

    /**
     * What a DRL function (or anyone with write access to the database) did before: rewrite an entry and
     * recompute the chain after it with sha-256. Without the key it no longer passes for valid, whether the
     * rewritten entries keep their key id or pretend to be from before audit keys.
     */
    @Test
    void aForgerWhoCanWriteTheDatabaseButHasNoKeyCannotReChainTheTrail() {
        String key = Api.portfolioWithChannels("forge", "search", "social");
        long seq = firstSeqOf(key);
        for (boolean dropKeyId : new boolean[]{false, true}) {
            List<Row> original = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                            "from AuditEntry where seq >= ?1 order by seq", AuditEntry.class).setParameter(1, seq)
                    .getResultList().stream().map(e -> new Row(e.seq, e.details, e.hash, e.prevHash, e.keyId)).toList());
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    String prev = original.get(0).prevHash().trim();
                    for (Row r : original) {
                        AuditEntry e = em.find(AuditEntry.class, r.seq());
                        em.detach(e);
                        if (r.seq() == seq) {
                            e.details = "{\"portfolio\":{\"name\":\"rewritten\"}}";
                        }
                        e.prevHash = prev;
                        e.keyId = dropKeyId ? null : e.keyId;
                        e.hash = AuditChain.legacySha256(e);
                        em.createNativeQuery("UPDATE audit_entry SET details = ?1, prev_hash = ?2, key_id = ?3,"
                                        + " hash = ?4 WHERE seq = ?5").setParameter(1, e.details).setParameter(2, e.prevHash)
                                .setParameter(3, e.keyId).setParameter(4, e.hash).setParameter(5, e.seq).executeUpdate();
                        prev = e.hash;
                    }
                });
                as("viewer").get("/api/v1/audit/verify").then().statusCode(200)
                        .body("valid", equalTo(false))
                        .body("firstBrokenSeq", equalTo((int) seq))
                        .body("reason", containsString(dropKeyId ? "no key id" : "signature does not match"));
            } finally {
                QuarkusTransaction.requiringNew().run(() -> original.forEach(r -> em.createNativeQuery(
                                "UPDATE audit_entry SET details = ?1, prev_hash = ?2, key_id = ?3, hash = ?4 WHERE seq = ?5")
                        .setParameter(1, r.details()).setParameter(2, r.prevHash()).setParameter(3, r.keyId())
                        .setParameter(4, r.hash()).setParameter(5, r.seq()).executeUpdate()));
            }
            as("viewer").get("/api/v1/audit/verify").then().body("valid", equalTo(true));
        }
    }

    /**
     * Rotation as an operator does it: a new {@code spendshift.audit.key}, the old one in
     * {@code previous-keys}, a restart. The start-up path ({@link AuditService#install}) records the new key in an
     * entry signed by itself; earlier entries still verify with the key they name.
     */
    @Test
    void aNewKeyIsRecordedInTheChainAndEarlierEntriesVerifyWithTheirOwnKey() throws Exception {
        String oldKey = config.audit().key().isPresent() ? config.audit().key().get()
                : Files.readString(config.audit().keyFile()).trim();
        String oldId = audit.currentKeyId();
        String before = Api.portfolioWithChannels("before-rotation", "search");
        String newKey = "rotated-audit-key-" + UUID.randomUUID();
        AuditKeys rotated = AuditKeys.of(newKey, List.of(oldKey));
        String newId = rotated.currentId();

        audit.install(rotated);

        as("viewer").get("/api/v1/audit?action=AUDIT_KEY_ROTATED&order=desc").then().statusCode(200)
                .body("items[0].actor", equalTo("startup"))
                .body("items[0].entityType", equalTo("auditKey"))
                .body("items[0].entityId", equalTo(newId))
                .body("items[0].keyId", equalTo(newId))
                .body("items[0].details.keyId", equalTo(newId))
                .body("items[0].details.previousKeyId", equalTo(oldId))
                .body("items[0].details.previousKeyConfigured", equalTo(true));
        int rotations = as("viewer").get("/api/v1/audit?action=AUDIT_KEY_ROTATED").then().extract().path("total");
        String after = Api.portfolioWithChannels("after-rotation", "search");
        as("viewer").get("/api/v1/audit?portfolio=" + before).then()
                .body("items", org.hamcrest.Matchers.not(org.hamcrest.Matchers.empty()))
                .body("items.keyId", everyItem(equalTo(oldId)));
        as("viewer").get("/api/v1/audit?portfolio=" + after).then()
                .body("items", org.hamcrest.Matchers.not(org.hamcrest.Matchers.empty()))
                .body("items.keyId", everyItem(equalTo(newId)));
        as("viewer").get("/api/v1/audit/head").then().body("keyId", equalTo(newId));
        as("viewer").get("/api/v1/audit/verify").then().body("valid", equalTo(true)).body("keyId", equalTo(newId));

        // restarting with the same key records nothing new
        audit.install(rotated);
        as("viewer").get("/api/v1/audit?action=AUDIT_KEY_ROTATED").then().body("total", equalTo(rotations));

        // forgetting the old key: verify cannot vouch for its entries, and says which key it needs
        audit.install(AuditKeys.of(newKey, List.of()));
        try {
            as("viewer").get("/api/v1/audit/verify").then().body("valid", equalTo(false))
                    .body("reason", containsString(oldId)).body("reason", containsString("previous-keys"))
                    .body("firstBrokenSeq", notNullValue());
        } finally {
            audit.install(rotated);
        }
        as("viewer").get("/api/v1/audit/verify").then().body("valid", equalTo(true));
        as("viewer").get("/api/v1/audit?action=AUDIT_KEY_ROTATED").then().body("total", equalTo(rotations));
    }

    @Test
    void theHeadIsLoggedSoItCanBeAnchoredElsewhere() {
        Api.portfolioWithChannels("anchor", "search");
        try (LogCapture log = LogCapture.of("io.spendshift.audit.head")) {
            AuditService.Head head = audit.logHead();
            assertThat(head.seq()).isPositive();
            assertThat(log.lines()).anySatisfy(line -> assertThat(line)
                    .contains("Audit chain head: seq=" + head.seq() + " hash=" + head.hash())
                    .contains("keyId=" + head.keyId()));
        }
        Map<String, Object> head = as("viewer").get("/api/v1/audit/head").then().statusCode(200)
                .extract().jsonPath().getMap("");
        assertThat(head).containsKeys("seq", "hash", "at");
    }
}
