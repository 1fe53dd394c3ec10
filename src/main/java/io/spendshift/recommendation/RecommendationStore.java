package io.spendshift.recommendation;

import io.spendshift.common.Page;

import io.spendshift.common.Money;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Reads of recommendations as views: one projection query per page (with the portfolio's key joined in), no
 * managed entities to track and no write transaction, so a list request costs two small queries.
 */
@ApplicationScoped
public class RecommendationStore {

    private static final String COLUMNS = "r.id, p.key, r.runId, r.status, r.ruleSetVersion, r.asOf, r.createdAt,"
            + " r.decidedBy, r.decidedAt, r.decisionComment, r.appliedAt, r.failureReason, r.version, r.moved,"
            + " r.totalBudget, r.allocations, r.shifts, r.explanation, r.kind, r.revertOf, r.forecast, r.experiments,"
            + " r.autoApplyWithheld, r.appliedOn, r.verificationStatus, r.adjustments, r.flags, r.summary, r.pacing,"
            + " r.changedTargets";

    private final EntityManager em;

    RecommendationStore(EntityManager em) {
        this.em = em;
    }

    /**
     * One page, newest first; {@code portfolio}, {@code portfolios} (one of the keys) and {@code status} filter when
     * not null.
     */
    public List<RecommendationViews.RecommendationView> page(String portfolio, java.util.Set<String> portfolios,
                                                             Recommendation.Status status, int page, int size) {
        var q = em.createQuery("SELECT " + COLUMNS + " FROM Recommendation r JOIN r.portfolio p"
                + where(portfolio, portfolios, status) + " ORDER BY r.id DESC", Object[].class);
        bind(q, portfolio, portfolios, status);
        return q.setFirstResult(Page.offset(page, size)).setMaxResults(size).getResultList().stream()
                .map(RecommendationStore::view).toList();
    }

    public long count(String portfolio, java.util.Set<String> portfolios, Recommendation.Status status) {
        var q = em.createQuery("SELECT count(r) FROM Recommendation r JOIN r.portfolio p"
                + where(portfolio, portfolios, status), Long.class);
        bind(q, portfolio, portfolios, status);
        return q.getSingleResult();
    }

    /** The key of the portfolio of a recommendation; empty for an unknown id. */
    public java.util.Optional<String> portfolioOf(long id) {
        return em.createQuery("SELECT p.key FROM Recommendation r JOIN r.portfolio p WHERE r.id = :id", String.class)
                .setParameter("id", id).getResultStream().findFirst();
    }

    private static String where(String portfolio, java.util.Set<String> portfolios, Recommendation.Status status) {
        StringBuilder w = new StringBuilder(" WHERE 1 = 1");
        if (portfolio != null) {
            w.append(" AND p.key = :portfolio");
        }
        if (portfolios != null) {
            w.append(" AND p.key IN :portfolios");
        }
        if (status != null) {
            w.append(" AND r.status = :status");
        }
        return w.toString();
    }

    private static void bind(jakarta.persistence.Query q, String portfolio, java.util.Set<String> portfolios,
                             Recommendation.Status status) {
        if (portfolio != null) {
            q.setParameter("portfolio", portfolio);
        }
        if (portfolios != null) {
            q.setParameter("portfolios", portfolios);
        }
        if (status != null) {
            q.setParameter("status", status);
        }
    }

    private static RecommendationViews.RecommendationView view(Object[] c) {
        return new RecommendationViews.RecommendationView((Long) c[0], (String) c[1], (Long) c[2],
                ((Recommendation.Status) c[3]).name(), (String) c[4], (LocalDate) c[5], (Instant) c[6], (String) c[7],
                (Instant) c[8], (String) c[9], (Instant) c[10], (String) c[11], (Long) c[12],
                Money.cents((BigDecimal) c[13]), Money.cents((BigDecimal) c[14]), (String) c[15], (String) c[16],
                (String) c[17], ((Recommendation.Kind) c[18]).name(), (Long) c[19], ForecastViews.view((String) c[20]),
                experiments((String) c[21]), (String) c[22], (LocalDate) c[23], (String) c[24],
                c[25] == null ? "[]" : (String) c[25], c[26] == null ? "[]" : (String) c[26], (String) c[27],
                (String) c[28], c[29] == null ? "[]" : (String) c[29]);
    }

    /** The stored experiments, or an empty array. */
    static String experiments(String stored) {
        return stored == null ? "[]" : stored;
    }
}
