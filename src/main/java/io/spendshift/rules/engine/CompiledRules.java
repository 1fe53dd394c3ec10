package io.spendshift.rules.engine;

import org.kie.api.KieBase;

import java.util.List;

/**
 * A rule set that compiled cleanly: the shared, immutable {@link KieBase}, its version (sha-256 of the
 * content) and, per file, its hash and the names of its rules.
 */
public record CompiledRules(String version, KieBase kieBase, List<FileInfo> files) {

    public record FileInfo(String path, String sha256, List<String> rules) {
    }

    public List<String> ruleNames() {
        return files.stream().flatMap(f -> f.rules().stream()).toList();
    }
}
