package io.spendshift.audit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The cheap pre-check before the audit's redaction never lets a credential field through unredacted. */
class SecretRedactorTest {

    @ParameterizedTest
    @ValueSource(strings = {"secret", "webhookSecret", "bearerToken", "refresh_token", "client-secret", "pass_word",
            "PASS-WORD", "api_key", "apiKey", "private-key", "Authorization", "credentials"})
    void everyCredentialFieldIsSeenByThePreCheck(String field) {
        assertThat(SecretRedactor.isSecretField(field)).isTrue();
        assertThat(SecretRedactor.mayHoldSecret("{\"a\":{\"" + field + "\":\"x\"}}")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"secretSet", "bearerTokenSet", "tokenizer", "channel"})
    void otherFieldsNeedNoWalk(String field) {
        assertThat(SecretRedactor.isSecretField(field)).isFalse();
        assertThat(SecretRedactor.mayHoldSecret("{\"" + field + "\":\"x\"}")).isFalse();
    }

    @org.junit.jupiter.api.Test
    void aSlackWebhookUrlAnywhereKeepsOnlyItsOrigin() throws Exception {
        String text = "{\"patch\":{\"notify\":[{\"type\":\"SLACK\",\"target\":"
                + "\"https://hooks.slack.com/services/T000/B000/XXXXsecret\"}]}}";
        assertThat(SecretRedactor.mayHoldSecret(text)).isTrue();
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        String out = SecretRedactor.redact(tree, v -> "fp").toString();
        assertThat(out).doesNotContain("XXXXsecret").contains("https://hooks.slack.com/…");
    }
}
