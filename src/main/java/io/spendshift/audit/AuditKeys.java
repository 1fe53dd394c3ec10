package io.spendshift.audit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The audit chain's keys: the current one, which signs new entries, and the previous ones, which still verify
 * the entries they signed. A key is named only by its id (a fingerprint that reveals nothing of it); the keys
 * themselves are never logged, shown or stored in the database. Plain Java, so it is testable without Quarkus.
 */
public final class AuditKeys {

    /** The shortest key accepted, in characters. */
    public static final int MIN_LENGTH = 32;
    static final String REDACTED_PREFIX = "redacted:hmac-sha256:";

    private final Key current;
    private final Map<String, Key> byId = new LinkedHashMap<>();

    /** One key and its id; {@code toString} never shows the key. */
    private record Key(String id, byte[] secret) {
        @Override
        public String toString() {
            return "audit key " + id;
        }
    }

    private AuditKeys(String current, List<String> previous) {
        this.current = key(current, "spendshift.audit.key");
        byId.put(this.current.id(), this.current);
        for (String p : previous) {
            if (p != null && !p.isBlank()) {
                Key k = key(p, "spendshift.audit.previous-keys");
                byId.putIfAbsent(k.id(), k);
            }
        }
    }

    /** A key ring of a current key and the previous ones (blank entries are ignored). */
    public static AuditKeys of(String current, List<String> previous) {
        return new AuditKeys(current, previous == null ? List.of() : previous);
    }

    /**
     * The keys as configured. Without a configured key, demo mode reads the key from {@code keyFile}, creating
     * it (readable by its owner only) on first start; outside demo mode that is a start-up failure.
     */
    public static AuditKeys load(boolean demo, Optional<String> key, Optional<List<String>> previous, Path keyFile) {
        List<String> prev = previous.orElse(List.of());
        if (key.isPresent() && !key.get().isBlank()) {
            return of(key.get().trim(), prev);
        }
        if (!demo) {
            throw new MissingKey("No audit key is configured: set spendshift.audit.key (environment variable "
                    + "SPENDSHIFT_AUDIT_KEY, from a Secret) to a random text of at least " + MIN_LENGTH
                    + " characters, e.g. the output of `openssl rand -base64 32`. Without it the audit trail could be "
                    + "re-forged by anyone who can write to the database. Only demo mode generates a key by itself.");
        }
        return of(readOrCreate(keyFile), prev);
    }

    /** Start-up refused: no key outside demo mode. */
    public static final class MissingKey extends IllegalStateException {
        MissingKey(String message) {
            super(message);
        }
    }

    static String readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                Path dir = file.toAbsolutePath().getParent();
                Files.createDirectories(dir);
                // written whole under a temporary name, then moved in: never seen half-written
                Path tmp = posix(file)
                        ? Files.createTempFile(dir, ".audit-key", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                        : Files.createTempFile(dir, ".audit-key", ".tmp");
                try {
                    Files.writeString(tmp, generate() + "\n", StandardCharsets.UTF_8);
                    Files.move(tmp, file);
                } catch (FileAlreadyExistsException raced) {
                    // another instance on the same folder created it first: use theirs
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            if (posix(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("the demo audit key file " + file.toAbsolutePath()
                    + " cannot be read or created: " + e.getMessage(), e);
        }
    }

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private static boolean posix(Path file) {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** A fresh random key: 32 random bytes, base64 (44 characters). */
    static String generate() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    private static Key key(String text, String property) {
        if (text == null || text.trim().length() < MIN_LENGTH) {
            throw new IllegalStateException(property + " must be at least " + MIN_LENGTH
                    + " characters (a random text, e.g. `openssl rand -base64 32`); the configured one is shorter");
        }
        byte[] secret = text.trim().getBytes(StandardCharsets.UTF_8);
        return new Key(HexFormat.of().formatHex(mac(secret, "spendshift audit key id")).substring(0, 16), secret);
    }

    /** The id of the current key, recorded in every entry it signs. */
    public String currentId() {
        return current.id();
    }

    /** The ids of every key that verify accepts, the current one first. */
    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    public boolean knows(String keyId) {
        return byId.containsKey(keyId);
    }

    /** HMAC-SHA256 of {@code content} under the current key, hex. */
    String sign(String content) {
        return HexFormat.of().formatHex(mac(current.secret(), content));
    }

    /** Whether {@code hash} is the HMAC of {@code content} under the key {@code keyId} (false for an unknown key). */
    boolean matches(String keyId, String content, String hash) {
        Key k = byId.get(keyId);
        if (k == null) {
            return false;
        }
        byte[] expected = HexFormat.of().formatHex(mac(k.secret(), content)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, hash.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * What the audit shows instead of a secret: {@code redacted:hmac-sha256:} and 8 hex digits of the value's
     * HMAC under the current key. Equal values give equal fingerprints, so a change is visible; without the key
     * the fingerprint says nothing about the value, however short it is.
     */
    public String fingerprint(String secretValue) {
        return REDACTED_PREFIX + HexFormat.of().formatHex(mac(current.secret(), "secret\u001f" + secretValue))
                .substring(0, 8);
    }

    private static byte[] mac(byte[] key, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "AuditKeys" + byId.keySet();
    }
}
