package io.spendshift.rules.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One file of a rule set: its path relative to the rules folder, and its bytes. */
public record RuleFile(String path, byte[] content) {

    public static RuleFile of(String path, String text) {
        return new RuleFile(path, text.getBytes(StandardCharsets.UTF_8));
    }

    public String sha256() {
        return sha256(content);
    }

    public boolean isDecisionTable() {
        return path.endsWith(".drl.csv") || path.endsWith(".drl.xlsx");
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
