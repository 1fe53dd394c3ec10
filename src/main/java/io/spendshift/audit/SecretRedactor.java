package io.spendshift.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Replaces credentials in audit details by their fingerprint ({@link AuditKeys#fingerprint}). A credential is
 * any value under a field whose name ends in {@code secret, token, password, apiKey, credential(s), privateKey}
 * or {@code authorization} (any case, dashes and underscores ignored: {@code webhook.secret},
 * {@code source.bearerToken}, a connector's {@code client-secret} or {@code refresh_token}), and the user part of
 * a URL ({@code https://user:password@host}). Flags such as {@code secretSet} are not credentials. New credential
 * fields are covered as long as their names follow this convention.
 */
final class SecretRedactor {

    private static final List<String> SUFFIXES = List.of("secret", "secrets", "token", "tokens", "password",
            "passwd", "apikey", "credential", "credentials", "privatekey", "authorization");
    private static final Pattern URL_USER = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/?#@\\s]+@");
    /** A Slack incoming-webhook URL is a credential as a whole: only its origin stays. */
    private static final Pattern SLACK_HOOK = Pattern.compile("(?i)\\b(https?://hooks\\.slack(?:-gov)?\\.com)/[^\\s\"]+");
    /**
     * A JSON key that {@link #isSecretField} would take for a credential (dashes and underscores anywhere in the
     * suffix), or a URL with user info, in serialised JSON: the cheap test before the tree walk.
     */
    private static final Pattern MAY_HOLD_SECRET = Pattern.compile("(?i)\"[^\"]*("
            + String.join("|", SUFFIXES.stream().map(SecretRedactor::spaced).toList()) + ")[-_]*\"\\s*:|://[^\"/?#]*@|(?i)hooks\\.slack");

    private SecretRedactor() {
    }

    private static String spaced(String suffix) {
        return String.join("[-_]*", suffix.chars().mapToObj(c -> Pattern.quote(Character.toString(c))).toList());
    }

    /** Whether serialised details may hold a credential; when not, they need no redaction. */
    static boolean mayHoldSecret(String json) {
        return MAY_HOLD_SECRET.matcher(json).find();
    }

    static boolean isSecretField(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        return SUFFIXES.stream().anyMatch(n::endsWith);
    }

    /** Redacts {@code node} in place (and returns it, or its replacement when it is a bare value). */
    static JsonNode redact(JsonNode node, UnaryOperator<String> fingerprint) {
        if (node instanceof ObjectNode o) {
            for (String name : names(o)) {
                JsonNode v = o.get(name);
                o.set(name, isSecretField(name) ? secret(v, fingerprint) : redact(v, fingerprint));
            }
            return o;
        }
        if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, redact(a.get(i), fingerprint));
            }
            return a;
        }
        if (node != null && node.isTextual() && (node.asText().contains("@") || node.asText().contains("hooks.slack"))) {
            String masked = URL_USER.matcher(node.asText()).replaceAll("$1redacted@");
            masked = SLACK_HOOK.matcher(masked).replaceAll("$1/…");
            return masked.equals(node.asText()) ? node : TextNode.valueOf(masked);
        }
        return node;
    }

    private static List<String> names(ObjectNode o) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Every value in a credential's subtree becomes its fingerprint (null and booleans stay). */
    private static JsonNode secret(JsonNode node, UnaryOperator<String> fingerprint) {
        if (node instanceof ObjectNode o) {
            for (String name : names(o)) {
                o.set(name, secret(o.get(name), fingerprint));
            }
            return o;
        }
        if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, secret(a.get(i), fingerprint));
            }
            return a;
        }
        if (node == null || node.isNull() || node.isBoolean() || node.isMissingNode()) {
            return node;
        }
        String value = node.asText();
        return value.startsWith(AuditKeys.REDACTED_PREFIX) ? node : TextNode.valueOf(fingerprint.apply(value));
    }
}
