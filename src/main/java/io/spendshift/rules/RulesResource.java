package io.spendshift.rules;

import io.spendshift.common.FieldError;
import io.spendshift.common.InvalidInput;
import io.spendshift.common.NotFound;
import io.quarkus.security.identity.SecurityIdentity;
import io.spendshift.SpendshiftConfig;
import io.spendshift.audit.AuditAction;
import io.spendshift.common.Page;
import io.spendshift.rules.engine.CompiledRules;
import io.spendshift.rules.engine.RuleCompiler;
import io.spendshift.rules.engine.RuleFile;
import io.spendshift.rules.engine.Scenario;
import io.spendshift.rules.engine.ScenarioRunner;
import io.spendshift.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The policy: the active rule set, its history, validation, reload and scenarios (API.md, Rules). */
@Path("/api/v1/rules")
@Produces(MediaType.APPLICATION_JSON)
public class RulesResource {

    private final RuleSetService rules;
    private final SpendshiftConfig config;
    private final SecurityIdentity identity;
    private final CandidateGuard guard;

    RulesResource(RuleSetService rules, SpendshiftConfig config, SecurityIdentity identity, CandidateGuard guard) {
        this.rules = rules;
        this.config = config;
        this.identity = identity;
        this.guard = guard;
    }

    /** The active rule set; {@code lastRejected} shows a reload that failed since. */
    public record RuleSetView(String version, Instant loadedAt, String loadedBy, String source,
                              List<CompiledRules.FileInfo> files, RuleSetService.Failure lastRejected) {
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public RuleSetView get() {
        RuleSetService.Active a = rules.active();
        return new RuleSetView(a.rules().version(), a.loadedAt(), a.loadedBy(), a.source(), a.rules().files(),
                rules.lastFailure().orElse(null));
    }

    public record VersionView(String version, Instant loadedAt, String loadedBy) {
    }

    @GET
    @Path("/versions")
    @RolesAllowed(Roles.VIEWER)
    public Page<VersionView> versions(@QueryParam("page") @DefaultValue("0") int page,
                                      @QueryParam("size") @DefaultValue("50") int size) {
        Page.check(page, size);
        return new Page<>(rules.versions(page, size).stream()
                .map(v -> new VersionView(v.version(), v.loadedAt(), v.loadedBy())).toList(), page, size,
                rules.versionCount());
    }

    /** A stored version with its files' text, so any past recommendation's policy can be read back. */
    public record StoredFileView(String path, String sha256, String content) {
    }

    public record StoredVersionView(String version, Instant loadedAt, String loadedBy, List<StoredFileView> files) {
    }

    @GET
    @Path("/versions/{version}")
    @RolesAllowed(Roles.VIEWER)
    public StoredVersionView version(@PathParam("version") String version) {
        RuleSetService.StoredVersion v = rules.stored(version)
                .orElseThrow(() -> new NotFound("Rule set version", version));
        return new StoredVersionView(v.version(), v.loadedAt(), v.loadedBy(), v.files().stream()
                .map(f -> new StoredFileView(f.path(), f.sha256(), f.path().endsWith(".xlsx")
                        ? "(binary spreadsheet, " + f.content().length + " bytes)"
                        : new String(f.content(), StandardCharsets.UTF_8)))
                .toList());
    }

    public record Validation(boolean valid, List<String> rules) {
    }

    @POST
    @Path("/validate")
    @Consumes(MediaType.TEXT_PLAIN)
    @RolesAllowed(Roles.STRATEGIST)
    public Validation validateText(String drl) {
        return validate(List.of(RuleFile.of("candidate.drl", drl == null ? "" : drl)));
    }

    @POST
    @Path("/validate")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RolesAllowed(Roles.STRATEGIST)
    public Validation validateFiles(@RestForm(FileUpload.ALL) List<FileUpload> parts) {
        return validate(ruleFiles(parts));
    }

    private Validation validate(List<RuleFile> files) {
        return guard.evaluate(AuditAction.RULES_VALIDATED, actor(), CandidateGuard.Subject.candidate(files), () -> {
            RuleCompiler.Result r = rules.validate(files);
            if (!r.ok()) {
                throw RulesProblems.doNotCompile(r.errors());
            }
            return new Validation(true, r.rules().ruleNames());
        }, v -> Map.of("outcome", "valid", "rules", v.rules().size()));
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    public record Reloaded(String version) {
    }

    @POST
    @Path("/reload")
    @RolesAllowed(Roles.STRATEGIST)
    public Reloaded reload() {
        return new Reloaded(rules.reload(identity.getPrincipal().getName()).rules().version());
    }

    public record ScenarioReport(int passed, int failed, String ruleSetVersion, List<Scenario.Result> results) {
    }

    @POST
    @Path("/scenarios")
    @RolesAllowed(Roles.STRATEGIST)
    public ScenarioReport scenarios() {
        CompiledRules active = rules.active().rules();
        List<ScenarioRunner.ScenarioFile> scenarios = folderScenarios();
        return guard.evaluate(AuditAction.SCENARIOS_RUN, actor(), CandidateGuard.Subject.active(active.version()),
                () -> run(active, scenarios), RulesResource::outcome);
    }

    private static Map<String, Object> outcome(ScenarioReport r) {
        return Map.of("outcome", r.failed() == 0 ? "passed" : "failed", "passed", r.passed(), "failed", r.failed());
    }

    /**
     * Scenarios against a candidate: multipart parts ending in {@code .yaml} are scenarios (instead of the
     * folder's), the other parts are the candidate rule set (instead of the active one).
     */
    @POST
    @Path("/scenarios")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RolesAllowed(Roles.STRATEGIST)
    public ScenarioReport scenariosForCandidate(@RestForm(FileUpload.ALL) List<FileUpload> parts) {
        List<FileUpload> yaml = parts.stream().filter(p -> name(p).endsWith(".yaml") || name(p).endsWith(".yml")).toList();
        List<FileUpload> ruleParts = parts.stream().filter(p -> !yaml.contains(p)).toList();
        CompiledRules active = rules.active().rules();
        List<RuleFile> candidateFiles = ruleParts.isEmpty() ? List.of() : ruleFiles(ruleParts);
        List<ScenarioRunner.ScenarioFile> scenarios = yaml.isEmpty() ? folderScenarios() : yaml.stream()
                .map(p -> new ScenarioRunner.ScenarioFile(name(p), new String(read(p), StandardCharsets.UTF_8)))
                .toList();
        if (!yaml.isEmpty()) {
            refuseIncomplete(scenarios);
        }
        CandidateGuard.Subject subject = candidateFiles.isEmpty() ? CandidateGuard.Subject.active(active.version())
                : CandidateGuard.Subject.candidate(candidateFiles);
        return guard.evaluate(AuditAction.SCENARIOS_RUN, actor(), subject, () -> {
            CompiledRules candidate = active;
            if (!candidateFiles.isEmpty()) {
                RuleCompiler.Result r = rules.validate(candidateFiles);
                if (!r.ok()) {
                    throw RulesProblems.doNotCompile(r.errors());
                }
                candidate = r.rules();
            }
            return run(candidate, scenarios);
        }, RulesResource::outcome);
    }

    /**
     * Posted scenarios are the caller's input: a channel without its daily budget (or its key) is a 400 naming the
     * field ({@code channels[0].dailyBudget}) and the file, before any rule runs.
     */
    private static void refuseIncomplete(List<ScenarioRunner.ScenarioFile> scenarios) {
        List<FieldError> errors = new ArrayList<>();
        for (ScenarioRunner.ScenarioFile f : scenarios) {
            for (ScenarioRunner.MissingField m : ScenarioRunner.missingFields(f)) {
                errors.add(FieldError.of(m.field(), f.name() + ": " + m.message()));
            }
        }
        if (!errors.isEmpty()) {
            throw InvalidInput.of("The posted scenarios lack channel facts they need: " + String.join("; ",
                    errors.stream().map(FieldError::message).toList()), errors);
        }
    }

    private ScenarioReport run(CompiledRules compiled, List<ScenarioRunner.ScenarioFile> files) {
        List<Scenario.Result> results = ScenarioRunner.runAll(compiled, files);
        int passed = (int) results.stream().filter(Scenario.Result::passed).count();
        return new ScenarioReport(passed, results.size() - passed, compiled.version(), results);
    }

    private List<ScenarioRunner.ScenarioFile> folderScenarios() {
        try {
            return ScenarioRunner.readFolder(config.rules().dir().resolve("scenarios"));
        } catch (IOException e) {
            throw new IllegalStateException("scenarios folder cannot be read", e);
        }
    }

    private static List<RuleFile> ruleFiles(List<FileUpload> parts) {
        if (parts == null || parts.isEmpty()) {
            throw InvalidInput.of("files", "at least one rule file part is required");
        }
        List<RuleFile> files = new ArrayList<>();
        for (FileUpload p : parts) {
            String n = name(p);
            if (!RuleCompiler.isRuleFile(n)) {
                throw InvalidInput.of("files", "'" + n + "' is not a rule file (.drl, .drl.csv or .drl.xlsx)");
            }
            files.add(new RuleFile(n, read(p)));
        }
        return files;
    }

    private static String name(FileUpload p) {
        String n = p.fileName() == null || p.fileName().isBlank() ? p.name() : p.fileName();
        return n.replace('\\', '/').replaceAll("^.*/", "");
    }

    private static byte[] read(FileUpload p) {
        try {
            return Files.readAllBytes(p.uploadedFile());
        } catch (IOException e) {
            throw new IllegalStateException("uploaded part cannot be read", e);
        }
    }
}
