package io.spendshift.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/api.md}, the API reference in the repository, and the OpenAPI document the service serves never
 * disagree: every operation under {@code /api/v1} has a row in the reference's endpoint table, every endpoint the
 * reference names ({@code `METHOD /api/v1/…`} in a heading, a row or prose) is served, and each row's roles are
 * the roles the endpoint requires.
 */
@QuarkusTest
class ApiReferenceTest {

    static final Path REFERENCE = Path.of("docs", "api.md");
    static final Set<String> METHODS = Set.of("GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE");
    static final String METHOD = "(GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE)";
    /** An endpoint named anywhere: {@code `GET /api/v1/portfolios/{key}`}; a query string is ignored. */
    static final Pattern MENTION = Pattern.compile("`" + METHOD + " (/api/v1[^`\\s?]*)(\\?[^`]*)?`");
    /** A row of the endpoint table: {@code | `GET /api/v1/…` | `viewer` | what it does |}. */
    static final Pattern ROW = Pattern.compile("^\\|\\s*`" + METHOD + " (/api/v1[^`\\s?]*)`\\s*\\|([^|]*)\\|");
    static final Pattern ROLE = Pattern.compile("`([a-z]+)`");

    /**
     * Who may call an endpoint: nobody needs credentials ({@code authenticated} false), any signed-in caller
     * (no roles), or a caller holding one of {@code roles}.
     */
    record Access(boolean authenticated, Set<String> roles) {

        static final Access PUBLIC = new Access(false, Set.of());

        static final Access SIGNED_IN = new Access(true, Set.of());

        static Access anyOf(String... roles) {
            return new Access(true, new TreeSet<>(List.of(roles)));
        }

        @Override
        public String toString() {
            return !authenticated ? "no credentials"
                    : roles.isEmpty() ? "any signed-in user" : String.join(", ", roles);
        }
    }

    @Test
    void theReferenceAndTheServedOpenApiDocumentAgree() throws IOException {
        assertThat(REFERENCE).as("the API reference, run from the project directory").isRegularFile();
        Map<String, Access> served = served(given().get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString());
        assertThat(served).as("operations under /api/v1 in /q/openapi").isNotEmpty()
                .containsKey("GET /api/v1/audit/head");

        List<String> differences = differences(served, Files.readString(REFERENCE, StandardCharsets.UTF_8));

        assertThat(differences)
                .withFailMessage(() -> "docs/api.md and /q/openapi disagree (" + differences.size() + "):\n  - "
                        + String.join("\n  - ", differences)
                        + "\nA served endpoint needs one row in the table under \"## Endpoints\" of docs/api.md:"
                        + " | `METHOD /api/v1/path/{param}` | `role`, `role` | what it does |")
                .isEmpty();
    }

    @Test
    void theComparisonNamesEveryKindOfDifference() {
        Map<String, Access> served = new LinkedHashMap<>();
        served.put("GET /api/v1/things", Access.anyOf("viewer"));
        served.put("POST /api/v1/things", Access.anyOf("admin"));
        served.put("GET /api/v1/things/{id}", Access.anyOf("viewer"));
        served.put("GET /api/v1/me", Access.SIGNED_IN);
        String reference = """
                | endpoint | roles | what |
                | --- | --- | --- |
                | `GET /api/v1/things` | `viewer` | list |
                | `POST /api/v1/things` | `viewer`, `strategist` | create |
                | `GET /api/v1/me` | any signed-in user | who |
                | `GET /api/v1/gone` | `viewer` | removed |
                | `GET /api/v1/things` | `viewer` | twice |

                ### `DELETE /api/v1/things/{id}`

                Prose may name `GET /api/v1/things?page=2` with a query and `GET /api/v1/things/{id}` outside the table.
                """;

        assertThat(differences(served, reference)).containsExactlyInAnyOrder(
                "served, but no row in the endpoint table: `GET /api/v1/things/{id}` (roles: viewer)",
                "named in docs/api.md, but not served: `GET /api/v1/gone` (line 6)",
                "named in docs/api.md, but not served: `DELETE /api/v1/things/{id}` (line 9)",
                "roles of `POST /api/v1/things`: docs/api.md says strategist, viewer; the service requires admin",
                "more than one row for `GET /api/v1/things` (lines 3, 7)");
    }

    /** Every operation under {@code /api/v1} of an OpenAPI document, as {@code "METHOD /path"}, with its access. */
    static Map<String, Access> served(String openApiJson) throws IOException {
        JsonNode paths = new ObjectMapper().readTree(openApiJson).path("paths");
        Map<String, Access> served = new TreeMap<>();
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            if (!path.getKey().startsWith("/api/v1")) {
                continue;
            }
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                if (METHODS.contains(method)) {
                    served.put(method + " " + path.getKey(), access(op.getValue().path("security"),
                            op.getValue().path("x-roles")));
                }
            }
        }
        return served;
    }

    /**
     * OpenAPI security requirements: none means public; the roles are the operation's {@code x-roles} (an empty
     * list: any signed-in caller), or, without that extension, the scopes of its requirements.
     */
    private static Access access(JsonNode security, JsonNode xRoles) {
        if (!security.isArray() || security.isEmpty()) {
            return Access.PUBLIC;
        }
        Set<String> roles = new TreeSet<>();
        if (xRoles.isArray()) {
            xRoles.forEach(r -> roles.add(r.asText()));
            return new Access(true, roles);
        }
        for (JsonNode requirement : security) {
            requirement.properties().forEach(scheme -> scheme.getValue().forEach(r -> roles.add(r.asText())));
        }
        return new Access(true, roles);
    }

    /** Where the reference and the served operations disagree, one sentence each; empty when they agree. */
    static List<String> differences(Map<String, Access> served, String reference) {
        String[] lines = reference.split("\n", -1);
        Map<String, List<Integer>> mentioned = new LinkedHashMap<>();
        Map<String, List<Integer>> rowLines = new LinkedHashMap<>();
        Map<String, String> rowRoles = new LinkedHashMap<>();
        for (int i = 0; i < lines.length; i++) {
            Matcher m = MENTION.matcher(lines[i]);
            while (m.find()) {
                mentioned.computeIfAbsent(endpoint(m.group(1), m.group(2)), k -> new ArrayList<>()).add(i + 1);
            }
            Matcher row = ROW.matcher(lines[i]);
            if (row.find()) {
                String e = endpoint(row.group(1), row.group(2));
                rowLines.computeIfAbsent(e, k -> new ArrayList<>()).add(i + 1);
                rowRoles.putIfAbsent(e, row.group(3).trim());
            }
        }
        List<String> differences = new ArrayList<>();
        served.forEach((e, access) -> {
            if (!rowLines.containsKey(e)) {
                differences.add("served, but no row in the endpoint table: `" + e + "` (roles: " + access + ")");
            }
        });
        mentioned.forEach((e, at) -> {
            if (!served.containsKey(e)) {
                differences.add("named in docs/api.md, but not served: `" + e + "` (line"
                        + (at.size() == 1 ? " " : "s ") + join(at) + ")");
            }
        });
        rowLines.forEach((e, at) -> {
            if (at.size() > 1) {
                differences.add("more than one row for `" + e + "` (lines " + join(at) + ")");
            }
            Access documented = documented(rowRoles.get(e));
            Access required = served.get(e);
            if (required != null && !required.equals(documented)) {
                differences.add("roles of `" + e + "`: docs/api.md says "
                        + (documented == null ? "'" + rowRoles.get(e) + "' (not understood)" : documented)
                        + "; the service requires " + required);
            }
        });
        return differences;
    }

    /** The roles column: backticked role names, "any signed-in user", or "no credentials"; null if neither. */
    private static Access documented(String column) {
        Matcher m = ROLE.matcher(column);
        Set<String> roles = new TreeSet<>();
        while (m.find()) {
            roles.add(m.group(1));
        }
        if (!roles.isEmpty()) {
            return new Access(true, roles);
        }
        if (column.contains("signed-in")) {
            return Access.SIGNED_IN;
        }
        return column.contains("no credentials") ? Access.PUBLIC : null;
    }

    private static String endpoint(String method, String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return method + " " + p;
    }

    private static String join(List<Integer> lines) {
        return lines.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
