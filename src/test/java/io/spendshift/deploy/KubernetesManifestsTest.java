package io.spendshift.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every manifest under k8s/ parses, and what it says matches the service: the container port, the health
 * probe paths, the rules mount path, and the environment variable names the service reads. Demo mode is off.
 */
class KubernetesManifestsTest {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static List<JsonNode> documents() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("k8s"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (YAMLParser parser = new YAMLFactory().createParser(f.toFile())) {
                    var it = YAML.readValues(parser, JsonNode.class);
                    while (it.hasNext()) {
                        JsonNode n = it.next();
                        if (n != null && !n.isMissingNode() && !n.isNull()) {
                            docs.add(n);
                        }
                    }
                }
            }
        }
        return docs;
    }

    static Properties applicationProperties() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            p.load(in);
        }
        return p;
    }

    static JsonNode deployment(List<JsonNode> docs) {
        return docs.stream().filter(d -> "Deployment".equals(d.path("kind").asText())
                && "spendshift".equals(d.path("metadata").path("name").asText())).findFirst().orElseThrow();
    }

    static Map<String, String> generatedLiterals(List<JsonNode> docs) {
        Map<String, String> env = new HashMap<>();
        for (JsonNode d : docs) {
            for (JsonNode gen : d.path("configMapGenerator")) {
                for (JsonNode lit : gen.path("literals")) {
                    String[] kv = lit.asText().split("=", 2);
                    env.put(kv[0], kv[1]);
                }
            }
        }
        return env;
    }

    @Test
    void everyManifestParsesAndHasAKind() throws IOException {
        List<JsonNode> docs = documents();
        assertThat(docs).hasSizeGreaterThan(10);
        assertThat(docs).allSatisfy(d -> assertThat(d.path("kind").asText()).isNotBlank());
        Set<String> kinds = new HashSet<>();
        docs.forEach(d -> kinds.add(d.path("kind").asText()));
        assertThat(kinds).contains("Deployment", "Service", "StatefulSet", "PodDisruptionBudget",
                "HorizontalPodAutoscaler", "NetworkPolicy", "Kustomization");
    }

    @Test
    void portsAndProbesMatchTheService() throws IOException {
        List<JsonNode> docs = documents();
        JsonNode container = deployment(docs).path("spec").path("template").path("spec").path("containers").get(0);
        String port = applicationProperties().getProperty("quarkus.http.port");
        assertThat(container.path("ports").get(0).path("containerPort").asText()).isEqualTo(port);
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/ready");
        assertThat(container.path("startupProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/started");
    }

    @Test
    void theRulesConfigMapIsMountedWhereTheServiceWatches() throws IOException {
        List<JsonNode> docs = documents();
        JsonNode pod = deployment(docs).path("spec").path("template").path("spec");
        String rulesDir = generatedLiterals(docs).get("SPENDSHIFT_RULES_DIR");
        JsonNode mount = null;
        for (JsonNode m : pod.path("containers").get(0).path("volumeMounts")) {
            if (m.path("name").asText().equals("rules")) {
                mount = m;
            }
        }
        assertThat(mount).isNotNull();
        assertThat(mount.path("mountPath").asText()).isEqualTo(rulesDir);
        assertThat(pod.path("volumes").findValuesAsText("name")).contains("spendshift-rules");
    }

    @Test
    void everyEnvironmentVariableIsOneTheServiceReadsAndDemoIsOff() throws IOException {
        List<JsonNode> docs = documents();
        Set<String> names = new HashSet<>(generatedLiterals(docs).keySet());
        deployment(docs).path("spec").path("template").path("spec").path("containers").get(0).path("env")
                .forEach(e -> names.add(e.path("name").asText()));
        String props = Files.readString(Path.of("src/main/resources/application.properties"));
        // the environment names of every configured property (profile prefix dropped, '.' and '-' -> '_')
        Set<String> propertyEnvNames = new HashSet<>();
        for (Object k : applicationProperties().keySet()) {
            String key = k.toString().replaceFirst("^%[a-z]+\\.", "");
            propertyEnvNames.add(key.replaceAll("[.\\-\"]", "_").toUpperCase(java.util.Locale.ROOT));
        }
        for (String name : names) {
            boolean explicit = props.contains("${" + name + ":") || props.contains("${" + name + "}");
            assertThat(explicit || propertyEnvNames.contains(name)).as("%s is read by the service", name).isTrue();
        }
        assertThat(generatedLiterals(docs)).containsEntry("SPENDSHIFT_DEMO", "false");
        assertThat(Files.readString(Path.of("k8s/overlays/dev/kustomization.yaml")) + Files.readString(
                Path.of("k8s/overlays/prod/kustomization.yaml"))).doesNotContain("SPENDSHIFT_DEMO=true");
    }

    @Test
    void prodRunsThreeReplicasWithABudgetAndDevOne() throws IOException {
        JsonNode prod = YAML.readTree(Path.of("k8s/overlays/prod/kustomization.yaml").toFile());
        JsonNode dev = YAML.readTree(Path.of("k8s/overlays/dev/kustomization.yaml").toFile());
        assertThat(prod.path("replicas").get(0).path("count").asInt()).isEqualTo(3);
        assertThat(dev.path("replicas").get(0).path("count").asInt()).isEqualTo(1);
        JsonNode pdb = YAML.readTree(Path.of("k8s/overlays/prod/pdb.yaml").toFile());
        assertThat(pdb.path("spec").path("minAvailable").asInt()).isLessThan(3);
    }

    /** The Dockerfile's instructions, continuation lines joined. */
    static List<String> dockerfile() throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("src/main/docker/Dockerfile.jvm"))) {
            if (line.isBlank() || line.trim().startsWith("#")) {
                continue;
            }
            current.append(line.trim());
            if (line.endsWith("\\")) {
                current.setLength(current.length() - 1);
                current.append(' ');
            } else {
                out.add(current.toString());
                current.setLength(0);
            }
        }
        return out;
    }

    @Test
    void theImageAndThePodRunAsTheSameNonRootUser() throws IOException {
        List<String> instructions = dockerfile();
        List<String> users = instructions.stream().filter(i -> i.startsWith("USER ")).toList();
        assertThat(users).as("the image names its user").isNotEmpty();
        String[] user = users.get(users.size() - 1).substring(5).trim().split(":");
        assertThat(user[0]).as("a numeric uid, so runAsNonRoot can check it").matches("[0-9]+");
        int uid = Integer.parseInt(user[0]);
        assertThat(uid).as("not root").isPositive();
        if (user.length > 1) {
            assertThat(user[1]).as("a numeric gid, not root's").matches("[0-9]+").isNotEqualTo("0");
        }
        // the files the service reads are the user's
        assertThat(instructions.stream().filter(i -> i.startsWith("COPY ")))
                .allSatisfy(c -> assertThat(c).contains("--chown=" + uid));

        JsonNode pod = deployment(documents()).path("spec").path("template").path("spec");
        JsonNode security = pod.path("securityContext");
        assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(security.path("runAsUser").asInt()).isEqualTo(uid);
        if (user.length > 1) {
            assertThat(security.path("runAsGroup").asText()).isEqualTo(user[1]);
        }
        JsonNode container = pod.path("containers").get(0).path("securityContext");
        assertThat(container.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(container.path("capabilities").path("drop").get(0).asText()).isEqualTo("ALL");
    }

    @Test
    void theServiceListensOnEveryInterfaceInTheCluster() throws IOException {
        // demo mode is off there, so Quarkus's production default (0.0.0.0) applies: no manifest may pin the host
        List<JsonNode> docs = documents();
        Set<String> names = new HashSet<>(generatedLiterals(docs).keySet());
        deployment(docs).path("spec").path("template").path("spec").path("containers").get(0).path("env")
                .forEach(e -> names.add(e.path("name").asText()));
        assertThat(names).doesNotContain("QUARKUS_HTTP_HOST");
        assertThat(generatedLiterals(docs)).containsEntry("SPENDSHIFT_DEMO", "false");
    }
}
