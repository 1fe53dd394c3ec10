package io.spendshift.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document in the repository ({@code docs/openapi.json}, which the generated client and the lint
 * use) is exactly what the service serves at {@code /q/openapi}. After an API change, write it again with
 * {@code mvn verify -Dtest=OpenApiDocumentTest -DwriteOpenapi=true -Dcodegen.skip=true} (the client generated
 * from the old document may not compile against the new one until the file is written again).
 */
@QuarkusTest
class OpenApiDocumentTest {

    static final Path CHECKED_IN = Path.of("docs/openapi.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Keys sorted, so the file does not depend on the order the service happens to list things in; except that
     * {@code application/json} comes first among media types, because a generated client takes the first one.
     */
    static JsonNode canonical(JsonNode node, String parentKey) {
        if (node.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode out = JSON.createObjectNode();
            java.util.List<String> keys = new java.util.ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            keys.sort(java.util.Comparator.comparing((String k) -> !("content".equals(parentKey)
                    && k.equals("application/json"))).thenComparing(k -> k));
            for (String k : keys) {
                out.set(k, canonical(node.get(k), k));
            }
            return out;
        }
        if (node.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode out = JSON.createArrayNode();
            node.forEach(n -> out.add(canonical(n, null)));
            return out;
        }
        return node;
    }

    static JsonNode served() throws Exception {
        String body = RestAssured.given().accept("application/json").get("/q/openapi?format=json").then()
                .statusCode(200).extract().asString();
        return JSON.readTree(body);
    }

    @Test
    void everyOperationHasAStableIdADescriptionATagItsRolesAndProblemAnswers() throws Exception {
        JsonNode doc = served();
        java.util.Set<String> ids = new java.util.HashSet<>();
        java.util.Set<String> tags = new java.util.HashSet<>();
        doc.path("tags").forEach(t -> tags.add(t.path("name").asText()));
        java.util.List<String> wrong = new java.util.ArrayList<>();
        doc.path("paths").properties().forEach(p -> p.getValue().properties().forEach(m -> {
            JsonNode op = m.getValue();
            String where = m.getKey().toUpperCase() + " " + p.getKey();
            if (!op.path("operationId").isTextual() || !ids.add(op.path("operationId").asText())) {
                wrong.add(where + ": no unique operationId (add it to io.spendshift.openapi.ApiOperations)");
            }
            if (op.path("summary").asText().isBlank() || op.path("description").asText().isBlank()) {
                wrong.add(where + ": no summary or description");
            }
            if (!tags.contains(op.path("tags").path(0).asText())) {
                wrong.add(where + ": tag not defined");
            }
            if (!op.path("x-roles").isArray()) {
                wrong.add(where + ": no x-roles");
            }
            for (String status : java.util.List.of("401", "403")) {
                if (!op.path("responses").path(status).path("content").has("application/problem+json")) {
                    wrong.add(where + ": no problem+json answer for " + status);
                }
            }
        }));
        assertThat(wrong).isEmpty();
        assertThat(doc.path("paths").path("/api/v1/recommendations/{id}/approve").path("post").path("x-roles")
                .toString()).isEqualTo("[\"approver\"]");
        assertThat(doc.path("paths").path("/api/v1/portfolios").path("post").path("responses").has("201")).isTrue();
        assertThat(doc.path("components").path("securitySchemes").has("basicAuth")).isTrue();
        assertThat(doc.path("components").path("securitySchemes").has("bearerAuth")).isTrue();
    }

    @Test
    void theCheckedInDocumentIsWhatTheServiceServes() throws Exception {
        JsonNode served = served();
        String text = JSON.writeValueAsString(canonical(served, null)) + "\n";
        if (Boolean.getBoolean("writeOpenapi")) {
            Files.writeString(CHECKED_IN, text);
        }
        assertThat(Files.exists(CHECKED_IN)).as(CHECKED_IN + " exists").isTrue();
        assertThat(Files.readString(CHECKED_IN))
                .as("docs/openapi.json differs from /q/openapi; write it again with -DwriteOpenapi=true")
                .isEqualTo(text);
    }
}
