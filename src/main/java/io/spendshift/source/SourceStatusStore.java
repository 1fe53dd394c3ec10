package io.spendshift.source;

import io.spendshift.common.SqlValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The {@code source_status} table (the last pull of each portfolio's source) and the recent spend a source
 * needs to continue a channel's history. In the caller's transaction.
 */
@ApplicationScoped
public class SourceStatusStore {

    record Status(String type, Instant lastAttempt, Instant lastSuccess, String lastError, long rows) {
    }

    /** One day of one channel's spend. */
    record Spend(long channelId, LocalDate date, BigDecimal spend) {
    }

    private final EntityManager em;

    SourceStatusStore(EntityManager em) {
        this.em = em;
    }

    Optional<Status> find(long portfolioId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT source_type, last_attempt, last_success, last_error,"
                + " rows_ingested FROM source_status WHERE portfolio_id = ?1").setParameter(1, portfolioId).getResultList();
        return rows.stream().findFirst().map(r -> new Status((String) r[0], SqlValues.instant(r[1]),
                SqlValues.instant(r[2]), (String) r[3], ((Number) r[4]).longValue()));
    }

    /** Records a pull: its time, its error (null when it succeeded) and the rows it stored. */
    void record(long portfolioId, String type, Instant attempt, String error, long rows) {
        int n = em.createNativeQuery("UPDATE source_status SET source_type = ?1, last_attempt = ?2,"
                        + " last_error = ?3, rows_ingested = rows_ingested + ?4"
                        + (error == null ? ", last_success = ?2" : "") + " WHERE portfolio_id = ?5")
                .setParameter(1, type).setParameter(2, Timestamp.from(attempt)).setParameter(3, error)
                .setParameter(4, rows).setParameter(5, portfolioId).executeUpdate();
        if (n == 0) {
            em.createNativeQuery("INSERT INTO source_status (portfolio_id, source_type, last_attempt, last_success,"
                            + " last_error, rows_ingested) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
                    .setParameter(1, portfolioId).setParameter(2, type)
                    .setParameter(3, Timestamp.from(attempt))
                    .setParameter(4, error == null ? Timestamp.from(attempt) : null)
                    .setParameter(5, error).setParameter(6, rows).executeUpdate();
        }
    }

    /** The portfolio's daily spend per channel since {@code from}, by channel and newest day first. */
    List<Spend> spendSince(long portfolioId, LocalDate from) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT m.channel_id, m.mdate, m.spend FROM metric m"
                        + " JOIN channel c ON c.id = m.channel_id WHERE c.portfolio_id = ?1 AND m.mdate >= ?2"
                        + " ORDER BY m.channel_id, m.mdate DESC")
                .setParameter(1, portfolioId).setParameter(2, from).getResultList();
        return rows.stream().map(r -> new Spend(((Number) r[0]).longValue(), SqlValues.date(r[1]), (BigDecimal) r[2]))
                .toList();
    }
}
