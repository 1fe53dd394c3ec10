package io.spendshift.verification;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.spendshift.audit.AuditAction;
import io.spendshift.audit.AuditService;
import io.spendshift.common.Conflict;
import io.spendshift.common.DomainException;
import io.spendshift.common.NotFound;
import io.spendshift.facts.FactsService;
import io.spendshift.learning.Forecast;
import io.spendshift.learning.PortfolioModel;
import io.spendshift.learning.Verification;
import io.spendshift.policy.DailyPerformance;
import io.spendshift.policy.Plan;
import io.spendshift.recommendation.ForecastViews;
import io.spendshift.recommendation.Recommendation;
import io.spendshift.recommendation.RecommendationService;
import io.spendshift.security.Actors;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks applied plans against their forecasts (API.md "Verification and undo"; README "Verification and undo"):
 * once {@code policy.verifyAfterDays} days of metrics exist after the day a plan took effect, the response model
 * fitted on the history before that day and the days since go to {@link Verifier}; the outcome is stored on the
 * recommendation. An UNDERDELIVERED plan is audited ({@code RECOMMENDATION_UNDERDELIVERED}) and, with
 * {@code policy.autoRevert}, reverted and the revert applied by the system. Run daily by {@link VerificationJob}.
 */
@ApplicationScoped
public class VerificationService {

    private static final Logger LOG = Logger.getLogger(VerificationService.class);

    /** Plain Jackson for the stored verification (its doubles may be non-finite; see {@link ForecastViews}). */
    private static final ObjectMapper STORE = new ObjectMapper();

    private final FactsService facts;
    private final RecommendationService recommendations;
    private final AuditService audit;
    private final ObjectMapper json;
    private final Clock clock;
    private final Checker checker;

    VerificationService(FactsService facts, RecommendationService recommendations, AuditService audit, ObjectMapper json,
                        Clock clock, Checker checker) {
        this.checker = checker;
        this.facts = facts;
        this.recommendations = recommendations;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    /** What one daily check did: plans verified (any status but PENDING), found underdelivering, reverted. */
    public record Checked(int verified, int underdelivered, int reverted) {
    }

    /**
     * Checks every APPLIED recommendation whose verification is missing or PENDING; {@code asOfOrNull} is the day
     * of the check (default: today in each portfolio's time zone): only the days before it count.
     */
    public Checked checkDue(LocalDate asOfOrNull) {
        List<Long> due = QuarkusTransaction.requiringNew().call(() -> Recommendation.<Recommendation>find(
                        "status = ?1 and appliedOn is not null and (verificationStatus is null or verificationStatus = ?2)"
                                + " order by id", Recommendation.Status.APPLIED, Verification.Status.PENDING.name())
                .list().stream().map(r -> r.id).toList());
        int verified = 0;
        int under = 0;
        int reverted = 0;
        for (long id : due) {
            try {
                Outcome o = check(id, asOfOrNull);
                if (o.status() != null && o.status() != Verification.Status.PENDING) {
                    verified++;
                }
                if (o.status() == Verification.Status.UNDERDELIVERED) {
                    under++;
                }
                if (o.reverted()) {
                    reverted++;
                }
            } catch (RuntimeException e) {
                LOG.warnf("Verification of recommendation %d failed: %s", id, e.getMessage());
            }
        }
        if (!due.isEmpty()) {
            LOG.infof("Verification: %d applied plans due, %d verified, %d underdelivered, %d reverted", due.size(),
                    verified, under, reverted);
        }
        return new Checked(verified, under, reverted);
    }

    /** The status stored (null: not due yet, nothing written) and whether the plan was reverted automatically. */
    public record Outcome(Verification.Status status, boolean reverted) {
    }

    /** Checks one applied recommendation as of {@code asOfOrNull} (default: today in its portfolio's time zone). */
    public Outcome check(long id, LocalDate asOfOrNull) {
        record Subject(String key, LocalDate day, LocalDate appliedOn, int afterDays, List<Plan.Allocation> allocations,
                       Forecast forecast, boolean undone, boolean autoRevert, Recommendation.Kind kind) {
        }
        Subject s = QuarkusTransaction.requiringNew().call(() -> {
            Recommendation r = Recommendation.<Recommendation>findByIdOptional(id)
                    .orElseThrow(() -> new NotFound("Recommendation", Long.toString(id)));
            if (r.appliedOn == null) {
                throw new Conflict("Recommendation " + id + " was never applied");
            }
            boolean undone = Recommendation.count("revertOf = ?1 and status = ?2", id, Recommendation.Status.APPLIED) > 0;
            Forecast f = ForecastViews.read(r.forecast);
            return new Subject(r.portfolio.key, asOfOrNull == null ? r.portfolio.today(clock) : asOfOrNull, r.appliedOn,
                    r.portfolio.verifyAfterDays, read(r.allocations), f == null ? Forecast.unavailable("no forecast was recorded") : f,
                    undone, r.portfolio.autoRevert, r.kind);
        });
        if (s.undone()) {
            Verification v = new Verification(Verification.Status.INCONCLUSIVE, 0, null, "none",
                    "reverted before it could be verified");
            store(id, v, s.forecast());
            return new Outcome(v.status(), false);
        }
        if (s.day().isBefore(s.appliedOn().plusDays(s.afterDays()))) {
            return new Outcome(null, false);
        }
        Map<String, BigDecimal> before = new LinkedHashMap<>();
        Map<String, BigDecimal[]> changed = new LinkedHashMap<>();
        for (Plan.Allocation a : s.allocations()) {
            before.put(a.channel(), a.currentBudget());
            if (a.delta().signum() != 0) {
                changed.put(a.channel(), new BigDecimal[] {a.currentBudget(), a.proposedBudget()});
            }
        }
        Map<String, List<DailyPerformance>> after = facts.days(s.key(), s.appliedOn(), s.day());
        long daysOfData = changed.keySet().stream().mapToLong(c -> after.getOrDefault(c, List.of()).size()).min().orElse(0);
        if (daysOfData < s.afterDays()) {
            return new Outcome(null, false);
        }
        PortfolioModel model = facts.modelBefore(s.key(), s.appliedOn(), before);
        Verification v = checker.verify(id, model, s.forecast(), after, changed, s.appliedOn(), s.day(), s.afterDays());
        store(id, v, s.forecast());
        boolean reverted = false;
        if (v.status() == Verification.Status.UNDERDELIVERED && s.autoRevert() && s.kind() == Recommendation.Kind.PLAN) {
            reverted = revert(id);
        }
        return new Outcome(v.status(), reverted);
    }

    private void store(long id, Verification v, Forecast forecast) {
        QuarkusTransaction.requiringNew().run(() -> {
            Recommendation r = Recommendation.findById(id);
            r.verification = write(v);
            r.verificationStatus = v.status().name();
            r.verifiedAt = clock.instant();
            if (v.status() == Verification.Status.UNDERDELIVERED) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("afterDays", v.afterDays());
                d.put("forecast", forecast.available() ? ForecastViews.interval(forecast.valuePerDay()) : null);
                d.put("realized", ForecastViews.interval(v.realized()));
                d.put("method", v.method());
                d.put("reason", v.reason());
                d.put("autoRevert", r.portfolio.autoRevert && r.kind == Recommendation.Kind.PLAN);
                audit.append(new AuditService.Event(Actors.SYSTEM, AuditAction.RECOMMENDATION_UNDERDELIVERED,
                        "recommendation", Long.toString(r.id), r.portfolio.key, r.ruleSetVersion, d));
            }
        });
    }

    /** The system's revert of an underdelivering plan, applied at once; false when it cannot be made. */
    private boolean revert(long id) {
        try {
            RecommendationService.Reverted rv = recommendations.revert(id, Actors.SYSTEM,
                    "the plan underdelivered its forecast (policy.autoRevert)");
            var applied = recommendations.applyAutomatically(rv.id(), Actors.SYSTEM,
                    "reverted automatically: recommendation " + id + " underdelivered (policy.autoRevert)");
            return "APPLIED".equals(applied.status());
        } catch (DomainException e) {
            LOG.warnf("Recommendation %d underdelivered but was not reverted: %s", id, e.getMessage());
            return false;
        }
    }

    /** The view of a recommendation's verification: 404 unknown, 409 never applied. */
    public VerificationView get(long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Recommendation r = Recommendation.<Recommendation>findByIdOptional(id)
                    .orElseThrow(() -> new NotFound("Recommendation", Long.toString(id)));
            if (r.appliedAt == null || r.appliedOn == null) {
                throw new Conflict("Recommendation " + id + " is " + r.status
                        + " and was never applied: only an applied plan is verified");
            }
            Map<String, Object> forecast = ForecastViews.view(r.forecast);
            if (r.verification == null) {
                return new VerificationView(Verification.Status.PENDING.name(), 0, forecast, null, null,
                        "checked daily once " + r.portfolio.verifyAfterDays + " days of data exist after "
                                + r.appliedOn, null);
            }
            Verification v = readVerification(r.verification);
            return new VerificationView(v.status().name(), v.afterDays(), forecast, ForecastViews.interval(v.realized()),
                    v.method(), v.reason(), r.verifiedAt);
        });
    }

    private List<Plan.Allocation> read(String allocations) {
        try {
            return json.readValue(allocations, new TypeReference<List<Plan.Allocation>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String write(Verification v) {
        try {
            return STORE.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Verification readVerification(String stored) {
        try {
            return STORE.readValue(stored, Verification.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable verification", e);
        }
    }

    /** API.md: {status, afterDays, forecast, realized: {expected, low, high}|null, method, checkedAt}, plus why. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
    public record VerificationView(String status, int afterDays,
                                   @org.eclipse.microprofile.openapi.annotations.media.Schema(
                                           type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)
                                   Map<String, Object> forecast,
                                   @org.eclipse.microprofile.openapi.annotations.media.Schema(
                                           type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT)
                                   Map<String, Object> realized, String method, String reason, Instant checkedAt) {
    }
}
